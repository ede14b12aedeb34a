"""Pre- and post-tests measure learning: the pre-test review keeps the answers until the
post-test is taken, the editor cannot give both the same questions, the gain compares first
sittings."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from assessments import services
from assessments.factories import QuestionFactory, quiz_with_questions
from assessments.models import Attempt, Question, QuizPage
from assessments.overlap import shared_items
from assessments.selectors import gain_of
from lms.factories import UserFactory

from .conftest import right_answers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("pre", "post", "pre_parallel", "post_parallel", "shared"),
    [
        ([(1, ""), (2, "")], [(3, ""), (4, "")], False, False, set()),
        ([(1, ""), (2, "")], [(2, ""), (4, "")], False, False, {2}),
        # parallel: form A first, form B at the end, and back
        ([(1, "A"), (2, "B")], [(1, "A"), (2, "B")], True, True, set()),
        ([(1, "A"), (2, "B"), (5, "")], [(1, "A"), (2, "B"), (5, "")], True, True, {5}),
        ([(1, "A"), (2, "B")], [(2, "A"), (1, "B")], True, True, {1, 2}),
        # a post-test in parallel forms after a plain pre-test gives form A
        ([(1, ""), (2, "")], [(1, "A"), (2, "B")], False, True, {1}),
        ([(1, "A"), (2, "B")], [(1, ""), (3, "")], True, False, {1}),
    ],
)
def test_shared_items(pre, post, pre_parallel, post_parallel, shared):
    assert shared_items(pre, post, pre_parallel=pre_parallel, post_parallel=post_parallel) == shared


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (
            [{"number": 1, "state": "graded", "score": 40}],
            [
                {"number": 1, "state": "graded", "score": 60},
                {"number": 2, "state": "graded", "score": 100},
            ],
            {"pre": 40.0, "post": 60.0, "gain": 20.0},
        ),
        (
            [
                {"number": 1, "state": "needs_grading", "score": 10},
                {"number": 2, "state": "graded", "score": 30},
            ],
            [],
            {"pre": 30.0, "post": None, "gain": None},
        ),
    ],
)
def test_the_gain_compares_the_first_graded_sitting_of_each_test(pre, post, expected):
    assert gain_of(pre, post) == expected


@pytest.fixture
def pre_and_post(module, last_module):
    secret = [
        QuestionFactory(qtype=Question.Type.SHORT, choices=[("PRE-SECRET", 100, "PRE-FEEDBACK")])
    ]
    other = [QuestionFactory(qtype=Question.Type.SHORT, choices=[("POST-SECRET", 100)])]
    pre = quiz_with_questions(parent=module, questions=secret, kind=QuizPage.Kind.PRE)
    post = quiz_with_questions(
        parent=last_module, questions=other, kind=QuizPage.Kind.POST, pre_test=pre
    )
    return pre, post


def sit(user, quiz, *, right: bool):
    attempt = services.attempt_start(user=user, quiz=quiz)
    answers = right_answers(attempt) if right else {}
    return services.attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def test_the_pre_test_review_shows_right_or_wrong_but_no_answer_until_the_post_test(
    client, enrolled, pre_and_post
):
    pre, post = pre_and_post
    attempt = sit(enrolled, pre, right=False)
    client.force_login(enrolled)
    html = client.get(reverse("assessments:attempt_review", args=[attempt.pk])).content.decode()
    assert "PRE-SECRET" not in html and "PRE-FEEDBACK" not in html
    assert "Incorrecta" in html or "Wrong" in html
    sit(enrolled, post, right=True)
    html = client.get(reverse("assessments:attempt_review", args=[attempt.pk])).content.decode()
    assert "PRE-SECRET" in html


@pytest.fixture
def editor(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def post_quiz_edit(client, quiz: QuizPage, questions: list[tuple[int, str]]):
    rows = [{"question": qid, "form": form} for qid, form in questions]
    data = nested_form_data(
        {
            "title": quiz.title,
            "slug": quiz.slug,
            "intro": rich_text(""),
            "kind": quiz.kind,
            "pre_test": quiz.pre_test_id or "",
            "parallel_forms": "on" if quiz.parallel_forms else "",
            "draw_category": "",
            "draw_category_b": "",
            "draw_count": "10",
            "shuffle_choices": "on",
            "max_attempts": "0",
            "time_limit_minutes": "",
            "pass_mark": "70",
            "grading_method": "highest",
            "show_answers": "immediately",
            "required": "on",
            "estimated_minutes": "10",
            "quiz_questions": inline_formset(rows),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[quiz.pk]), data)


def test_the_editor_is_told_when_a_post_test_repeats_its_pre_tests_questions(
    client, editor, pre_and_post
):
    pre, post = pre_and_post
    shared = pre.quiz_questions.first().question_id
    response = post_quiz_edit(client, post, [(shared, "")])
    assert response.status_code == 200
    assert (
        "share questions" in response.content.decode()
        or "comparten preguntas" in response.content.decode()
    )
    assert list(
        QuizPage.objects.get(pk=post.pk).quiz_questions.values_list("question_id", flat=True)
    ) != [shared]


def test_parallel_forms_that_never_meet_the_same_learner_are_accepted(
    client, editor, module, last_module
):
    a, b = QuestionFactory(), QuestionFactory()
    pre = quiz_with_questions(
        parent=module,
        questions=[a, b],
        forms={0: "A", 1: "B"},
        kind=QuizPage.Kind.PRE,
        parallel_forms=True,
    )
    post = quiz_with_questions(
        parent=last_module,
        questions=[a],
        forms={0: "A"},
        kind=QuizPage.Kind.POST,
        pre_test=pre,
        parallel_forms=True,
    )
    response = post_quiz_edit(client, post, [(a.pk, "A"), (b.pk, "B")])
    assert response.status_code == 302, response.content.decode()[:3000]


def test_the_demo_pre_and_post_tests_share_no_question():
    from assessments.demo import QUIZZES

    for spec in QUIZZES.values():
        pre = list(spec["pre"][1].items())
        post = list(spec["post"][1].items())
        assert not shared_items(
            pre, post, pre_parallel=spec["parallel"], post_parallel=spec["parallel"]
        )


def test_a_second_post_test_attempt_does_not_raise_the_gain(enrolled, pre_and_post):
    from assessments.selectors import learning_gain

    pre, post = pre_and_post
    sit(enrolled, pre, right=False)
    sit(enrolled, post, right=False)
    sit(enrolled, post, right=True)
    assert Attempt.objects.filter(user=enrolled, quiz=post).count() == 2
    assert learning_gain(enrolled, post)["gain"] == 0
