from datetime import UTC, datetime, timedelta

import pytest

from workshops import checkin

SECRET = "s3cret"
T0 = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)  # the start of a 5-minute window


@pytest.mark.parametrize(
    ("shown_at", "entered_at", "valid"),
    [
        (T0, T0, True),
        (T0, T0 + timedelta(minutes=4, seconds=59), True),
        (T0, T0 + timedelta(minutes=5), True),  # the previous window still counts
        (T0, T0 + timedelta(minutes=9, seconds=59), True),
        (T0, T0 + timedelta(minutes=10), False),  # two windows later
        (T0 + timedelta(minutes=5), T0, False),  # a code from the future
    ],
)
def test_a_code_is_valid_in_its_window_and_the_next(shown_at, entered_at, valid):
    code = checkin.current_code(SECRET, 7, shown_at)
    assert checkin.verify(SECRET, 7, code, entered_at) is valid


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("{code}", True),
        (" {code} ", True),
        ("{spaced}", True),
        ("{code}1", False),
        ("", False),
        ("abcdef", False),
    ],
)
def test_what_people_type_is_normalised(typed, valid):
    code = checkin.current_code(SECRET, 7, T0)
    entered = typed.format(code=code, spaced=f"{code[:3]} {code[3:]}")
    assert checkin.verify(SECRET, 7, entered, T0) is valid


def test_codes_differ_per_session_window_and_secret():
    window = checkin.window_of(T0)
    codes = {
        checkin.code_for(SECRET, 7, window),
        checkin.code_for(SECRET, 8, window),
        checkin.code_for(SECRET, 7, window + 1),
        checkin.code_for("other", 7, window),
    }
    assert len(codes) == 4
    assert all(len(c) == 6 and c.isdigit() for c in codes)


def test_seconds_left_counts_down_to_the_next_code():
    assert checkin.seconds_left(T0) == 300
    assert checkin.seconds_left(T0 + timedelta(seconds=299)) == 1
