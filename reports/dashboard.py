"""The cohort dashboard: one row per learner, one column per activity, for one course.

Filters run in SQL and the page holds at most `per_page` learners, so a page costs the same
number of queries whatever the size of the cohort or the course: the enrolments of the page,
one query of `ActivityProgress` values for those learners and the course's activities, one of
reminders, and one call to each other app's selector.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models import ActivityProgress, CoursePage, Enrolment
from courses.progress import COMPLETE, IN_PROGRESS, CourseStructure, evaluate
from courses.selectors import course_structure
from lms.models import Cohort, CohortMembership, Organisation

from . import sources, status
from .models import ReminderLog

STATE_FILTERS = {
    "": _("Everyone"),
    "unfinished": _("Not finished"),
    "stuck": _("Stuck"),
    "not_started": status.STANDING_LABELS[status.NOT_STARTED],
    "in_progress": status.STANDING_LABELS[status.IN_PROGRESS],
    "complete": status.STANDING_LABELS[status.COMPLETE],
    "withdrawn": status.STANDING_LABELS[status.WITHDRAWN],
}
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50

# (CSS class, symbol) per cell state; the page's legend explains the symbols.
# Short class names keep a 50-learner x 40-activity page small.
CELL_COMPLETE = ("c", "✓")
CELL_IN_PROGRESS = ("p", "◐")
CELL_NOT_STARTED = ("n", "·")
CELL_LOCKED = ("l", "🔒")
CELL_LEGEND = [
    (CELL_COMPLETE, pgettext_lazy("activity status", "Complete")),
    (CELL_IN_PROGRESS, pgettext_lazy("activity status", "In progress")),
    (CELL_NOT_STARTED, pgettext_lazy("activity status", "Not started")),
    (CELL_LOCKED, pgettext_lazy("activity status", "Locked")),
]


@dataclass(frozen=True)
class DashboardQuery:
    organisation_id: int | None = None
    state: str = ""
    stuck_days: int = status.DEFAULT_STUCK_DAYS
    page: int | str = 1
    per_page: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class Column:
    id: int
    number: str
    title: str
    kind_label: str
    required: bool


@dataclass
class LearnerRow:
    enrolment: Enrolment
    standing: str
    percent: int
    cells: list[tuple[str, str]]
    stuck: bool
    reasons: list[str]
    quiz: dict | None = None
    attendance: dict | None = None
    certificate: object | None = None
    last_reminded: datetime | None = None

    @property
    def user(self):
        return self.enrolment.user

    @property
    def standing_label(self) -> str:
        return str(status.STANDING_LABELS[self.standing])


@dataclass
class Dashboard:
    cohort: Cohort
    course: CoursePage
    query: DashboardQuery
    columns: list[Column]
    page: PaginatorPage
    rows: list[LearnerRow]
    summary: dict
    organisations: list[Organisation] = field(default_factory=list)
    sources_missing: list[str] = field(default_factory=list)


def columns_of(structure: CourseStructure) -> list[Column]:
    return [
        Column(
            id=a.id,
            number=f"{m_index}.{a_index}",
            title=a.title,
            kind_label=a.kind_label,
            required=a.required,
        )
        for m_index, module in enumerate(structure.modules, start=1)
        for a_index, a in enumerate(module.activities, start=1)
    ]


def cohort_enrolments(
    cohort: Cohort, course: CoursePage, *, organisation_id: int | None = None
) -> QuerySet[Enrolment]:
    """Enrolments in the course of the cohort's current members (withdrawn ones included)."""
    members = CohortMembership.objects.filter(cohort=cohort).values("user_id")
    enrolments = Enrolment.objects.filter(course=course, user_id__in=members)
    if organisation_id:
        enrolments = enrolments.filter(user__organisation_id=organisation_id)
    return enrolments.annotate(seen_at=Coalesce("last_activity_at", "enrolled_at"))


UNFINISHED = Q(completed_at__isnull=True, status=Enrolment.Status.ACTIVE)


