"""GIFT parsing and export: every construct, line-numbered errors, round trips."""

from pathlib import Path

import pytest
from django.utils import translation

from assessments import gift
from assessments.gift import Answer, GiftError, MatchPair, NumericAnswer

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def every():
    return {
        q.name or q.text[:12]: q for q in gift.parse((DATA / "every_construct.gift").read_text())
    }


def test_every_construct_file_gives_every_question(every):
    assert len(every) == 13


@pytest.mark.parametrize(
    ("name", "qtype"),
    [
        ("Igualdad", gift.SINGLE),
        ("Formas", gift.MULTIPLE),
        ("Verdadero", gift.TRUEFALSE),
        ("Corto", gift.SHORT),
        ("Numérico tolerancia", gift.NUMERICAL),
        ("Numérico rango", gift.NUMERICAL),
        ("Numérico varios", gift.NUMERICAL),
        ("Relacionar", gift.MATCHING),
        ("Ensayo", gift.ESSAY),
        ("Escapes", gift.SINGLE),
        ("Palabra faltante", gift.SINGLE),
        ("Plano", gift.SINGLE),
    ],
)
def test_each_question_gets_its_type(every, name, qtype):
    assert every[name].qtype == qtype


def test_categories_drop_moodle_prefixes_and_follow_the_file(every):
    assert every["Igualdad"].category == "Masculinidades/Conceptos"
    assert every["Plano"].category == "Masculinidades/Avanzado"


def test_single_choice_keeps_weights_feedback_and_general_feedback(every):
    q = every["Igualdad"]
    assert q.answers == [
        Answer("Reparto equitativo de las tareas", 100.0, "¡Correcto!"),
        Answer("Que las mujeres cuiden", -50.0, "No: esa es la norma que se busca transformar."),
        Answer("Que nadie cuide", 0.0, ""),
    ]
    assert q.general_feedback == "Los cuidados son responsabilidad compartida."
    assert q.line == 6


def test_multiple_response_keeps_negative_weights_and_html_format(every):
    q = every["Formas"]
    assert q.text_format == "html"
    assert q.text == "Marque las <b>prácticas</b> que previenen la violencia"
    assert [a.weight for a in q.answers] == [50.0, 50.0, -100.0]


def test_true_false_feedback_goes_to_the_answer_it_belongs_to(every):
    q = every["Verdadero"]
    assert q.correct is False
    assert q.feedback_true == "Revise la lección 1."
    assert q.feedback_false.startswith("Exacto")


def test_short_answer_has_weighted_answers_and_wildcards(every):
    assert every["Corto"].answers == [
        Answer("México", 100.0),
        Answer("Mexico", 50.0, "Casi: falta el acento."),
        Answer("*estados unidos mexicanos*", 25.0),
    ]


def test_numerical_tolerance_range_and_several_answers(every):
    assert every["Numérico tolerancia"].numeric == [NumericAnswer(value=27.0, tolerance=0.0)]
    assert every["Numérico rango"].numeric == [NumericAnswer(low=70.0, high=90.0)]
    assert every["Numérico varios"].numeric == [
        NumericAnswer(value=3.1416, tolerance=0.0001, feedback="Exacto"),
        NumericAnswer(value=3.14, tolerance=0.01, weight=50.0, feedback="Aproximado"),
    ]


def test_matching_pairs(every):
    assert every["Relacionar"].pairs[0] == MatchPair("Equidad", "Justicia en el trato")
    assert len(every["Relacionar"].pairs) == 3


def test_escapes_are_unescaped(every):
    q = every["Escapes"]
    assert q.text == "Una igualdad: 2 \\+ 2 = 4 y llaves { } con ~ y #"
    assert q.answers[0] == Answer("2 = 2", 100.0)


def test_missing_word_question_marks_the_blank(every):
    assert (
        every["Palabra faltante"].text
        == "La violencia contra las mujeres _____ un desafío urgente."
    )


