"""The programme overview for managers: completion, certificates and learning gain per
organisation kind, organisation and cohort, and completions per month.

Reads one row per enrolment (values only) plus one call per course to the quiz and certificate
selectors, then groups in Python (`aggregate`), so every figure on the page adds up the same way.
Withdrawn learners who did not finish are left out of every figure.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CohortCourse, CoursePage, Enrolment, ProgrammePage
from lms.models import Cohort, CohortMembership, Organisation

from . import aggregate, sources
from .charts import BarChart, bar_chart
from .selectors import programme_courses

KIND_FILTERS = {"": _("All kinds"), **dict(Organisation.Kind.choices)}


def kind_labels() -> dict[str, str]:
    return {**{k: str(v) for k, v in Organisation.Kind.choices}, "": str(_("No organisation"))}


@dataclass
class Overview:
    programme: ProgrammePage
    courses: list[CoursePage]
    kind: str
    totals: aggregate.GroupStats
    kinds: list[aggregate.GroupStats]
    organisations: list[aggregate.GroupStats]
    cohorts: list[aggregate.GroupStats]
    months: list[aggregate.MonthCount]
    charts: dict[str, BarChart] = field(default_factory=dict)
    has_gains: bool = False
    sources_missing: list[str] = field(default_factory=list)


def enrolment_facts(
    programme: ProgrammePage, courses: list[CoursePage]
) -> list[aggregate.EnrolmentFact]:
    """One fact per counted enrolment of the programme's courses, in a constant number of queries
    per course (the other apps' selectors are called once per course)."""
    if not courses:
        return []
    rows = list(
        Enrolment.objects.filter(course__in=courses)
        .exclude(status=Enrolment.Status.WITHDRAWN, completed_at__isnull=True)
        .values_list(
            "user_id",
            "course_id",
            "completed_at",
            "user__organisation_id",
            "user__organisation__name",
            "user__organisation__short_name",
            "user__organisation__kind",
        )
    )
    cohort_courses = set(
        CohortCourse.objects.filter(cohort__programme=programme).values_list(
            "cohort_id", "course_id"
        )
    )
    user_cohorts: dict[int, list[int]] = defaultdict(list)
    for user_id, cohort_id in CohortMembership.objects.filter(
        cohort__programme=programme
    ).values_list("user_id", "cohort_id"):
        user_cohorts[user_id].append(cohort_id)
    users_by_course: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        users_by_course[row[1]].append(row[0])
    gains: dict[tuple[int, int], float | None] = {}
    certified: dict[tuple[int, int], object] = {}
    for course in courses:
        ids = users_by_course.get(course.id, [])
        for uid, result in sources.quiz_results(ids, course).items():
            gains[(uid, course.id)] = result.get("gain")
        for uid, certificate in sources.certificates(ids, course).items():
            if certificate is not None and sources.certificate_is_valid(certificate):
                certified[(uid, course.id)] = certificate
    facts = []
    for user_id, course_id, completed_at, org_id, org_name, org_short, org_kind in rows:
        certificate = certified.get((user_id, course_id))
        facts.append(
            aggregate.EnrolmentFact(
                user_id=user_id,
                course_id=course_id,
                completed_at=completed_at,
                organisation_id=org_id,
                organisation_label=org_short or org_name or "",
                organisation_kind=org_kind or "",
                cohort_ids=tuple(
                    c for c in user_cohorts.get(user_id, ()) if (c, course_id) in cohort_courses
                ),
                certified=certificate is not None,
                certified_at=sources.certificate_issued_at(certificate)
                if certificate is not None
                else None,
                gain=gains.get((user_id, course_id)),
            )
        )
    return facts


def programme_overview(
    programme: ProgrammePage, *, kind: str = "", course_id: int | None = None
) -> Overview:
    courses = programme_courses(programme)
    chosen = [c for c in courses if c.id == course_id] if course_id else courses
    facts = enrolment_facts(programme, chosen)
    cohort_names = dict(Cohort.objects.filter(programme=programme).values_list("id", "name"))
    labels = kind_labels()
    organisations = aggregate.by_organisation(
        facts, kind=kind, no_organisation=labels[""], kind_labels=labels
    )
    overview = Overview(
        programme=programme,
        courses=courses,
        kind=kind,
        totals=aggregate.totals(facts),
        kinds=aggregate.by_organisation_kind(facts, labels),
        organisations=organisations,
        cohorts=aggregate.by_cohort(facts, cohort_names),
        months=aggregate.per_month(facts, today=timezone.localdate(), to_local=timezone.localtime),
        has_gains=any(f.gain is not None for f in facts),
        sources_missing=[
            str(label)
            for (module, name), label in {
                ("assessments.selectors", "quiz_results_for"): _("learning gain"),
                ("certificates.selectors", "certificates_for"): _("certificates"),
            }.items()
            if not sources.available(module, name)
        ],
    )
    overview.charts = {
        "kinds": bar_chart(
            str(_("Completion by organisation kind")),
            [(g.label, g.completion_percent) for g in overview.kinds],
            max_value=100,
            unit="%",
        ),
        "organisations": bar_chart(
            str(_("Completion by organisation")),
            [(g.label, g.completion_percent) for g in organisations],
            max_value=100,
            unit="%",
        ),
        "cohorts": bar_chart(
            str(_("Completion by cohort")),
            [(g.label, g.completion_percent) for g in overview.cohorts],
            max_value=100,
            unit="%",
        ),
        "months": bar_chart(
            str(_("Completions per month")),
            [(dateformat.format(m.month, "M Y"), m.completions) for m in overview.months],
        ),
    }
    if overview.has_gains:
        overview.charts["gains"] = bar_chart(
            str(_("Mean learning gain by organisation kind (points)")),
            [(g.label, g.mean_gain) for g in overview.kinds],
            max_value=100,
        )
    return overview


EXPORT_TABLES = ("organisations", "kinds", "cohorts", "months")


def _group_rows(groups: list[aggregate.GroupStats], with_kind: bool):
    for g in groups:
        yield [
            g.label,
            *([g.kind_label] if with_kind else []),
            g.enrolled,
            g.completed,
            g.pending,
            g.completion_percent,
            g.certificates,
            g.mean_gain,
        ]


def export_table(data: Overview, table: str):
    """(header, rows, sheet title) of one of the overview's tables."""
    from django.utils.translation import gettext

    figures = [
        gettext("Enrolled"),
        gettext("Completed"),
        gettext("Not finished"),
        gettext("Completion %"),
        gettext("Certificates"),
        gettext("Mean learning gain (points)"),
    ]
    if table == "organisations":
        return (
            [gettext("Organisation"), gettext("Organisation kind"), *figures],
            _group_rows(data.organisations, True),
            gettext("Organisations"),
        )
    if table == "kinds":
        return (
            [gettext("Organisation kind"), *figures],
            _group_rows(data.kinds, False),
            gettext("Organisation kinds"),
        )
    if table == "cohorts":
        return [gettext("Cohort"), *figures], _group_rows(data.cohorts, False), gettext("Cohorts")
    rows = ([m.month.strftime("%Y-%m"), m.completions, m.certificates] for m in data.months)
    return (
        [gettext("Month"), gettext("Completions"), gettext("Certificates")],
        rows,
        gettext("Per month"),
    )
