"""Moodle XML question bank exports: parsed, imported (command and admin upload), graded as
written; malformed or hostile files import nothing and say where."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

import assessments
from assessments import grading, moodle_xml
from assessments.gift import GiftError
from assessments.models import Question, QuestionCategory
from assessments.services import questions_import
from lms.factories import UserFactory

# The sample the demo imports, as Moodle 4 writes an export of a question bank.
EXPORT = Path(assessments.__file__).parent / "samples" / "banco-moodle-ejemplo.xml"


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_problems_are_reported_in_the_editors_language():
    from django.utils import translation

    with translation.override("es"), pytest.raises(GiftError) as raised:
        moodle_xml.parse(broken())
    assert (
        str(raised.value.problems[0])
        == "line 15: “Principios Rectores”: ninguna opción tiene una fracción positiva"
    )


def test_every_supported_type_is_read_with_its_fractions_feedback_and_category():
    parsed = moodle_xml.parse(EXPORT.read_text())
    by_name = {q.name: q for q in parsed.questions}
    assert [q.qtype for q in parsed.questions] == [
        "single",
        "multiple",
        "truefalse",
        "short",
        "numerical",
        "matching",
        "essay",
    ]
    first = by_name["Principios Rectores"]
    assert (
        first.category == "Evaluación inicial"
        and first.points == 2.0
        and first.text_format == "html"
    )
    assert [(a.text, a.weight, a.feedback) for a in first.answers][0] == (
        "Los Principios Rectores sobre las empresas y los derechos humanos",
        100.0,
        "¡Así es!",
    )
    assert first.general_feedback == "Los Principios Rectores de la ONU (2011)."
    assert [a.weight for a in by_name["Etapas de la debida diligencia"].answers] == [
        50.0,
        50.0,
        -100.0,
    ]
    truefalse = by_name["Cuidados"]
    assert truefalse.category == "Conceptos" and truefalse.correct is True
    assert (truefalse.feedback_true, truefalse.feedback_false) == (
        "Correcto: la corresponsabilidad.",
        "Revise la lección 2.",
    )
    assert by_name["País"].case_sensitive is True
    assert [(n.value, n.tolerance, n.weight) for n in by_name["Ministerios"].numeric] == [
        (27, 0, 100),
        (25, 3, 50),
        (None, 0, 0),
    ]  # the last: Moodle's "any other answer" (*), for its feedback
    assert [(p.left, p.right) for p in by_name["Conceptos"].pairs][2] == (
        "",
        "Una respuesta de más",
    )
    assert by_name["Reflexión"].text_format == "markdown" and by_name["Reflexión"].points == 5.0


def test_types_we_do_not_have_and_embedded_files_are_listed_not_imported():
    skipped = moodle_xml.parse(EXPORT.read_text()).skipped
    assert any("Instrucciones" in s and "line 229" in s for s in skipped)
    assert any("Cloze" in s and "cloze" in s for s in skipped)
    assert any("Principios Rectores" in s and "1 embedded file" in s for s in skipped)


@pytest.mark.django_db
def test_imported_questions_grade_as_written():
    created, _skipped = questions_import(source=EXPORT.read_text())
    assert len(created) == 7
    assert set(QuestionCategory.objects.values_list("name", flat=True)) == {
        "Evaluación inicial",
        "Conceptos",
    }
    short = Question.objects.get(name="País")
    assert grading.grade(short.snapshot(), "México").fraction == 1.0
    assert grading.grade(short.snapshot(), "méxico").fraction == 0.0  # Moodle's "case sensitive"
    numeric = Question.objects.get(name="Ministerios").snapshot()
    assert (
        grading.grade(numeric, "27").fraction == 1.0
        and grading.grade(numeric, "23").fraction == 0.5
    )
    assert grading.grade(numeric, "5").fraction == 0.0
    multiple = Question.objects.get(name="Etapas de la debida diligencia")
    assert multiple.points == 1 and Question.objects.get(name="Principios Rectores").points == 2


@pytest.mark.django_db
def test_the_command_imports_and_lists_what_it_left_out():
    out, err = StringIO(), StringIO()
    call_command("import_questions", str(EXPORT), "--category", "De Moodle", stdout=out, stderr=err)
    assert "7 questions imported into De Moodle" in out.getvalue()
    assert "left out:" in err.getvalue() and "Cloze" in err.getvalue()
    assert set(QuestionCategory.objects.values_list("name", flat=True)) == {"De Moodle"}


def broken(answer_fraction: str = "0") -> str:
    return EXPORT.read_text().replace(
        '<answer fraction="100" format="html">',
        f'<answer fraction="{answer_fraction}" format="html">',
        1,
    )


@pytest.mark.parametrize(
    ("source", "line", "reason"),
    [
        (broken(), 15, "no choice has a positive fraction"),
        (broken("abc"), 15, "is not a number"),
        (broken("150"), 15, "outside -100 to 100"),
        (EXPORT.read_text().replace("</quiz>", "</quizz>"), 248, "not well-formed XML"),
        ('<?xml version="1.0"?>\n<html><body/></html>', 2, "no <quiz> element"),
        (
            '<?xml version="1.0"?>\n<quiz>\n<question '
            'type="description"><name><text>x</text></name></question>\n</quiz>',
            2,
            "no question that can be imported",
        ),
    ],
)
@pytest.mark.django_db
def test_a_malformed_file_imports_nothing_and_names_the_line(source, line, reason):
    with pytest.raises(GiftError) as raised:
        questions_import(source=source)
    assert any(p.line == line and reason in p.message for p in raised.value.problems), (
        raised.value.problems
    )
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


@pytest.mark.parametrize(
    "hostile",
    [
        # "Billion laughs": entities that expand exponentially.
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;">]>\n<quiz><question '
        'type="essay"><name><text>&lol2;</text></name></question></quiz>',
        # An external entity that would read a file of the server.
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<quiz><question "
        'type="essay"><questiontext><text>&xxe;</text></questiontext></question></quiz>',
    ],
)
@pytest.mark.django_db
def test_document_type_declarations_are_refused(hostile):
    with pytest.raises(GiftError) as raised:
        questions_import(source=hostile)
    assert "document type declarations are not accepted" in str(raised.value)
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_admin_upload_takes_a_moodle_export_and_warns_about_what_it_left_out(client):
    client.force_login(UserFactory(roles=("editor",)))
    upload = SimpleUploadedFile(
        "preguntas-moodle.xml", EXPORT.read_bytes(), content_type="text/xml"
    )
    preview = client.post(reverse("assessments_gift_import"), {"file": upload})
    assert (
        "Cloze" in preview.content.decode() and not Question.objects.exists()
    )  # the preview writes nothing
    token = preview.context["form"].initial["token"]
    response = client.post(
        reverse("assessments_gift_import"), {"token": token, "on_match": "skip"}, follow=True
    )
    page = response.content.decode()
    assert Question.objects.count() == 7
    assert "Cloze" in page and ("Left out" in page or "Se omitió" in page)


@pytest.mark.django_db
def test_admin_upload_reports_a_malformed_moodle_question_by_line(client):
    client.force_login(UserFactory(roles=("editor",)))
    upload = SimpleUploadedFile("roto.xml", broken().encode(), content_type="text/xml")
    response = client.post(reverse("assessments_gift_import"), {"file": upload})
    assert response.status_code == 200
    assert "15" in response.content.decode() and not Question.objects.exists()
