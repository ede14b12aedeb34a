"""Graders per question type, table-driven; attempt scoring; what the browser may see."""

import pytest
from django.http import QueryDict

from assessments import grading as g

SINGLE = {
    "key": "q1",
    "type": "single",
    "text": "?",
    "points": 1,
    "general_feedback": "",
    "choices": [
        {"key": "a", "text": "Sí", "weight": 100, "feedback": "Bien"},
        {"key": "b", "text": "Quizá", "weight": 50, "feedback": ""},
        {"key": "c", "text": "No", "weight": -50, "feedback": "Mal"},
    ],
}
MULTIPLE = {
    "key": "q2",
    "type": "multiple",
    "text": "?",
    "points": 2,
    "general_feedback": "",
    "choices": [
        {"key": "a", "text": "A", "weight": 50, "feedback": ""},
        {"key": "b", "text": "B", "weight": 50, "feedback": ""},
        {"key": "c", "text": "C", "weight": -100, "feedback": "No"},
        {"key": "d", "text": "D", "weight": 0, "feedback": ""},
    ],
}
TF = {
    "key": "q3",
    "type": "truefalse",
    "text": "?",
    "correct": False,
    "feedback_true": "Revise",
    "feedback_false": "Exacto",
    "general_feedback": "",
}
SHORT = {
    "key": "q4",
    "type": "short",
    "text": "?",
    "case_sensitive": False,
    "ignore_accents": True,
    "general_feedback": "",
    "answers": [
        {"text": "México", "weight": 100, "feedback": ""},
        {"text": "CDMX", "weight": 50, "feedback": "Es la capital"},
        {"text": "*unidos mexicanos", "weight": 80, "feedback": ""},
    ],
}
SHORT_STRICT = {**SHORT, "case_sensitive": True, "ignore_accents": False}
NUMERICAL = {
    "key": "q5",
    "type": "numerical",
    "text": "?",
    "general_feedback": "",
    "numeric": [
        {"value": 27, "tolerance": 0, "low": None, "high": None, "weight": 100, "feedback": ""},
        {"value": 27, "tolerance": 3, "low": None, "high": None, "weight": 50, "feedback": "Cerca"},
        {"value": None, "tolerance": 0, "low": 100, "high": 200, "weight": 25, "feedback": ""},
    ],
}
MATCHING = {
    "key": "q6",
    "type": "matching",
    "text": "?",
    "general_feedback": "",
    "pairs": [
        {"left": "1", "right": "uno"},
        {"left": "2", "right": "dos"},
        {"left": "3", "right": "tres"},
        {"left": "4", "right": "cuatro"},
    ],
}
ESSAY = {"key": "q7", "type": "essay", "text": "?", "general_feedback": "Gracias"}
LIKERT = {
    "key": "q8",
    "type": "likert",
    "text": "?",
    "general_feedback": "",
    "choices": [{"key": str(i), "text": str(i), "weight": i, "feedback": ""} for i in range(1, 6)],
}


@pytest.mark.parametrize(
    ("snapshot", "response", "fraction"),
    [
        (SINGLE, "a", 1.0),
        (SINGLE, "b", 0.5),
        (SINGLE, "c", 0.0),  # a negative weight never scores below zero
        (SINGLE, None, 0.0),
        (SINGLE, "zzz", 0.0),
        (MULTIPLE, ["a", "b"], 1.0),
        (MULTIPLE, ["a"], 0.5),
        (MULTIPLE, ["a", "b", "c"], 0.0),
        (MULTIPLE, ["a", "c"], 0.0),  # score never below zero
        (MULTIPLE, ["a", "a", "a"], 0.5),  # repeated keys count once
        (MULTIPLE, ["a", "b", "d"], 1.0),
        (MULTIPLE, [], 0.0),
        (TF, "false", 1.0),
        (TF, "true", 0.0),
        (TF, "maybe", 0.0),
        (SHORT, "México", 1.0),
        (SHORT, "  mexico ", 1.0),  # case- and accent-insensitive
        (SHORT, "MÉXICO", 1.0),
        (SHORT, "cdmx", 0.5),
        (SHORT, "Estados Unidos Mexicanos", 0.8),  # wildcard
        (SHORT, "Guatemala", 0.0),
        (SHORT, "", 0.0),
        (SHORT_STRICT, "México", 1.0),
        (SHORT_STRICT, "Mexico", 0.0),
        (SHORT_STRICT, "méxico", 0.0),
        (NUMERICAL, "27", 1.0),
        (NUMERICAL, "27.0", 1.0),
        (NUMERICAL, "25", 0.5),
        (NUMERICAL, "23,5", 0.0),
        (NUMERICAL, "29,5", 0.5),  # decimal comma
        (NUMERICAL, "150", 0.25),
        (NUMERICAL, "1,500", 0.0),
        (NUMERICAL, "abc", 0.0),
        (NUMERICAL, "nan", 0.0),
        (MATCHING, {"0": "uno", "1": "dos", "2": "tres", "3": "cuatro"}, 1.0),
        (MATCHING, {"0": "uno", "1": "tres", "2": "dos"}, 0.25),
        (MATCHING, "nonsense", 0.0),
    ],
)
def test_graders(snapshot, response, fraction):
    assert g.grade(snapshot, response).fraction == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("snapshot", "response", "feedback"),
    [
        (SINGLE, "a", ["Bien"]),
        (SINGLE, "c", ["Mal"]),
        (MULTIPLE, ["a", "c"], ["No"]),
        (TF, "true", ["Revise"]),
        (SHORT, "CDMX", ["Es la capital"]),
        (NUMERICAL, "28", ["Cerca"]),
        (ESSAY, "texto", ["Gracias"]),
    ],
)
def test_feedback_of_the_chosen_answer_and_general_feedback(snapshot, response, feedback):
    assert g.grade(snapshot, response).feedback == feedback


