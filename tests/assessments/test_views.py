"""Learner attempt pages: no answer leakage, save and resume, submit, review, ownership, time."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.factories import QuestionFactory, quiz_with_questions
from assessments.models import Attempt, Question

from .conftest import right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaky_quiz(module):
    """Every graded type, each with feedback and answers that must not appear before submission."""
    questions = [
        QuestionFactory(
            choices=[
                ("Opción uno", 100, "FEEDBACK-SINGLE-OK"),
                ("Opción dos", -50, "FEEDBACK-SINGLE-KO"),
            ],
            general_feedback="GENERAL-FEEDBACK",
        ),
        QuestionFactory(
            qtype=Question.Type.MULTIPLE,
            choices=[("M1", 50, "FEEDBACK-M1"), ("M2", 50), ("M3", -100)],
        ),
        QuestionFactory(
            qtype=Question.Type.TRUEFALSE,
            correct_answer=False,
            feedback_true="FEEDBACK-TRUE",
            feedback_false="FEEDBACK-FALSE",
        ),
        QuestionFactory(
            qtype=Question.Type.SHORT, choices=[("SECRETANSWER", 100, "FEEDBACK-SHORT")]
        ),
        QuestionFactory(qtype=Question.Type.NUMERICAL, numeric=[(987654, 0.5)]),
        QuestionFactory(
            qtype=Question.Type.MATCHING,
            pairs=[
                ("Izquierda A", "Derecha A"),
                ("Izquierda B", "Derecha B"),
                ("Izquierda C", "Derecha C"),
            ],
        ),
        QuestionFactory(qtype=Question.Type.ESSAY, general_feedback="ESSAY-FEEDBACK"),
    ]
    return quiz_with_questions(parent=module, questions=questions, shuffle_choices=True)


def start(client, user, quiz):
    client.force_login(user)
    response = client.post(reverse("assessments:attempt_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=user, quiz=quiz, state="in_progress")
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessments:attempt", args=[attempt.pk]
    )
    return attempt


def test_the_quiz_page_offers_a_start_button_to_an_enrolled_learner(client, enrolled, quiz):
    client.force_login(enrolled)
    html = client.get(quiz.url).content.decode()
    assert reverse("assessments:attempt_start", args=[quiz.pk]) in html


def test_the_html_before_submission_holds_no_right_answer_weight_or_feedback(
    client, enrolled, leaky_quiz
):
    attempt = start(client, enrolled, leaky_quiz)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "Opción uno" in html and "Izquierda A" in html  # the questions are there
    for secret in ("FEEDBACK", "SECRETANSWER", "987654", "weight", "correct"):
        assert secret not in html, secret
    # no weight in any attribute or text (random choice keys are hex, so look for whole values)
    assert not re.search(r'[">\s](-?100(\.0)?|-50(\.0)?)[<"\s%]', html)
    # matching: the options are sorted, not paired with their items
    options = re.findall(r'<option value="(Derecha [ABC])"', html)
    assert options[:3] == ["Derecha A", "Derecha B", "Derecha C"]
    # choice values are opaque keys
    assert not re.search(r'value="(100|0|50)"', html)


def test_the_quiz_page_itself_holds_no_answers(client, enrolled, leaky_quiz):
    client.force_login(enrolled)
    html = client.get(leaky_quiz.url).content.decode()
    assert "FEEDBACK" not in html and "SECRETANSWER" not in html


def test_saved_answers_come_back_when_the_learner_returns(client, enrolled, quiz):
    attempt = start(client, enrolled, quiz)
    answers = right_answers(attempt)
    single = attempt.questions[0]
    short = attempt.questions[3]
    response = client.post(
        reverse("assessments:attempt", args=[attempt.pk]),
        {
            "action": "save",
            f"r_{single['key']}": answers[single["key"]],
            f"r_{short['key']}": "México",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert f'value="{answers[single["key"]]}" checked' in html
    assert 'value="México"' in html


def test_autosave_returns_json_and_stores_the_answers(client, enrolled, quiz):
    attempt = start(client, enrolled, quiz)
    key = attempt.questions[2]["key"]
    response = client.post(
        reverse("assessments:attempt_autosave", args=[attempt.pk]), {f"r_{key}": "false"}
    )
    assert json.loads(response.content)["saved"] is True
    assert Attempt.objects.get(pk=attempt.pk).answers == {key: "false"}


def test_submit_grades_and_shows_the_review_with_feedback(client, enrolled, leaky_quiz):
    attempt = start(client, enrolled, leaky_quiz)
    single = attempt.questions[0]
    right = next(c["key"] for c in single["choices"] if c["weight"] == 100)
    response = client.post(
        reverse("assessments:attempt", args=[attempt.pk]),
        {"action": "submit", f"r_{single['key']}": right},
    )
    assert response["Location"] == reverse("assessments:attempt_review", args=[attempt.pk])
    html = client.get(response["Location"]).content.decode()
    assert "FEEDBACK-SINGLE-OK" in html and "GENERAL-FEEDBACK" in html
    assert "SECRETANSWER" in html  # right answers shown right after the attempt (the default)
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.NEEDS_GRADING


def test_right_answers_stay_hidden_when_the_quiz_says_never(client, enrolled, module):
    quiz = quiz_with_questions(
        parent=module,
        show_answers="never",
        questions=[QuestionFactory(qtype=Question.Type.SHORT, choices=[("SECRETANSWER", 100)])],
    )
    attempt = start(client, enrolled, quiz)
    client.post(reverse("assessments:attempt", args=[attempt.pk]), {"action": "submit"})
    html = client.get(reverse("assessments:attempt_review", args=[attempt.pk])).content.decode()
    assert "SECRETANSWER" not in html


def test_right_answers_after_the_last_attempt_only(client, enrolled, module):
    quiz = quiz_with_questions(
        parent=module,
        show_answers="after_last",
        max_attempts=2,
        questions=[QuestionFactory(qtype=Question.Type.SHORT, choices=[("SECRETANSWER", 100)])],
    )
    first = start(client, enrolled, quiz)
    client.post(reverse("assessments:attempt", args=[first.pk]), {"action": "submit"})
    assert (
        "SECRETANSWER"
        not in client.get(reverse("assessments:attempt_review", args=[first.pk])).content.decode()
    )
    second = start(client, enrolled, quiz)
    client.post(reverse("assessments:attempt", args=[second.pk]), {"action": "submit"})
    assert (
        "SECRETANSWER"
        in client.get(reverse("assessments:attempt_review", args=[second.pk])).content.decode()
    )


@pytest.mark.parametrize("name", ["assessments:attempt", "assessments:attempt_review"])
def test_another_learners_attempt_is_not_found(client, enrolled, other_learner, quiz, name):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    client.force_login(other_learner)
    assert client.get(reverse(name, args=[attempt.pk])).status_code == 404


def test_another_learner_cannot_save_or_submit_into_an_attempt(
    client, enrolled, other_learner, quiz
):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    client.force_login(other_learner)
    key = attempt.questions[2]["key"]
    assert (
        client.post(
            reverse("assessments:attempt_autosave", args=[attempt.pk]), {f"r_{key}": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("assessments:attempt", args=[attempt.pk]), {"action": "submit"}
        ).status_code
        == 404
    )
    assert Attempt.objects.get(pk=attempt.pk).is_open


def expired_attempt_half_answered(client, enrolled, module, questions) -> Attempt:
    """An attempt of a timed quiz with half its questions answered right, saved in time, and a
    deadline that has passed since."""
    quiz = quiz_with_questions(parent=module, questions=questions, time_limit_minutes=5)
    attempt = start(client, enrolled, quiz)
    right = right_answers(attempt)
    saved = dict(list(right.items())[: len(right) // 2])
    services.attempt_save(user=enrolled, attempt_id=attempt.pk, answers=saved)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    return Attempt.objects.get(pk=attempt.pk)


def test_opening_an_expired_attempt_shows_the_saved_answers_and_changes_nothing(
    client, enrolled, module, questions
):
    """A GET grades nothing: it says the time is over, shows what was saved (read-only) and
    offers the button that grades."""
    attempt = expired_attempt_half_answered(client, enrolled, module, questions)
    response = client.get(reverse("assessments:attempt", args=[attempt.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="time-over"' in html and 'name="action" value="grade"' in html
    assert "<fieldset disabled" in html and 'id="attempt-form"' not in html
    after = Attempt.objects.get(pk=attempt.pk)
    assert after.is_open and after.answers == attempt.answers and after.submitted_at is None


def test_the_grade_button_grades_an_expired_attempt_on_what_was_saved(
    client, enrolled, module, questions
):
    """The result is the one grading at the deadline gives: only the answers saved in time."""
    attempt = expired_attempt_half_answered(client, enrolled, module, questions)
    response = client.post(
        reverse("assessments:attempt", args=[attempt.pk]),
        {"action": "grade", **{f"r_{k}": v for k, v in right_answers(attempt).items()}},
    )
    assert response["Location"] == reverse("assessments:attempt_review", args=[attempt.pk])
    graded = Attempt.objects.get(pk=attempt.pk)
    assert not graded.is_open and graded.late
    assert graded.answers == attempt.answers
    services.attempts_close_expired()  # the periodic task finds nothing left to do
    assert Attempt.objects.get(pk=attempt.pk).score == graded.score
    reference = expired_attempt_half_answered(client, enrolled, module, questions)
    assert services.attempts_close_expired() == 1  # a learner who never comes back
    assert Attempt.objects.get(pk=reference.pk).score == graded.score


def test_a_late_submission_ignores_the_answers_it_carries(client, enrolled, module, questions):
    quiz = quiz_with_questions(parent=module, questions=questions, time_limit_minutes=5)
    attempt = start(client, enrolled, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    data = {"action": "submit", **{f"r_{k}": v for k, v in right_answers(attempt).items()}}
    client.post(reverse("assessments:attempt", args=[attempt.pk]), data)
    assert float(Attempt.objects.get(pk=attempt.pk).score) == 0


def test_a_refused_start_shows_a_message_and_changes_nothing(client, learner, quiz):
    client.force_login(learner)  # not enrolled
    response = client.post(reverse("assessments:attempt_start", args=[quiz.pk]), follow=True)
    assert response.status_code == 200
    assert not Attempt.objects.exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_start_needs_post(client, enrolled, quiz):
    client.force_login(enrolled)
    assert client.get(reverse("assessments:attempt_start", args=[quiz.pk])).status_code == 405


def test_garbage_input_never_errors(client, enrolled, quiz):
    attempt = start(client, enrolled, quiz)
    data = {
        "action": "save",
        **{f"r_{q['key']}": "x" * 20000 for q in attempt.questions},
        "r_q999": "x",
    }
    assert client.post(reverse("assessments:attempt", args=[attempt.pk]), data).status_code == 302
    assert client.get(reverse("assessments:attempt", args=[attempt.pk])).status_code == 200


def test_a_nul_byte_is_a_clear_400_and_saves_nothing(client, enrolled, quiz):
    """The database cannot store NUL: the learner is told so in their language, nothing is saved."""
    attempt = start(client, enrolled, quiz)
    before = Attempt.objects.get(pk=attempt.pk).answers
    data = {"action": "save", **{f"r_{q['key']}": "\x00" * 20 for q in attempt.questions}}
    response = client.post(reverse("assessments:attempt", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert "no se pueden guardar" in response.content.decode().lower()
    assert Attempt.objects.get(pk=attempt.pk).answers == before


def test_the_learner_home_lists_quiz_scores(client, enrolled, quiz):
    attempt = services.attempt_start(user=enrolled, quiz=quiz)
    services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt))
    client.force_login(enrolled)
    html = client.get(reverse("learner_home")).content.decode()
    assert quiz.title in html and "100 %" in html


def test_quiz_and_survey_pages_render_for_visitors(client, quiz, last_module):
    from assessments.factories import survey_with_questions

    survey = survey_with_questions(
        parent=last_module, questions=[QuestionFactory(qtype=Question.Type.LIKERT)]
    )
    for page in (quiz, survey):
        response = client.get(page.url)
        assert response.status_code == 200
        assert reverse("login") in response.content.decode()
