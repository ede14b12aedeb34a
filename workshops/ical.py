"""iCalendar building (no database): one VEVENT per session, with the VTIMEZONEs it needs."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//Plataforma de formacion//Talleres//ES"


@dataclass(frozen=True)
class SessionEvent:
    uid: str
    sequence: int
    start: datetime  # aware
    end: datetime  # aware
    tzid: str
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED
    last_modified: datetime | None = None


def session_uid(session_id: int, domain: str) -> str:
    """Stable across edits and exports, so calendar apps update the event instead of adding one."""
    return f"workshop-session-{session_id}@{domain}"


def build_calendar(events: list[SessionEvent], *, name: str = "", now: datetime | None = None) -> bytes:
    """A VCALENDAR with the events in their own time zones (TZID + VTIMEZONE), DTSTAMP `now`."""
    now = now or datetime.now(ZoneInfo("UTC"))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for item in events:
        zone = ZoneInfo(item.tzid)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
        event.add("sequence", item.sequence)
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
        event.add("summary", item.summary)
        event.add("status", item.status)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.last_modified:
            event.add("last-modified", item.last_modified.astimezone(ZoneInfo("UTC")))
        calendar.add_component(event)
    if events:
        first = min(e.start for e in events).date() - timedelta(days=366)
        last = max(e.end for e in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
