"""Attempt flow, limits, time limits, essay grading, pre/post tests and A/B forms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services
from assessments.exceptions import AttemptRefused, NoQuestions
from assessments.factories import QuestionFactory, quiz_with_questions
from assessments.models import Attempt, Question, QuizPage
from courses.exceptions import ActivityLocked, NotEnrolled
from courses.models import ActivityProgress
from courses.selectors import course_status

from .conftest import right_answers

pytestmark = pytest.mark.django_db


def progress_state(user, page):
    row = ActivityProgress.objects.filter(user=user, activity_id=page.pk).first()
    return row.state if row else None


def test_start_snapshots_the_questions_and_resumes_the_open_attempt(enrolled, quiz):
    first = services.attempt_start(user=enrolled, quiz=quiz)
    again = services.attempt_start(user=enrolled, quiz=quiz)
    assert first.pk == again.pk
    assert [q["type"] for q in first.questions] == ["single", "multiple", "truefalse", "short"]
    assert progress_state(enrolled, quiz) == "in_progress"


def test_a_learner_who_is_not_enrolled_cannot_start(learner, quiz):
    with pytest.raises(NotEnrolled):
        services.attempt_start(user=learner, quiz=quiz)
    assert not Attempt.objects.exists()


def test_answers_saved_as_you_go_survive_and_are_graded(enrolled, quiz):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    services.attempt_save(user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt))
    resumed = services.attempt_start(user=enrolled, quiz=quiz)
    assert resumed.answers == right_answers(attempt)
    done = services.attempt_submit(user=enrolled, attempt_id=attempt.pk)
    assert done.state == Attempt.State.GRADED
    assert float(done.score) == 100.0 and done.passed


def test_passing_completes_the_activity_and_failing_does_not(enrolled, other_learner, course, quiz):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    answers = right_answers(attempt)
    answers.pop(attempt.questions[0]["key"])  # 3 of 4 right: 75 %, the pass mark
    services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers=answers)
    assert progress_state(enrolled, quiz) == "complete"

    from courses.services import enrolment_create

    enrolment_create(user=other_learner, course=course)
    attempt = services.attempt_start(user=other_learner, quiz=quiz)
    done = services.attempt_submit(user=other_learner, attempt_id=attempt.pk, answers={})
    assert done.passed is False and float(done.score) == 0
    assert progress_state(other_learner, quiz) == "in_progress"


def test_the_attempt_limit_is_enforced(enrolled, quiz):
    for _ in range(2):
        attempt = services.attempt_start(user=enrolled, quiz=quiz)
        services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers={})
    with pytest.raises(AttemptRefused):
        services.attempt_start(user=enrolled, quiz=quiz)
    assert Attempt.objects.count() == 2


def test_submitting_twice_counts_once(enrolled, quiz):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    first = services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers={})
    second = services.attempt_submit(
        user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt)
    )
    assert float(second.score) == float(first.score) == 0
    assert second.submitted_at == first.submitted_at


def test_a_submission_after_the_deadline_is_graded_on_what_was_saved_in_time(
    enrolled, module, questions
):
    quiz = quiz_with_questions(parent=module, questions=questions, time_limit_minutes=10)
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    answers = right_answers(attempt)
    first_key = attempt.questions[0]["key"]
    services.attempt_save(
        user=enrolled, attempt_id=attempt.pk, answers={first_key: answers[first_key]}
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    done = services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers=answers)
    assert done.late is True
    assert float(done.score) == 25.0
    assert set(Attempt.objects.get(pk=attempt.pk).answers) == {first_key}


def test_saving_after_the_deadline_closes_the_attempt_without_saving(enrolled, module, questions):
    quiz = quiz_with_questions(parent=module, questions=questions, time_limit_minutes=1)
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    result = services.attempt_save(
        user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt)
    )
    assert result.is_submitted and result.late
    assert result.answers == {}


def test_the_deadline_is_set_by_the_server_clock(enrolled, module, questions):
    quiz = quiz_with_questions(parent=module, questions=questions, time_limit_minutes=30)
    before = timezone.now()
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    assert (
        before + timedelta(minutes=30) <= attempt.deadline <= timezone.now() + timedelta(minutes=30)
    )


def test_expired_attempts_are_closed_by_the_sweep(enrolled, module, questions):
    quiz = quiz_with_questions(parent=module, questions=questions, time_limit_minutes=5)
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert services.attempts_close_expired() == 1
    assert services.attempts_close_expired() == 0
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.GRADED


def test_editing_a_question_does_not_change_a_past_attempt(enrolled, quiz, questions):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    done = services.attempt_submit(
        user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt)
    )
    question = questions[0]
    question.text = "Texto cambiado"
    question.save()
    question.choices.update(weight=0)
    stored = Attempt.objects.get(pk=done.pk)
    assert stored.questions[0]["text"] != "Texto cambiado"
    assert float(stored.score) == 100.0


def test_an_essay_waits_for_a_trainer_then_completes_the_quiz(enrolled, module, trainer):
    essay = QuestionFactory(qtype=Question.Type.ESSAY)
    quiz = quiz_with_questions(parent=module, questions=[QuestionFactory(), essay], pass_mark=75)
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    done = services.attempt_submit(
        user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt)
    )
    assert done.state == Attempt.State.NEEDS_GRADING and done.passed is None
    assert progress_state(enrolled, quiz) != "complete"
    graded = services.essay_grade(
        grader=trainer,
        attempt_id=done.pk,
        question_key=f"q{essay.pk}",
        percent=60,
        comment="Buen trabajo",
    )
    assert graded.state == Attempt.State.GRADED and float(graded.score) == 80.0 and graded.passed
    assert graded.results[f"q{essay.pk}"]["feedback"][0] == "Buen trabajo"
    assert progress_state(enrolled, quiz) == "complete"


def test_a_regraded_essay_that_fails_reopens_the_quiz(enrolled, module, trainer):
    essay = QuestionFactory(qtype=Question.Type.ESSAY)
    quiz = quiz_with_questions(parent=module, questions=[essay], pass_mark=50)
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers={f"q{essay.pk}": "texto"})
    services.essay_grade(
        grader=trainer, attempt_id=attempt.pk, question_key=f"q{essay.pk}", percent=90
    )
    assert progress_state(enrolled, quiz) == "complete"
    services.essay_grade(
        grader=trainer, attempt_id=attempt.pk, question_key=f"q{essay.pk}", percent=10
    )
    assert progress_state(enrolled, quiz) == "in_progress"


def test_a_quiz_without_questions_refuses_to_start(enrolled, module):
    quiz = quiz_with_questions(parent=module, questions=[])
    with pytest.raises(NoQuestions):
        services.attempt_start(user=enrolled, quiz=quiz)


def test_random_draw_takes_n_questions_from_the_category(enrolled, module):
    pool = [QuestionFactory(category__name="Banco") for _ in range(6)]
    quiz = quiz_with_questions(
        parent=module, questions=[], draw_category=pool[0].category, draw_count=3
    )
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    assert len(attempt.questions) == 3
    assert {q["question_id"] for q in attempt.questions} <= {q.pk for q in pool}


def test_shuffled_choices_keep_their_keys(enrolled, module):
    question = QuestionFactory(choices=[(str(i), 100 if i == 0 else 0) for i in range(8)])
    quiz = quiz_with_questions(parent=module, questions=[question], shuffle_choices=True)
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    snapshot_keys = [c["key"] for c in attempt.questions[0]["choices"]]
    assert sorted(attempt.choice_orders[f"q{question.pk}"]) == sorted(snapshot_keys)
    assert len(snapshot_keys) == 8


def test_a_gate_pre_test_locks_the_course_until_submitted(enrolled, course, module, questions):
    pre = quiz_with_questions(
        parent=module, questions=questions, kind=QuizPage.Kind.PRE, opens_course=True
    )
    assert pre.is_gate()
    status = course_status(enrolled, course)
    others = [a for m in status.modules for a in m.activities if a.node.id != pre.pk]
    assert all(a.locked for a in others)
    attempt = services.attempt_start(user=enrolled, quiz=pre)
    done = services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers={})
    assert float(done.score) == 0 and done.passed is None  # a pre-test has no pass mark
    assert progress_state(enrolled, pre) == "complete"  # a pre-test completes on submission
    status = course_status(enrolled, course)
    assert not any(a.locked for m in status.modules for a in m.activities)
    with pytest.raises(AttemptRefused):
        services.attempt_start(user=enrolled, quiz=pre)


def test_other_quizzes_stay_locked_behind_the_gate(enrolled, module, quiz, questions):
    quiz_with_questions(
        parent=module, questions=questions, kind=QuizPage.Kind.PRE, opens_course=True
    )
    with pytest.raises(ActivityLocked):
        services.attempt_start(user=enrolled, quiz=quiz)


def test_a_pre_test_not_marked_as_gate_is_not_a_gate(module, questions):
    pre = quiz_with_questions(parent=module, questions=questions, kind=QuizPage.Kind.PRE)
    assert not pre.is_gate()


def test_post_test_gives_the_other_form_and_the_learning_gain(enrolled, module, last_module):
    form_a = [QuestionFactory() for _ in range(2)]
    form_b = [QuestionFactory() for _ in range(2)]
    forms = {0: "A", 1: "A", 2: "B", 3: "B"}
    pre = quiz_with_questions(
        parent=module,
        questions=form_a + form_b,
        forms=forms,
        kind=QuizPage.Kind.PRE,
        parallel_forms=True,
    )
    post = quiz_with_questions(
        parent=last_module,
        questions=form_a + form_b,
        forms=forms,
        kind=QuizPage.Kind.POST,
        parallel_forms=True,
        pre_test=pre,
    )
    pre_attempt = services.attempt_start(user=enrolled, quiz=pre)
    assert pre_attempt.form in ("A", "B")
    half = dict(list(right_answers(pre_attempt).items())[:1])
    services.attempt_submit(user=enrolled, attempt_id=pre_attempt.pk, answers=half)
    post_attempt = services.attempt_start(user=enrolled, quiz=post)
    assert post_attempt.form == ("B" if pre_attempt.form == "A" else "A")
    expected = {q.pk for q in (form_b if post_attempt.form == "B" else form_a)}
    assert {q["question_id"] for q in post_attempt.questions} == expected
    services.attempt_submit(
        user=enrolled, attempt_id=post_attempt.pk, answers=right_answers(post_attempt)
    )
    from assessments.selectors import learning_gain

    assert learning_gain(enrolled, post) == {"pre": 50.0, "post": 100.0, "gain": 50.0}


def test_grading_method_last_keeps_the_last_attempt(enrolled, module, questions):
    from assessments.selectors import quiz_state

    quiz = quiz_with_questions(parent=module, questions=questions, grading_method="last")
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt))
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers={})
    assert quiz_state(enrolled, quiz).final_score == 0.0
    QuizPage.objects.filter(pk=quiz.pk).update(grading_method="highest")
    quiz.refresh_from_db()
    assert quiz_state(enrolled, quiz).final_score == 100.0


def test_choice_keys_do_not_reveal_the_editors_order(enrolled, quiz):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    keys = [c["key"] for c in attempt.questions[0]["choices"]]
    assert keys != ["a", "b"] and len(set(keys)) == 2 and all(len(k) == 6 for k in keys)


def test_parallel_forms_drawn_from_two_categories(enrolled, module, last_module):
    form_a = [QuestionFactory(category__name="Forma A") for _ in range(3)]
    form_b = [QuestionFactory(category__name="Forma B") for _ in range(3)]
    common = {
        "parallel_forms": True,
        "draw_category": form_a[0].category,
        "draw_category_b": form_b[0].category,
        "draw_count": 2,
    }
    pre = quiz_with_questions(parent=module, questions=[], kind=QuizPage.Kind.PRE, **common)
    post = quiz_with_questions(
        parent=last_module, questions=[], kind=QuizPage.Kind.POST, pre_test=pre, **common
    )
    pre_attempt = services.attempt_start(user=enrolled, quiz=pre)
    services.attempt_submit(user=enrolled, attempt_id=pre_attempt.pk)
    post_attempt = services.attempt_start(user=enrolled, quiz=post)
    pools = {"A": {q.pk for q in form_a}, "B": {q.pk for q in form_b}}
    assert {q["question_id"] for q in pre_attempt.questions} <= pools[pre_attempt.form]
    assert {q["question_id"] for q in post_attempt.questions} <= pools[post_attempt.form]
    assert pre_attempt.form != post_attempt.form


def test_the_gate_shows_in_the_course_structure(course, module, questions):
    from courses.selectors import course_structure

    pre = quiz_with_questions(
        parent=module, questions=questions, kind=QuizPage.Kind.PRE, opens_course=True
    )
    node = next(a for a in course_structure(course).activities() if a.id == pre.pk)
    assert node.is_gate and node.kind == "quizpage"


def test_the_expired_attempt_sweep_is_scheduled_and_importable():
    from importlib import import_module

    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "assessments.tasks.close_expired_attempts" in tasks
    assert callable(import_module("assessments.tasks").close_expired_attempts)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "graded", "opens_course": True}, "opens_course"),
        ({"kind": "graded", "pre_test": "pre"}, "pre_test"),
        ({"kind": "post", "pre_test": "graded"}, "pre_test"),
    ],
)
def test_quiz_settings_that_make_no_sense_are_refused(module, questions, fields, field):
    from django.core.exceptions import ValidationError

    pre = quiz_with_questions(parent=module, questions=questions, kind=QuizPage.Kind.PRE)
    graded = quiz_with_questions(parent=module, questions=questions)
    quiz = QuizPage(
        title="Q",
        slug="q",
        **{k: {"pre": pre, "graded": graded}.get(v, v) for k, v in fields.items()},
    )
    with pytest.raises(ValidationError) as info:
        quiz.clean()
    assert field in info.value.message_dict
