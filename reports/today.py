"""A trainer's or manager's day, for their home: their cohorts, essays to grade, sessions this
week and learners who are stuck. Reads other apps through `sources`."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lms.models import Cohort, User

from . import dashboard, selectors, sources, status

MAX_COHORTS = 12


@dataclass
class CohortDay:
    cohort: Cohort
    learners: int = 0
    complete: int = 0
    stuck: int = 0


@dataclass
class StaffDay:
    cohorts: list[CohortDay] = field(default_factory=list)
    more_cohorts: bool = False
    essays: int | None = None
    sessions: list = field(default_factory=list)

    @property
    def stuck(self) -> int:
        return sum(c.stuck for c in self.cohorts)


def staff_day(user: User, *, now: datetime) -> StaffDay:
    """Counts per cohort (one query per cohort and course), the essay queue and the week's
    sessions."""
    cohorts = list(selectors.report_cohorts(user)[: MAX_COHORTS + 1])
    day = StaffDay(more_cohorts=len(cohorts) > MAX_COHORTS)
    for cohort in cohorts[:MAX_COHORTS]:
        entry = CohortDay(cohort=cohort)
        for course in selectors.cohort_courses(cohort):
            counts = dashboard.summary_of(
                dashboard.cohort_enrolments(cohort, course),
                stuck_days=status.DEFAULT_STUCK_DAYS,
                now=now,
            )
            entry.learners += counts["total"] - counts["withdrawn"]
            entry.complete += counts["complete"]
            entry.stuck += counts["idle"]
        day.cohorts.append(entry)
    day.essays = sources.essays_to_grade(user)
    day.sessions = sources.sessions_between(user, now, now + timedelta(days=7))
    return day
