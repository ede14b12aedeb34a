"""GIFT as Moodle's qformat_gift reads it, against files written for this project that use every
construct of Moodle's own GIFT files (each data file names the public file it mirrors; none is
a copy): the counts Moodle gets, and each construct read the way Moodle reads it."""

from pathlib import Path

import pytest
from django.utils import translation

from assessments import gift, grading
from assessments.gift import Answer, GiftError, MatchPair, NumericAnswer

DATA = Path(__file__).parent / "data" / "moodle"


def read(name: str, *, crlf: bool = False, bom: bool = False) -> list[gift.GiftQuestion]:
    text = (DATA / name).read_text(encoding="utf-8")
    if crlf:
        text = text.replace("\n", "\r\n")
    return gift.parse(("\ufeff" if bom else "") + text)


def by_name(items):
    return {q.name: q for q in items if q.name}


@pytest.mark.parametrize(
    ("name", "items", "descriptions"),
    [
        # question/format/gift/tests/fixtures/questions.gift.txt: Moodle imports all 9.
        ("fixture_constructs.gift", 9, 0),
        # question/format/gift/tests/fixtures/questions_in_category.gift.txt: 4.
        ("category_constructs.gift", 4, 0),
        # question/format/gift/examples.txt: every example imports; our file has 33.
        ("examples_constructs.gift", 33, 0),
        # A Spanish course bank as Moodle exports it: 11 items, two of them descriptions.
        ("export_es.gift", 11, 2),
    ],
)
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf+bom"])
def test_each_file_gives_the_items_moodle_gets(name, items, descriptions, crlf):
    parsed = read(name, crlf=crlf, bom=crlf)
    assert len(parsed) == items
    assert len([q for q in parsed if q.qtype == gift.DESCRIPTION]) == descriptions


def test_windows_line_endings_and_a_bom_read_exactly_like_unix_text():
    for name in ("fixture_constructs.gift", "export_es.gift", "examples_constructs.gift"):
        assert read(name, crlf=True, bom=True) == read(name)


@pytest.fixture(scope="module")
def fixture():
    return by_name(read("fixture_constructs.gift"))


def test_numerical_any_other_answer_feedback_is_kept_after_the_answers(fixture):
    q = fixture["P5"]
    assert q.qtype == gift.NUMERICAL
    assert q.numeric == [
        NumericAnswer(value=3.0, tolerance=2.0),
        NumericAnswer(weight=0.0, feedback="Totalmente fuera de rango"),
    ]
    assert q.text == 'Diga un número entre 1 y 5. _____ ";'  # text after the block: Moodle's blank


def test_matching_items_are_read_in_their_own_format_and_a_distractor_has_no_item(fixture):
    q = fixture["Conceptos y definiciones"]
    assert q.qtype == gift.MATCHING and q.text_format == "html"
    assert q.pairs == [
        MatchPair("Reparto justo de cuidados y tareas.", "Corresponsabilidad"),
        MatchPair("Trato justo según las necesidades de cada quien.", "Equidad"),
        MatchPair("Cruce de varias desigualdades en una persona.", "Interseccionalidad"),
        MatchPair("Creencias sobre lo que deben hacer los hombres.", "Mandatos de género"),
        MatchPair("", "Paridad"),
    ]


def test_feedback_and_answer_format_tags_are_applied_not_shown(fixture):
    assert fixture["P2"].answers == [
        Answer("verde", 100.0, "correcto; ¡bien!"),
        Answer("rojo", 0.0, "no, es verde"),
        Answer("morado", 0.0, "no, es verde"),
    ]
    assert fixture["colores"].qtype == gift.MULTIPLE
    assert fixture["colores"].answers == [
        Answer("verde", 50.0, "correcto"),
        Answer("rojo", -100.0, "no"),
        Answer("naranja", 50.0, "correcto"),
        Answer("azul", -100.0, "no"),
    ]


def test_short_answer_wildcard_at_zero_percent(fixture):
    assert fixture["Respuesta corta"].answers[-1] == Answer("*", 0.0, "Respuesta incorrecta")


def test_true_false_with_two_feedbacks_general_feedback_and_every_spelling(fixture):
    q = fixture["P1"]
    assert (q.qtype, q.correct) == (gift.TRUEFALSE, False)
    assert q.feedback_true == "También es psicológica, económica y sexual."
    assert q.feedback_false == "Correcto."
    assert q.general_feedback == "Vea la lección 1 sobre tipos de violencia."
    both = [q for q in read("fixture_constructs.gift") if q.name == "1-02 VG"]
    assert [(q.qtype, q.correct) for q in both] == [(gift.TRUEFALSE, True)] * 2


def test_category_file_keeps_escaped_html_attributes_and_one_answer_short_answers():
    items = by_name(read("category_constructs.gift"))
    assert {q.category for q in items.values()} == {"Por defecto en Masculinidades"}
    assert items["Saludo"].text.startswith(
        '<a href="https://example.org/audio/saludo.mp3">Escuche este saludo:</a>'
    )
    assert items["Persona usuaria"].answers == [Answer("participante", 100.0, "")]
    assert items["Instituciones"].pairs[-1] == MatchPair("", "SEP")
    assert (items["Siglas"].qtype, items["Siglas"].correct) == (gift.TRUEFALSE, True)


@pytest.fixture(scope="module")
def examples():
    return read("examples_constructs.gift")


def test_examples_get_moodle_types(examples):
    counts = {}
    for q in examples:
        counts[q.qtype] = counts.get(q.qtype, 0) + 1
    assert counts == {
        gift.SINGLE: 11,
        gift.MULTIPLE: 2,
        gift.TRUEFALSE: 4,
        gift.SHORT: 6,
        gift.NUMERICAL: 7,
        gift.MATCHING: 3,
    }


