"""Reports read real quizzes, surveys, workshops and certificates through the other apps'
selectors."""

import pytest

from courses.models import ModulePage
from lms.factories import UserFactory
from lms.services import cohort_add_member
from reports import dashboard
from reports.dashboard import DashboardQuery

pytestmark = pytest.mark.django_db

assessments = pytest.importorskip("assessments.factories")


def first_module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


def test_a_learner_who_used_the_only_attempt_without_passing_is_stuck(cohort, pcourse, members):
    from assessments.services import attempt_start, attempt_submit

    quiz = assessments.quiz_with_questions(
        parent=first_module(pcourse),
        questions=[assessments.QuestionFactory()],
        max_attempts=1,
        pass_mark=80,
        draw_count=1,
    )
    attempt = attempt_start(user=members[0], quiz=quiz)
    attempt_submit(user=members[0], attempt_id=attempt.pk, answers={})
    rows = dashboard.cohort_dashboard(cohort, pcourse, DashboardQuery(state="stuck")).rows
    assert [r.user for r in rows] == [members[0]]
    assert rows[0].quiz["failed_out"] is True
    assert rows[0].quiz["best_score"] == 0


def test_survey_results_per_organisation_leave_out_groups_under_five(
    client, manager, cohort, pcourse, ministry, company
):
    from assessments.selectors import survey_snapshots
    from assessments.services import survey_submit

    question = assessments.QuestionFactory(text="¿Le sirvió el curso?")
    survey = assessments.survey_with_questions(parent=first_module(pcourse), questions=[question])
    snapshot = survey_snapshots(survey)[0]
    answer = {snapshot["key"]: snapshot["choices"][0]["key"]}
    for index in range(5):
        cohort_add_member(
            cohort=cohort, user=UserFactory(full_name=f"Extra {index}", organisation=ministry)
        )
    for user in cohort.members.all():
        survey_submit(user=user, survey=survey, answers=answer)
    client.force_login(manager)
    report = client.get(f"/reportes/programas/{cohort.programme_id}/").context["surveys"]
    assert report.available
    [table] = report.tables
    rows = {r.label: r for r in table.rows}
    # An anonymous survey shows whole batches of five answers per group: 5 of the ministry's 7.
    assert rows[ministry.name].respondents == 5 and not rows[ministry.name].hidden
    assert rows[ministry.name].cells == ["Correcta (100 %)"]
    # Neither named nor counted: one answer could point at a person. In an anonymous survey the
    # company's answers are not in a released batch yet, so the table does not even know of them.
    assert company.name not in rows
    assert sum(r.respondents for r in table.rows[1:]) == 5
    html = client.get(f"/reportes/programas/{cohort.programme_id}/").content.decode()
    assert company.name not in html.split('id="surveys-title"')[1]
