from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from workshops.ical import SessionEvent, build_calendar, session_uid

TIJUANA = ZoneInfo("America/Tijuana")
UTC = ZoneInfo("UTC")


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


@pytest.mark.parametrize(
    ("local", "utc_hour"),
    [
        # Tijuana follows US daylight saving: 2026-03-08 the clocks go forward.
        (datetime(2026, 3, 7, 10, 0, tzinfo=TIJUANA), 18),  # PST, UTC-8
        (datetime(2026, 3, 9, 10, 0, tzinfo=TIJUANA), 17),  # PDT, UTC-7
        (datetime(2026, 11, 2, 10, 0, tzinfo=TIJUANA), 18),  # back to PST
        (
            datetime(2026, 3, 9, 10, 0, tzinfo=ZoneInfo("America/Mexico_City")),
            16,
        ),  # no DST since 2022
    ],
)
def test_events_keep_their_local_time_and_zone_across_daylight_saving(local, utc_hour):
    event = SessionEvent(
        uid="u1@x",
        sequence=0,
        start=local,
        end=local + timedelta(hours=2),
        tzid=str(local.tzinfo),
        summary="Taller",
    )
    parsed = parse(build_calendar([event]))
    vevent = parsed.walk("VEVENT")[0]
    start = vevent.decoded("DTSTART")
    assert vevent["DTSTART"].params["TZID"] == str(local.tzinfo)
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(UTC).hour == utc_hour
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == [str(local.tzinfo)]


def test_the_vtimezone_describes_both_rules_of_a_zone_with_daylight_saving():
    start = datetime(2026, 3, 7, 10, 0, tzinfo=TIJUANA)
    events = [
        SessionEvent(
            uid=f"{i}@x",
            sequence=0,
            start=start + timedelta(days=2 * i),
            end=start + timedelta(days=2 * i, hours=1),
            tzid="America/Tijuana",
            summary="T",
        )
        for i in range(2)
    ]
    body = build_calendar(events)
    vtimezone = parse(body).walk("VTIMEZONE")[0]
    kinds = {c.name for c in vtimezone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    assert body.count(b"BEGIN:VTIMEZONE") == 1


def test_each_event_has_uid_sequence_dtstamp_and_status():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    start = datetime(2026, 2, 1, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    event = SessionEvent(
        uid=session_uid(42, "plataforma.example.org"),
        sequence=3,
        start=start,
        end=start + timedelta(hours=1),
        tzid="America/Mexico_City",
        summary="Ñandú: sesión",
        description="Línea 1\nLínea 2",
        location="Sala 1, Oaxaca",
        status="TENTATIVE",
    )
    vevent = parse(build_calendar([event], name="Mis talleres", now=now)).walk("VEVENT")[0]
    assert str(vevent["UID"]) == "workshop-session-42@plataforma.example.org"
    assert vevent.decoded("SEQUENCE") == 3
    assert vevent.decoded("DTSTAMP") == now
    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert str(vevent["SUMMARY"]) == "Ñandú: sesión"
    assert str(vevent["DESCRIPTION"]) == "Línea 1\nLínea 2"


def test_an_empty_calendar_is_still_valid():
    parsed = parse(build_calendar([], name="Vacío"))
    assert parsed.walk("VEVENT") == []
    assert str(parsed["VERSION"]) == "2.0"