def filter_by_state(
    enrolments: QuerySet[Enrolment],
    course: CoursePage,
    *,
    state: str,
    stuck_days: int,
    now: datetime,
) -> QuerySet[Enrolment]:
    """The SQL side of `status.standing` and `status.is_stuck`."""
    if state == "complete":
        return enrolments.filter(completed_at__isnull=False)
    if state == "withdrawn":
        return enrolments.filter(completed_at__isnull=True, status=Enrolment.Status.WITHDRAWN)
    if state == "unfinished":
        return enrolments.filter(UNFINISHED)
    if state == "not_started":
        return enrolments.filter(UNFINISHED, last_activity_at__isnull=True)
    if state == "in_progress":
        return enrolments.filter(UNFINISHED, last_activity_at__isnull=False)
    if state == "stuck":
        idle = Q(seen_at__lt=status.stuck_cutoff(now, stuck_days))
        unfinished = enrolments.filter(UNFINISHED)
        # Failing out is known by assessments only: ask it about the active learners alone.
        active_ids = list(unfinished.exclude(idle).values_list("user_id", flat=True))
        failed = [
            uid
            for uid, r in sources.quiz_results(active_ids, course).items()
            if r.get("failed_out")
        ]
        return unfinished.filter(idle | Q(user_id__in=failed))
    return enrolments


def summary_of(enrolments: QuerySet[Enrolment], *, stuck_days: int, now: datetime) -> dict:
    """Counts for the whole cohort (one query), whatever page is shown."""
    cutoff = status.stuck_cutoff(now, stuck_days)
    counts = enrolments.aggregate(
        total=Count("id"),
        complete=Count("id", filter=Q(completed_at__isnull=False)),
        withdrawn=Count(
            "id", filter=Q(completed_at__isnull=True, status=Enrolment.Status.WITHDRAWN)
        ),
        not_started=Count("id", filter=UNFINISHED & Q(last_activity_at__isnull=True)),
        in_progress=Count("id", filter=UNFINISHED & Q(last_activity_at__isnull=False)),
        idle=Count("id", filter=UNFINISHED & Q(seen_at__lt=cutoff)),
    )
    counts["unfinished"] = counts["in_progress"] + counts["not_started"]
    return counts


def progress_by_user(
    user_ids: list[int], course: CoursePage, activity_ids: list[int]
) -> dict[int, dict[int, str]]:
    """user id -> {activity id -> state}, in one query."""
    states: dict[int, dict[int, str]] = defaultdict(dict)
    if not user_ids or not activity_ids:
        return states
    rows = ActivityProgress.objects.filter(
        course=course, user_id__in=user_ids, activity_id__in=activity_ids
    ).values_list("user_id", "activity_id", "state")
    for user_id, activity_id, state in rows:
        states[user_id][activity_id] = state
    return states


def last_reminders(cohort: Cohort, user_ids: list[int]) -> dict[int, datetime]:
    if not user_ids:
        return {}
    rows = (
        ReminderLog.objects.filter(cohort=cohort, recipient_id__in=user_ids)
        .values("recipient_id")
        .annotate(last=Max("sent_at"))
        .values_list("recipient_id", "last")
    )
    return dict(rows)


def _cells_and_next(structure: CourseStructure, states: dict[int, str]):
    course_status = evaluate(structure, states)
    cells = []
    blocked_by = ""
    for module in course_status.modules:
        for activity in module.activities:
            if activity.state == COMPLETE:
                cells.append(CELL_COMPLETE)
            elif activity.locked:
                cells.append(CELL_LOCKED)
                if not blocked_by and activity.node.required:
                    blocked_by = str(activity.lock_reason)
            elif activity.state == IN_PROGRESS:
                cells.append(CELL_IN_PROGRESS)
            else:
                cells.append(CELL_NOT_STARTED)
    next_step = course_status.next_activity.title if course_status.next_activity else ""
    return cells, course_status, ("" if next_step else blocked_by), next_step


