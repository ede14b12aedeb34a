"""Programme figures from plain facts, with no database access.

`overview.py` reads one row per enrolment (plus quiz gains and certificates from the other
apps) and hands them here; this module groups them per organisation kind, organisation, cohort
and month.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class EnrolmentFact:
    user_id: int
    course_id: int
    completed_at: datetime | None
    organisation_id: int | None
    organisation_label: str
    organisation_kind: str
    cohort_ids: tuple[int, ...] = ()
    certified: bool = False
    certified_at: date | datetime | None = None
    gain: float | None = None


@dataclass
class GroupStats:
    key: object
    label: str
    kind: str = ""
    kind_label: str = ""
    enrolled: int = 0
    completed: int = 0
    certificates: int = 0
    gains: list[float] = field(default_factory=list)

    @property
    def completion_percent(self) -> float:
        return round(100 * self.completed / self.enrolled, 1) if self.enrolled else 0.0

    @property
    def mean_gain(self) -> float | None:
        return round(sum(self.gains) / len(self.gains), 1) if self.gains else None

    @property
    def pending(self) -> int:
        return self.enrolled - self.completed

    def add(self, fact: EnrolmentFact) -> None:
        self.enrolled += 1
        self.completed += fact.completed_at is not None
        self.certificates += fact.certified
        if fact.gain is not None:
            self.gains.append(float(fact.gain))


def _sorted(groups: Iterable[GroupStats]) -> list[GroupStats]:
    """Laggards first: lowest completion, then the most people still to finish, then the name."""
    return sorted(groups, key=lambda g: (g.completion_percent, -g.pending, g.label))


def totals(facts: Iterable[EnrolmentFact]) -> GroupStats:
    group = GroupStats(key=None, label="")
    for fact in facts:
        group.add(fact)
    return group


def by_organisation_kind(
    facts: Iterable[EnrolmentFact], kind_labels: dict[str, str]
) -> list[GroupStats]:
    groups: dict[str, GroupStats] = {}
    for fact in facts:
        kind = fact.organisation_kind or ""
        groups.setdefault(
            kind,
            GroupStats(key=kind, label=kind_labels.get(kind, kind_labels.get("", "")), kind=kind),
        ).add(fact)
    return _sorted(groups.values())


def by_organisation(
    facts: Iterable[EnrolmentFact],
    *,
    kind: str = "",
    no_organisation: str = "",
    kind_labels: dict[str, str] | None = None,
) -> list[GroupStats]:
    groups: dict[int | None, GroupStats] = {}
    for fact in facts:
        if kind and fact.organisation_kind != kind:
            continue
        label = fact.organisation_label if fact.organisation_id else no_organisation
        groups.setdefault(
            fact.organisation_id,
            GroupStats(
                key=fact.organisation_id,
                label=label,
                kind=fact.organisation_kind,
                kind_label=(kind_labels or {}).get(fact.organisation_kind, ""),
            ),
        ).add(fact)
    return _sorted(groups.values())


def by_cohort(facts: Iterable[EnrolmentFact], cohort_names: dict[int, str]) -> list[GroupStats]:
    groups: dict[int, GroupStats] = {}
    for fact in facts:
        for cohort_id in fact.cohort_ids:
            groups.setdefault(
                cohort_id, GroupStats(key=cohort_id, label=cohort_names.get(cohort_id, ""))
            ).add(fact)
    return _sorted(groups.values())


@dataclass(frozen=True)
class MonthCount:
    month: date
    completions: int
    certificates: int


def month_starts(last: date, count: int) -> list[date]:
    """The first day of `count` months ending with the month of `last`, oldest first."""
    year, month = last.year, last.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def per_month(
    facts: Iterable[EnrolmentFact], *, today: date, months: int = 12, to_local=None
) -> list[MonthCount]:
    """Completions and certificates per calendar month (in local time) for the last `months`."""
    to_local = to_local or (lambda moment: moment)

    def month_of(moment: date | datetime) -> date:
        day = to_local(moment).date() if isinstance(moment, datetime) else moment
        return day.replace(day=1)

    starts = month_starts(today, months)
    completions = dict.fromkeys(starts, 0)
    certificates = dict.fromkeys(starts, 0)
    for fact in facts:
        if fact.completed_at is not None:
            key = month_of(fact.completed_at)
            if key in completions:
                completions[key] += 1
        if fact.certified_at is not None:
            key = month_of(fact.certified_at)
            if key in certificates:
                certificates[key] += 1
    return [
        MonthCount(month=m, completions=completions[m], certificates=certificates[m])
        for m in starts
    ]
