"""Why a learner has not finished, with no database access.

A learner's standing in a course comes from their enrolment and quiz facts; a learner is
*stuck* when they have not finished and either did nothing for `stuck_days` days (counted from
their last activity, or from enrolling when they never started) or used every allowed attempt of
a required quiz without passing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

COMPLETE = "complete"
WITHDRAWN = "withdrawn"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"

STANDING_LABELS = {
    COMPLETE: pgettext_lazy("learner status", "Finished"),
    WITHDRAWN: pgettext_lazy("learner status", "Withdrawn"),
    NOT_STARTED: pgettext_lazy("learner status", "Not started"),
    IN_PROGRESS: pgettext_lazy("learner status", "In progress"),
}

DEFAULT_STUCK_DAYS = 14
STUCK_DAY_CHOICES = (7, 14, 21, 30, 60, 90)


@dataclass(frozen=True)
class LearnerFacts:
    enrolled_at: datetime
    last_activity_at: datetime | None
    completed_at: datetime | None
    withdrawn: bool = False
    failed_out: bool = False


def standing(facts: LearnerFacts) -> str:
    if facts.completed_at is not None:
        return COMPLETE
    if facts.withdrawn:
        return WITHDRAWN
    if facts.last_activity_at is None:
        return NOT_STARTED
    return IN_PROGRESS


def inactive_since(facts: LearnerFacts) -> datetime:
    return facts.last_activity_at or facts.enrolled_at


def idle_days(facts: LearnerFacts, now: datetime) -> int:
    return max(0, (now - inactive_since(facts)).days)


def stuck_cutoff(now: datetime, stuck_days: int) -> datetime:
    """Learners whose last sign of life is older than this are stuck (same rule as in SQL)."""
    return now - timedelta(days=stuck_days)


def is_idle(facts: LearnerFacts, *, now: datetime, stuck_days: int) -> bool:
    return standing(facts) in (NOT_STARTED, IN_PROGRESS) and inactive_since(facts) < stuck_cutoff(
        now, stuck_days
    )


def is_stuck(facts: LearnerFacts, *, now: datetime, stuck_days: int) -> bool:
    if standing(facts) not in (NOT_STARTED, IN_PROGRESS):
        return False
    return facts.failed_out or is_idle(facts, now=now, stuck_days=stuck_days)


def reasons(
    facts: LearnerFacts,
    *,
    now: datetime,
    stuck_days: int,
    next_step: str = "",
    blocked_by: str = "",
) -> list[str]:
    """Short sentences saying why this learner has not finished (empty when they have)."""
    state = standing(facts)
    if state == COMPLETE:
        return []
    if state == WITHDRAWN:
        return [str(_("Left the course."))]
    found = []
    if facts.failed_out:
        found.append(str(_("Used every attempt of a required quiz without passing.")))
    if is_idle(facts, now=now, stuck_days=stuck_days):
        days = idle_days(facts, now)
        if state == NOT_STARTED:
            found.append(
                ngettext(
                    "Has not started, enrolled %(days)d day ago.",
                    "Has not started, enrolled %(days)d days ago.",
                    days,
                )
                % {"days": days}
            )
        else:
            found.append(
                ngettext("No activity for %(days)d day.", "No activity for %(days)d days.", days)
                % {"days": days}
            )
    elif state == NOT_STARTED:
        found.append(str(_("Has not started yet.")))
    if blocked_by:
        found.append(str(_("Waiting: %(reason)s") % {"reason": blocked_by}))
    elif next_step:
        found.append(str(_("Next: %(title)s") % {"title": next_step}))
    return found
