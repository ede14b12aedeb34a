import pytest

from assessments.factories import QuestionFactory, quiz_with_questions, survey_with_questions
from assessments.models import Question
from courses.models import ModulePage
from courses.services import enrolment_create


@pytest.fixture
def module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


@pytest.fixture
def quiz(module):
    questions = [
        QuestionFactory(general_feedback="Vea la lección 1."),
        QuestionFactory(qtype=Question.Type.TRUEFALSE, correct_answer=False),
    ]
    return quiz_with_questions(
        parent=module, questions=questions, pass_mark=50, max_attempts=1, available_offline=True
    )


@pytest.fixture
def survey(module):
    questions = [QuestionFactory(qtype=Question.Type.LIKERT)]
    return survey_with_questions(parent=module, questions=questions, available_offline=True)


@pytest.fixture
def enrolled(learner, course):
    enrolment_create(user=learner, course=course)
    return learner


def right_pairs(paper) -> list[list[str]]:
    """The form fields of a full-marks answer to a paper, as the device sends them."""
    pairs = []
    for snap in paper.questions:
        name = "r_" + snap["key"]
        if snap["type"] == "single":
            pairs.append([name, next(c["key"] for c in snap["choices"] if c["weight"] == 100)])
        elif snap["type"] == "truefalse":
            pairs.append([name, "true" if snap["correct"] else "false"])
    return pairs