def test_essay_waits_for_a_trainer_and_likert_carries_no_score():
    assert g.grade(ESSAY, "texto").status == g.MANUAL
    assert g.grade(LIKERT, "3").status == g.UNGRADED


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            [
                (1, {"status": "graded", "fraction": 1.0}),
                (1, {"status": "graded", "fraction": 0.0}),
            ],
            (50.0, False),
        ),
        (
            [
                (2, {"status": "graded", "fraction": 0.5}),
                (1, {"status": "ungraded", "fraction": None}),
            ],
            (50.0, False),
        ),
        (
            [
                (1, {"status": "graded", "fraction": 1.0}),
                (1, {"status": "manual", "fraction": None}),
            ],
            (50.0, True),
        ),
        (
            [
                (1, {"status": "graded", "fraction": 1.0}),
                (1, {"status": "manual", "fraction": 0.5}),
            ],
            (75.0, False),
        ),
        ([(0, {"status": "ungraded", "fraction": None})], (None, False)),
    ],
)
def test_attempt_percent(items, expected):
    assert g.attempt_percent(items) == expected


@pytest.mark.parametrize(
    "snapshot", [SINGLE, MULTIPLE, TF, SHORT, NUMERICAL, MATCHING, ESSAY, LIKERT]
)
def test_public_question_holds_no_weight_feedback_or_right_answer(snapshot):
    view = g.public_question(snapshot, order=["c", "a", "b"])
    flat = repr(view)
    assert "weight" not in flat and "feedback" not in flat and "correct" not in flat
    assert "answers" not in view and "numeric" not in view and "pairs" not in view


def test_public_question_follows_the_attempt_order():
    assert [c["key"] for c in g.public_question(SINGLE, order=["c", "a", "b"])["choices"]] == [
        "c",
        "a",
        "b",
    ]


def test_matching_public_view_does_not_pair_rights_with_lefts():
    view = g.public_question(MATCHING)
    assert view["rights"] == sorted(["uno", "dos", "tres", "cuatro"])


@pytest.mark.parametrize(
    ("snapshot", "query", "expected"),
    [
        (SINGLE, "r_q1=b", "b"),
        (SINGLE, "r_q1=zz", None),
        (MULTIPLE, "r_q2=a&r_q2=c&r_q2=x", ["a", "c"]),
        (TF, "r_q3=true", "true"),
        (SHORT, "r_q4=+M%C3%A9xico+", "México"),
        (NUMERICAL, "r_q5=", None),
        (MATCHING, "r_q6_0=uno&r_q6_1=nada&r_q6_3=dos", {"0": "uno", "3": "dos"}),
        (ESSAY, "r_q7=Mi+respuesta", "Mi respuesta"),
        (LIKERT, "r_q8=5", "5"),
    ],
)
def test_response_from_post(snapshot, query, expected):
    assert g.response_from_post(snapshot, QueryDict(query), "r_") == expected


@pytest.mark.parametrize(
    ("snapshot", "expected"),
    [
        (SINGLE, ["Sí", "Quizá"]),
        (TF, ["false"]),
        (SHORT, ["México"]),
        (NUMERICAL, ["27", "27 ± 3", "100 – 200"]),
        (MATCHING, ["1 → uno", "2 → dos", "3 → tres", "4 → cuatro"]),
    ],
)
def test_correct_answers(snapshot, expected):
    assert g.correct_answers(snapshot) == expected
