"""iCalendar building (no database): one VEVENT per session, with the VTIMEZONEs it needs.

A cancellation follows RFC 5546: METHOD:CANCEL, the same UID, a higher SEQUENCE and
STATUS:CANCELLED, with the ORGANIZER (and the ATTENDEE it is sent to) that iTIP asks for.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

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
    organizer: str = ""  # an e-mail address
    organizer_name: str = ""
    attendee: str = ""  # an e-mail address


def session_uid(session_id: int, domain: str) -> str:
    """Stable across edits and exports, so calendar apps update the event instead of adding one."""
    return f"workshop-session-{session_id}@{domain}"


def build_calendar(
    events: list[SessionEvent],
    *,
    name: str = "",
    now: datetime | None = None,
    method: str = "PUBLISH",
) -> bytes:
    """A VCALENDAR with the events in their own time zones (TZID + VTIMEZONE), DTSTAMP `now`.
    `method` is PUBLISH (a file or feed) or CANCEL (an iTIP cancellation, RFC 5546 3.2.5)."""
    now = now or datetime.now(ZoneInfo("UTC"))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
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
        if item.organizer:
            organizer = vCalAddress(f"mailto:{item.organizer}")
            if item.organizer_name:
                organizer.params["cn"] = vText(item.organizer_name)
            event.add("organizer", organizer)
        if item.attendee:
            event.add("attendee", vCalAddress(f"mailto:{item.attendee}"))
        calendar.add_component(event)
    if events:
        first = min(e.start for e in events).date() - timedelta(days=366)
        last = max(e.end for e in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
