import pytest

from assessments.factories import QuestionFactory, quiz_with_questions
from assessments.models import Question
from courses.models import ModulePage
from courses.services import enrolment_create


@pytest.fixture
def module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


@pytest.fixture
def last_module(course):
    return ModulePage.objects.child_of(course).order_by("path").last()


@pytest.fixture
def questions(db):
    """One of each graded type but essay, 1 point each."""
    return [
        QuestionFactory(),
        QuestionFactory(qtype=Question.Type.MULTIPLE, choices=[("A", 50), ("B", 50), ("C", -100)]),
        QuestionFactory(qtype=Question.Type.TRUEFALSE, correct_answer=False),
        QuestionFactory(qtype=Question.Type.SHORT, choices=[("México", 100)]),
    ]


@pytest.fixture
def quiz(module, questions):
    return quiz_with_questions(parent=module, questions=questions, pass_mark=75, max_attempts=2)


@pytest.fixture
def enrolled(learner, course):
    enrolment_create(user=learner, course=course)
    return learner


def right_answers(attempt) -> dict:
    """The full-marks response to each question of an attempt."""
    out = {}
    for snap in attempt.questions:
        if snap["type"] == "single":
            out[snap["key"]] = next(c["key"] for c in snap["choices"] if c["weight"] == 100)
        elif snap["type"] == "multiple":
            out[snap["key"]] = [c["key"] for c in snap["choices"] if c["weight"] > 0]
        elif snap["type"] == "truefalse":
            out[snap["key"]] = "true" if snap["correct"] else "false"
        elif snap["type"] == "short":
            out[snap["key"]] = snap["answers"][0]["text"]
        elif snap["type"] == "essay":
            out[snap["key"]] = "Mi ensayo"
    return out