def test_examples_escapes_multi_line_feedback_and_a_choice_before_the_first_marker(examples):
    control = next(q for q in examples if q.name == "Caracteres de control")
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[-1].weight == 100.0
    assert control.answers[-1].feedback.startswith("¡Correcto! \\ no es de control, PERO\n")
    first = next(q for q in examples if q.text == "Elija la correcta.")
    assert first.answers == [
        Answer("equivocada", 0.0),
        Answer("también equivocada", 0.0),
        Answer("correcta", 100.0),
    ]
    weighted = next(q for q in examples if q.text == "Pregunta difícil.")
    assert [a.weight for a in weighted.answers] == [0.0, 50.0, -50.0, 100.0]


@pytest.fixture(scope="module")
def export_es():
    return read("export_es.gift")


def test_nested_categories_drop_the_course_default_and_keep_the_tree(export_es):
    assert [q.category for q in export_es if q.name in ("Mandatos", "Fuentes")] == [
        "Módulo 1/Conceptos",
        "Módulo 1/Conceptos/Datos",
    ]
    assert gift.category_parts("$course$/top/Default for Curso/A//B/C") == ["A/B", "C"]
    assert gift.category_parts("$course$/Por defecto en Curso") == ["Por defecto en Curso"]


def test_descriptions_are_items_of_their_own(export_es):
    notes = [q for q in export_es if q.qtype == gift.DESCRIPTION]
    assert [q.name for q in notes] == ["Bienvenida", "Nota sobre los datos"]
    assert notes[0].text_format == "html"


def test_moodle_format_answers_are_graded_as_written(export_es):
    """A correct short answer tagged [moodle] is marked right: the tag is a format, not text."""
    q = by_name(export_es)["Nunca"]
    snapshot = {
        "type": grading.SHORT,
        "answers": [a.__dict__ for a in q.answers],
        "case_sensitive": False,
        "ignore_accents": False,
    }
    assert grading.grade(snapshot, "Nunca.").fraction == 1.0
    assert by_name(export_es)["Mandatos"].general_feedback == "Vea la lección 1.2."


def test_one_answer_block_without_a_marker_is_a_short_answer(export_es):
    q = by_name(export_es)["Una palabra"]
    assert (q.qtype, q.answers) == (gift.SHORT, [Answer("Corresponsabilidad", 100.0)])


def test_numerical_with_any_other_answer_grades_and_gives_its_feedback(export_es):
    q = by_name(export_es)["Cifra"]
    snapshot = {
        "type": grading.NUMERICAL,
        "numeric": [
            {
                "value": a.value,
                "tolerance": a.tolerance,
                "low": a.low,
                "high": a.high,
                "weight": a.weight,
                "feedback": a.feedback,
            }
            for a in q.numeric
        ],
    }
    assert grading.grade(snapshot, "70.1").fraction == 1.0
    assert grading.grade(snapshot, "69").fraction == 0.5
    other = grading.grade(snapshot, "12")
    assert other.fraction == 0.0 and other.feedback == ["Revise la lámina 3 de la lección."]


def test_escaped_newline_and_plain_format(export_es):
    q = by_name(export_es)["Línea"]
    assert q.text_format == "plain"
    assert q.text == "Primera línea\nsegunda línea con dos puntos: y signo = igual."


def test_syntax_errors_refuse_the_file_with_line_and_reason_in_the_editors_language():
    source = "::Bien::¿Sí? {T}\n\n::Mal::¿Cuánto? {#abc}\n"
    with translation.override("es"), pytest.raises(GiftError) as info:
        gift.parse(source)
    assert info.value.problems[0].line == 3
    assert "no es un número" in info.value.problems[0].message
    with translation.override("en"), pytest.raises(GiftError) as info:
        gift.parse(source)
    assert "is not a number" in info.value.problems[0].message


def test_every_moodle_file_survives_export_and_import():
    for name in ("fixture_constructs.gift", "category_constructs.gift", "examples_constructs.gift"):
        items = read(name)
        exportable = [q for q in items if q.qtype != gift.DESCRIPTION]
        assert gift.parse(gift.export(exportable)) == exportable


def test_id_number_and_tags_come_from_the_comment_above_the_question(export_es):
    q = by_name(export_es)["Cifra"]
    assert (q.idnumber, q.tags) == ("MX-ENDIREH-1", ["datos", "ENDIREH"])
    assert by_name(export_es)["Nunca"].idnumber == ""  # its comment names no [id:]
    apart = gift.parse("// [id:X1]\n\n::Suelta::¿Sí? {T}\n")[0]
    assert apart.idnumber == ""  # a comment a blank line away belongs to no question
    again = gift.parse(gift.export([q]))[0]
    assert again.idnumber == "MX-ENDIREH-1"
    odd = gift.GiftQuestion(qtype=gift.ESSAY, text="¿?", idnumber="a]b")
    assert gift.parse(gift.export([odd]))[0].idnumber == "a]b"


def test_a_hand_written_spanish_bank_reads_as_moodle_reads_it():
    first, second = read("banco_docente_es.gift")
    assert (first.name, first.text_format, first.qtype) == ("T01 01", "markdown", gift.SINGLE)
    assert first.text == "¿Cuál es el valor de $x$ si $x^2 = 9$ y $x > 0$?"
    assert [a.weight for a in first.answers] == [100.0, -33.33333, -33.33333, -33.33333]
    assert (
        first.general_feedback == "RETROALIMENTACIÓN:\nLa raíz positiva de 9 es 3."
    )  # read as Markdown
    assert second.text.startswith("<b>Mandatos de género</b>") and second.correct is True
