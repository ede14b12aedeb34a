"""Trainers grade essays of their cohorts only; staff see quiz results; quiz_results_for."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.factories import QuestionFactory, quiz_with_questions
from assessments.models import Attempt, Question, QuizPage
from assessments.selectors import quiz_results_for
from courses.services import cohort_course_add, enrolment_create
from lms.factories import CohortFactory, UserFactory
from lms.services import cohort_add_member

from .conftest import right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay_quiz(module):
    return quiz_with_questions(
        parent=module, questions=[QuestionFactory(), QuestionFactory(qtype=Question.Type.ESSAY)]
    )


@pytest.fixture
def cohort(course, trainer, learner):
    cohort = CohortFactory(programme=course.get_programme(), trainers=[trainer])
    cohort_add_member(cohort=cohort, user=learner)
    cohort_course_add(cohort=cohort, course=course)
    return cohort


def submitted_essay(learner, quiz):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    return services.attempt_submit(
        user=learner, attempt_id=attempt.pk, answers=right_answers(attempt)
    )


def test_a_trainer_sees_and_grades_the_essays_of_their_cohort(
    client, cohort, trainer, learner, essay_quiz
):
    attempt = submitted_essay(learner, essay_quiz)
    client.force_login(trainer)
    assert learner.full_name in client.get(reverse("assessments:grading_queue")).content.decode()
    essay_key = attempt.questions[1]["key"]
    response = client.post(
        reverse("assessments:grade_attempt", args=[attempt.pk]),
        {"question": essay_key, "percent": "80", "comment": "Bien argumentado"},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and float(attempt.score) == 90.0


def test_a_trainer_of_another_cohort_cannot_see_or_grade(
    client, cohort, learner, essay_quiz, course
):
    attempt = submitted_essay(learner, essay_quiz)
    stranger = UserFactory(roles=("trainer",))
    CohortFactory(programme=course.get_programme(), trainers=[stranger])
    client.force_login(stranger)
    assert (
        learner.full_name not in client.get(reverse("assessments:grading_queue")).content.decode()
    )
    url = reverse("assessments:grade_attempt", args=[attempt.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"question": attempt.questions[1]["key"], "percent": "100"}).status_code
        == 404
    )
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.NEEDS_GRADING


def test_a_learner_has_no_grading_queue(client, learner):
    client.force_login(learner)
    assert client.get(reverse("assessments:grading_queue")).status_code == 404


@pytest.mark.parametrize("mark", ["abc", "150", "-1", ""])
def test_a_bad_mark_changes_nothing(client, cohort, trainer, learner, essay_quiz, mark):
    attempt = submitted_essay(learner, essay_quiz)
    client.force_login(trainer)
    response = client.post(
        reverse("assessments:grade_attempt", args=[attempt.pk]),
        {"question": attempt.questions[1]["key"], "percent": mark},
        follow=True,
    )
    assert response.status_code == 200
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.NEEDS_GRADING


def test_quiz_results_page_for_the_trainer_only(client, cohort, trainer, learner, quiz):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(user=learner, attempt_id=attempt.pk, answers=right_answers(attempt))
    url = reverse("assessments:quiz_results", args=[quiz.pk])
    client.force_login(learner)
    assert client.get(url).status_code == 404
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert learner.full_name in html and "100 %" in html


def test_quiz_results_for_reports_scores_gain_and_failure_in_constant_queries(
    course, module, last_module, questions, django_assert_max_num_queries
):
    pre = quiz_with_questions(parent=module, questions=questions, kind=QuizPage.Kind.PRE)
    graded = quiz_with_questions(parent=module, questions=questions, max_attempts=1, pass_mark=100)
    post = quiz_with_questions(
        parent=last_module, questions=questions, kind=QuizPage.Kind.POST, pre_test=pre
    )
    learners = [UserFactory() for _ in range(4)]
    for user in learners:
        enrolment_create(user=user, course=course)
    first, second = learners[0], learners[1]
    for quiz, fraction_user in ((pre, first), (graded, first), (post, first)):
        attempt = services.attempt_start(user=fraction_user, quiz=quiz)
        answers = right_answers(attempt)
        if quiz is pre:
            answers = dict(list(answers.items())[:1])  # 25 %
        services.attempt_submit(user=fraction_user, attempt_id=attempt.pk, answers=answers)
    attempt = services.attempt_start(user=second, quiz=graded)
    services.attempt_submit(user=second, attempt_id=attempt.pk, answers={})
    ids = [u.pk for u in learners]
    with django_assert_max_num_queries(2):
        results = quiz_results_for(ids, course)
    assert results[first.pk] == {
        "best_score": 100.0,
        "pre": 25.0,
        "post": 100.0,
        "gain": 75.0,
        "failed_out": False,
    }
    assert results[second.pk]["failed_out"] is True and results[second.pk]["best_score"] == 0.0
    assert results[learners[2].pk] == {
        "best_score": None,
        "pre": None,
        "post": None,
        "gain": None,
        "failed_out": False,
    }


def test_quiz_results_for_a_course_without_quizzes(course, learner):
    assert quiz_results_for([learner.pk], course)[learner.pk]["best_score"] is None
    assert quiz_results_for([], course) == {}


def test_the_profile_links_a_trainer_to_the_essays_to_grade(client, trainer):
    client.force_login(trainer)
    assert reverse("assessments:grading_queue") in client.get(reverse("profile")).content.decode()


def test_the_trainer_home_counts_the_essays_waiting(client, cohort, trainer, learner, essay_quiz):
    submitted_essay(learner, essay_quiz)
    client.force_login(trainer)
    assert (
        reverse("assessments:grading_queue") in client.get(reverse("learner_home")).content.decode()
    )


def test_a_trainer_does_not_grade_quizzes_of_courses_their_cohort_does_not_take(
    client, cohort, trainer, learner
):
    from assessments.factories import QuestionFactory as QF
    from courses.factories import course_tree
    from courses.models import ModulePage

    other_course = course_tree(modules=1, lessons=1)
    enrolment_create(user=learner, course=other_course)
    quiz = quiz_with_questions(
        parent=ModulePage.objects.child_of(other_course).first(),
        questions=[QF(qtype=Question.Type.ESSAY)],
    )
    attempt = submitted_essay(learner, quiz)
    client.force_login(trainer)
    assert client.get(reverse("assessments:grade_attempt", args=[attempt.pk])).status_code == 404
    assert quiz.title not in client.get(reverse("assessments:grading_queue")).content.decode()


def test_a_quiz_awaiting_grading_is_shown_as_such_and_not_offered_to_continue(
    client, cohort, trainer, learner, essay_quiz
):
    from courses.models import ActivityProgress

    attempt = submitted_essay(learner, essay_quiz)
    progress = ActivityProgress.objects.get(user=learner, activity_id=essay_quiz.pk)
    assert progress.state == ActivityProgress.State.WAITING
    client.force_login(learner)
    home = client.get(reverse("learner_home")).content.decode()
    assert "Pendiente de calificar" in home or "Awaiting grading" in home
    services.essay_grade(
        grader=trainer, attempt_id=attempt.pk, question_key=attempt.questions[1]["key"], percent=100
    )
    assert ActivityProgress.objects.get(pk=progress.pk).state == ActivityProgress.State.COMPLETE


def test_a_failed_grading_puts_the_quiz_back_in_progress(cohort, trainer, learner, essay_quiz):
    from courses.models import ActivityProgress

    attempt = submitted_essay(learner, essay_quiz)
    services.essay_grade(
        grader=trainer, attempt_id=attempt.pk, question_key=attempt.questions[1]["key"], percent=0
    )
    assert (
        ActivityProgress.objects.get(user=learner, activity_id=essay_quiz.pk).state == "in_progress"
    )