def test_multi_line_markdown_question_without_name(every):
    q = every["Una pregunta"]
    assert q.text_format == "markdown"
    assert q.text == "Una pregunta\nde **varias líneas**\ncon formato markdown."
    assert q.qtype == gift.TRUEFALSE and q.correct is True
    assert q.general_feedback == "Retroalimentación general."


def test_plain_format(every):
    assert every["Plano"].text_format == "plain"


def test_category_option_overrides_the_file():
    questions = gift.parse("$CATEGORY: Otra\n\n¿Sí? {T}\n", category="Importadas")
    assert questions[0].category == "Importadas"


@pytest.mark.parametrize(
    ("source", "line", "reason"),
    [
        ("::Sin cerrar::¿Pregunta? {=a ~b\n\n", 1, "not closed"),
        ("// comentario\n\n¿Pregunta sin cerrar?\n{=a\n", 4, "not closed"),
        ("¿Bien? {T}\n\n::X::¿Peso? {~%150%a =b}\n", 3, "outside -100% to 100%"),
        ("¿Uno? {~a ~b}\n", 1, "no choice has a positive weight"),
        ("¿Número? {#abc}\n", 1, "is not a number"),
        ("¿Rango? {#9..1}\n", 1, "runs backwards"),
        ("¿Pares? {=a -> b}\n", 1, "at least two pairs"),
        ("¿Par? {=a -> b =c}\n", 1, "has no '->'"),
        ("::Nombre abierto ¿Texto? {T}\n", 1, "name"),
        ("¿Dos? {T} y {F}\n", 1, "only one answer block"),
        ("¿Cierre? a } b\n", 1, "without an opening"),
        ("¿Peso? {#=%-5%3 =%200%4}\n", 1, "outside -100% to 100%"),
        ("¿Sin número? {#~#Otra}\n", 1, "needs a number"),
        ("", 1, "no question"),
    ],
)
def test_malformed_input_reports_line_and_reason(source, line, reason):
    with translation.override("en"), pytest.raises(GiftError) as info:
        gift.parse(source)
    problem = info.value.problems[0]
    assert problem.line == line
    assert reason in problem.message


def test_every_problem_of_a_file_is_reported():
    with pytest.raises(GiftError) as info:
        gift.parse("¿Bien? {T}\n\n¿Mal? {#x}\n\n¿Bien? {F}\n\n\n¿Mal? {~a ~b}\n")
    assert [p.line for p in info.value.problems] == [3, 8]


def test_a_multi_line_error_points_at_the_answer_block_line():
    with pytest.raises(GiftError) as info:
        gift.parse("::Q::Primera línea\nsegunda línea {\n~a\n~b\n}\n")
    assert info.value.problems[0].line == 2


def test_export_then_import_gives_the_same_questions():
    original = gift.parse((DATA / "every_construct.gift").read_text())
    assert gift.parse(gift.export(original)) == original


@pytest.mark.parametrize(
    "question",
    [
        gift.GiftQuestion(
            qtype=gift.SINGLE,
            text="a: {b} = c ~ #d \\ e",
            name="n::x",
            answers=[Answer("=1", 100.0, "f#b"), Answer("~2", -33.5)],
            category="C/D",
        ),
        gift.GiftQuestion(
            qtype=gift.MULTIPLE,
            text="Línea 1\nLínea 2",
            text_format="html",
            answers=[Answer("a", 100.0), Answer("b", 0.0), Answer("c", -100.0)],
            general_feedback="General #1",
        ),
        gift.GiftQuestion(
            qtype=gift.TRUEFALSE,
            text="¿V?",
            correct=True,
            feedback_true="bien",
            feedback_false="mal",
        ),
        gift.GiftQuestion(
            qtype=gift.NUMERICAL,
            text="n",
            numeric=[
                NumericAnswer(value=-2.5, tolerance=0.5),
                NumericAnswer(low=1, high=2, weight=50.0),
            ],
        ),
        gift.GiftQuestion(qtype=gift.ESSAY, text="Escriba", general_feedback="Gracias"),
    ],
)
def test_round_trip_of_awkward_questions(question):
    assert gift.parse(gift.export([question])) == [question]
