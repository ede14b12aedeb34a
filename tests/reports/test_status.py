"""Table-driven tests of the pure rules: standing, stuck, reasons."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from reports import status

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def facts(*, enrolled_days=30, last_days=None, completed=False, withdrawn=False, failed_out=False):
    return status.LearnerFacts(
        enrolled_at=NOW - timedelta(days=enrolled_days),
        last_activity_at=NOW - timedelta(days=last_days) if last_days is not None else None,
        completed_at=NOW if completed else None,
        withdrawn=withdrawn,
        failed_out=failed_out,
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (facts(), status.NOT_STARTED),
        (facts(last_days=2), status.IN_PROGRESS),
        (facts(last_days=2, completed=True), status.COMPLETE),
        (facts(last_days=2, withdrawn=True), status.WITHDRAWN),
        (facts(withdrawn=True, completed=True), status.COMPLETE),
    ],
)
def test_standing(case, expected):
    assert status.standing(case) == expected


@pytest.mark.parametrize(
    ("case", "days", "expected"),
    [
        (facts(last_days=15), 14, True),  # idle longer than N days
        (facts(last_days=13), 14, False),
        (facts(last_days=13), 7, True),  # N is selectable
        (facts(enrolled_days=20), 14, True),  # never started: counted from enrolment
        (facts(enrolled_days=3), 14, False),
        (facts(last_days=1, failed_out=True), 14, True),  # failed the last allowed attempt
        (facts(last_days=30, completed=True), 14, False),  # finished learners are never stuck
        (facts(last_days=30, withdrawn=True), 14, False),
    ],
)
def test_is_stuck(case, days, expected):
    assert status.is_stuck(case, now=NOW, stuck_days=days) is expected


@pytest.mark.parametrize(
    ("case", "kwargs", "expected"),
    [
        (facts(last_days=2, completed=True), {}, []),
        (facts(withdrawn=True), {}, ["Left the course."]),
        (
            facts(enrolled_days=2),
            {"next_step": "Lección 1"},
            ["Has not started yet.", "Next: Lección 1"],
        ),
        (facts(enrolled_days=20), {}, ["Has not started, enrolled 20 days ago."]),
        (
            facts(last_days=21),
            {"next_step": "Lección 3"},
            ["No activity for 21 days.", "Next: Lección 3"],
        ),
        (
            facts(last_days=1, failed_out=True),
            {},
            ["Used every attempt of a required quiz without passing."],
        ),
        (
            facts(last_days=1),
            {"blocked_by": "Attend the workshop"},
            ["Waiting: Attend the workshop"],
        ),
    ],
)
def test_reasons_say_why_a_learner_has_not_finished(case, kwargs, expected):
    with translation.override("en"):
        assert status.reasons(case, now=NOW, stuck_days=14, **kwargs) == expected
