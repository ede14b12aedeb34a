from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.factories import course_tree
from courses.models import Enrolment
from courses.services import activity_complete, activity_start
from reports import dashboard, sources
from reports.dashboard import DashboardQuery

from .helpers import big_cohort, lessons_of

pytestmark = pytest.mark.django_db


def board(cohort, course, **query):
    return dashboard.cohort_dashboard(cohort, course, DashboardQuery(**query))


def test_each_cell_shows_the_state_of_one_activity(cohort, pcourse, members):
    lessons = lessons_of(pcourse)
    activity_complete(user=members[0], activity=lessons[0])
    activity_start(user=members[0], activity=lessons[1])
    row = next(r for r in board(cohort, pcourse).rows if r.user == members[0])
    assert row.cells == [
        dashboard.CELL_COMPLETE,
        dashboard.CELL_IN_PROGRESS,
        dashboard.CELL_NOT_STARTED,
        dashboard.CELL_NOT_STARTED,
    ]
    assert row.percent == 25
    assert row.standing == "in_progress"


def test_a_locked_module_shows_locked_cells_and_the_reason(cohort, pcourse, members):
    from courses.models import ModulePage

    second = ModulePage.objects.child_of(pcourse).order_by("path")[1]
    second.requires_previous = True
    second.save_revision().publish()
    activity_start(user=members[0], activity=lessons_of(pcourse)[0])
    row = next(r for r in board(cohort, pcourse).rows if r.user == members[0])
    assert row.cells[2:] == [dashboard.CELL_LOCKED, dashboard.CELL_LOCKED]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("complete", {0}),
        ("in_progress", {1}),
        ("not_started", {2}),
        ("unfinished", {1, 2}),
        ("", {0, 1, 2}),
    ],
)
def test_state_filter_selects_learners_in_sql(cohort, pcourse, members, state, expected):
    for lesson in lessons_of(pcourse):
        activity_complete(user=members[0], activity=lesson)
    activity_start(user=members[1], activity=lessons_of(pcourse)[0])
    rows = board(cohort, pcourse, state=state).rows
    assert {members.index(r.user) for r in rows} == expected


def test_organisation_filter(cohort, pcourse, members, company):
    rows = board(cohort, pcourse, organisation_id=company.pk).rows
    assert [r.user.organisation for r in rows] == [company]


def test_learners_idle_for_n_days_are_stuck_and_n_is_selectable(cohort, pcourse, members):
    activity_start(user=members[0], activity=lessons_of(pcourse)[0])
    Enrolment.objects.filter(user=members[0]).update(
        last_activity_at=timezone.now() - timedelta(days=10)
    )
    assert board(cohort, pcourse, state="stuck").rows == []
    stuck = board(cohort, pcourse, state="stuck", stuck_days=7).rows
    assert [r.user for r in stuck] == [members[0]]
    assert stuck[0].stuck
    assert "10" in " ".join(stuck[0].reasons)


def test_a_learner_who_failed_the_last_allowed_attempt_is_stuck(
    cohort, pcourse, members, monkeypatch
):
    activity_start(user=members[1], activity=lessons_of(pcourse)[0])
    monkeypatch.setattr(
        sources,
        "quiz_results",
        lambda ids, course: {
            uid: {"failed_out": uid == members[1].pk, "best_score": 40.0} for uid in ids
        },
    )
    stuck = board(cohort, pcourse, state="stuck").rows
    assert [r.user for r in stuck] == [members[1]]
    assert stuck[0].quiz["best_score"] == 40.0


def test_withdrawn_learners_are_shown_as_such(cohort, pcourse, members):
    Enrolment.objects.filter(user=members[2]).update(status=Enrolment.Status.WITHDRAWN)
    rows = board(cohort, pcourse, state="withdrawn").rows
    assert [(r.user, r.standing) for r in rows] == [(members[2], "withdrawn")]


def test_summary_counts_the_whole_cohort_not_only_the_page(cohort, pcourse, members):
    result = board(cohort, pcourse, per_page=25, state="complete")
    assert result.summary["total"] == 3
    assert result.summary["not_started"] == 3


def test_members_of_other_cohorts_never_appear(cohort, pcourse, other_cohort):
    users = {r.user for r in board(cohort, pcourse).rows}
    assert not users & set(other_cohort.members.all())


def _render(client, cohort):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/reportes/cohortes/{cohort.pk}/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_query_count_does_not_grow_with_learners_or_activities(
    client, programme, trainer, ministry
):
    """1,000 learners x 40 activities cost the same queries as 3 learners x 4 activities."""
    small_course = course_tree(programme=programme, mode="cohort", modules=2, lessons=2)
    small = big_cohort(
        programme=programme, course=small_course, trainer=trainer, learners=3, organisation=ministry
    )
    large_course = course_tree(programme=programme, mode="cohort", modules=8, lessons=5)
    large = big_cohort(
        programme=programme,
        course=large_course,
        trainer=trainer,
        learners=1000,
        organisation=ministry,
    )
    client.force_login(trainer)
    for _ in range(2):  # warm the caches
        _render(client, small), _render(client, large)
    small_count, _ = _render(client, small)
    large_count, response = _render(client, large)
    assert small_count == large_count
    assert response.content.count(b'name="personas"') == dashboard.DEFAULT_PAGE_SIZE
