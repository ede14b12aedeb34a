"""Programme figures from plain facts: pure, table-driven."""

from datetime import UTC, date, datetime

from reports import aggregate

DONE = datetime(2026, 10, 5, tzinfo=UTC)


def fact(user_id, org_id, kind, *, done=False, cohorts=(), gain=None, certified=False, when=DONE):
    return aggregate.EnrolmentFact(
        user_id=user_id,
        course_id=1,
        completed_at=when if done else None,
        organisation_id=org_id,
        organisation_label=f"Org {org_id}" if org_id else "",
        organisation_kind=kind,
        cohort_ids=tuple(cohorts),
        certified=certified,
        certified_at=when if certified else None,
        gain=gain,
    )


FACTS = [
    fact(1, 10, "ministry", done=True, cohorts=[100], gain=20, certified=True),
    fact(2, 10, "ministry", cohorts=[100], gain=10),
    fact(3, 11, "ministry", cohorts=[100]),
    fact(4, 11, "ministry", cohorts=[101]),
    fact(5, 12, "company", done=True, cohorts=[101], gain=-5, certified=True),
    fact(6, None, "", done=True),
]


def test_organisations_are_listed_laggards_first():
    groups = aggregate.by_organisation(FACTS, no_organisation="Sin organización")
    assert [(g.label, g.completed, g.enrolled, g.completion_percent) for g in groups] == [
        ("Org 11", 0, 2, 0.0),
        ("Org 10", 1, 2, 50.0),
        ("Org 12", 1, 1, 100.0),
        ("Sin organización", 1, 1, 100.0),
    ]


def test_organisations_can_be_limited_to_one_kind():
    groups = aggregate.by_organisation(FACTS, kind="ministry")
    assert {g.key for g in groups} == {10, 11}


def test_kinds_count_enrolments_certificates_and_mean_gain():
    groups = {
        g.key: g
        for g in aggregate.by_organisation_kind(
            FACTS, {"ministry": "Dependencia", "company": "Empresa", "": "—"}
        )
    }
    assert (
        groups["ministry"].enrolled,
        groups["ministry"].completed,
        groups["ministry"].certificates,
    ) == (4, 1, 1)
    assert groups["ministry"].mean_gain == 15.0
    assert groups["company"].mean_gain == -5.0
    assert groups[""].mean_gain is None


def test_cohorts_group_their_members():
    groups = {g.key: g for g in aggregate.by_cohort(FACTS, {100: "A", 101: "B"})}
    assert (groups[100].enrolled, groups[100].completed, groups[100].label) == (3, 1, "A")
    assert (groups[101].enrolled, groups[101].completed) == (2, 1)


def test_months_cover_the_last_twelve_and_count_completions_and_certificates():
    months = aggregate.per_month(FACTS, today=date(2026, 11, 25))
    assert len(months) == 12
    assert months[0].month == date(2025, 12, 1) and months[-1].month == date(2026, 11, 1)
    october = next(m for m in months if m.month == date(2026, 10, 1))
    assert (october.completions, october.certificates) == (3, 2)


def test_month_starts_cross_the_year():
    assert aggregate.month_starts(date(2026, 2, 10), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_totals_of_nothing_are_zero():
    empty = aggregate.totals([])
    assert (empty.enrolled, empty.completion_percent, empty.mean_gain) == (0, 0.0, None)