def build_rows(
    enrolments: list[Enrolment],
    cohort: Cohort,
    course: CoursePage,
    structure: CourseStructure,
    *,
    stuck_days: int,
    now: datetime,
) -> list[LearnerRow]:
    """Rows for a page of enrolments: a constant number of queries for any number of them."""
    user_ids = [e.user_id for e in enrolments]
    states = progress_by_user(user_ids, course, sorted(structure.activity_ids()))
    quizzes = sources.quiz_results(user_ids, course)
    attendance = sources.attendance(user_ids, course)
    certificates = sources.certificates(user_ids, course)
    reminded = last_reminders(cohort, user_ids)
    rows = []
    for enrolment in enrolments:
        quiz = quizzes.get(enrolment.user_id)
        facts = status.LearnerFacts(
            enrolled_at=enrolment.enrolled_at,
            last_activity_at=enrolment.last_activity_at,
            completed_at=enrolment.completed_at,
            withdrawn=enrolment.status == Enrolment.Status.WITHDRAWN,
            failed_out=bool(quiz and quiz.get("failed_out")),
        )
        cells, course_status, blocked_by, next_step = _cells_and_next(
            structure, states.get(enrolment.user_id, {})
        )
        certificate = certificates.get(enrolment.user_id)
        rows.append(
            LearnerRow(
                enrolment=enrolment,
                standing=status.standing(facts),
                percent=100 if enrolment.completed_at else course_status.percent,
                cells=cells,
                stuck=status.is_stuck(facts, now=now, stuck_days=stuck_days),
                reasons=status.reasons(
                    facts,
                    now=now,
                    stuck_days=stuck_days,
                    next_step=next_step,
                    blocked_by=blocked_by,
                ),
                quiz=quiz,
                attendance=attendance.get(enrolment.user_id),
                certificate=certificate
                if certificate is not None and sources.certificate_is_valid(certificate)
                else None,
                last_reminded=reminded.get(enrolment.user_id),
            )
        )
    return rows


def ordered(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return enrolments.select_related("user", "user__organisation").order_by(
        "user__full_name", "user_id"
    )


def filtered_enrolments(
    cohort: Cohort, course: CoursePage, query: DashboardQuery, now: datetime
) -> QuerySet[Enrolment]:
    enrolments = cohort_enrolments(cohort, course, organisation_id=query.organisation_id)
    return ordered(
        filter_by_state(enrolments, course, state=query.state, stuck_days=query.stuck_days, now=now)
    )


def cohort_organisations(cohort: Cohort) -> list[Organisation]:
    return list(
        Organisation.objects.filter(members__cohort_memberships__cohort=cohort)
        .distinct()
        .order_by("name")
    )


def missing_sources() -> list[str]:
    labels = {
        ("assessments.selectors", "quiz_results_for"): _("quiz scores"),
        ("workshops.selectors", "attendance_for"): _("attendance"),
        ("certificates.selectors", "certificates_for"): _("certificates"),
    }
    return [
        str(label)
        for (module, name), label in labels.items()
        if not sources.available(module, name)
    ]


def cohort_dashboard(
    cohort: Cohort,
    course: CoursePage,
    query: DashboardQuery,
    *,
    now: datetime | None = None,
    organisations: list[Organisation] | None = None,
) -> Dashboard:
    now = now or timezone.now()
    structure = course_structure(course)
    base = cohort_enrolments(cohort, course, organisation_id=query.organisation_id)
    summary = summary_of(base, stuck_days=query.stuck_days, now=now)
    enrolments = ordered(
        filter_by_state(base, course, state=query.state, stuck_days=query.stuck_days, now=now)
    )
    page = Paginator(enrolments, query.per_page).get_page(query.page)
    rows = build_rows(
        list(page.object_list), cohort, course, structure, stuck_days=query.stuck_days, now=now
    )
    return Dashboard(
        cohort=cohort,
        course=course,
        query=query,
        columns=columns_of(structure),
        page=page,
        rows=rows,
        summary=summary,
        organisations=organisations if organisations is not None else cohort_organisations(cohort),
        sources_missing=missing_sources(),
    )


def all_rows(
    cohort: Cohort,
    course: CoursePage,
    query: DashboardQuery,
    *,
    now: datetime | None = None,
    chunk: int = 500,
) -> Iterator[LearnerRow]:
    """Every row the filters select, a chunk at a time (exports): queries grow with learners /
    chunk."""
    now = now or timezone.now()
    structure = course_structure(course)
    ids = list(filtered_enrolments(cohort, course, query, now).values_list("id", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        enrolments = list(ordered(Enrolment.objects.filter(id__in=part)))
        yield from build_rows(
            enrolments, cohort, course, structure, stuck_days=query.stuck_days, now=now
        )
