"""GIFT import into the bank (command and admin upload), export and round trip."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import grading
from assessments.gift_bank import category_to_gift, question_to_gift
from assessments.models import Question, QuestionCategory
from assessments.services import questions_import
from lms.factories import UserFactory

pytestmark = pytest.mark.django_db
EVERY = Path(__file__).parent / "data" / "every_construct.gift"


def test_command_imports_every_construct():
    out = StringIO()
    call_command("import_gift", str(EVERY), stdout=out)
    assert Question.objects.count() == 13
    # "$CATEGORY: a/b" is a category b inside a category a, as in Moodle.
    assert {str(c) for c in QuestionCategory.objects.all()} == {
        "Masculinidades",
        "Masculinidades / Conceptos",
        "Masculinidades / Avanzado",
    }
    assert "13 questions imported" in out.getvalue()


def test_command_category_option_puts_everything_in_one_category():
    call_command("import_gift", str(EVERY), "--category", "Banco único", stdout=StringIO())
    assert set(QuestionCategory.objects.values_list("name", flat=True)) == {"Banco único"}


def test_a_malformed_file_imports_nothing_and_names_the_line(tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text(EVERY.read_text() + "\n\n::Roto::¿Pregunta? {#no-es-numero}\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_gift", str(bad), stdout=StringIO(), stderr=err)
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    line = len(EVERY.read_text().splitlines()) + 3
    assert f"bad.gift:{line}:" in err.getvalue()


def test_imported_questions_grade_as_written():
    questions_import(source=EVERY.read_text())
    short = Question.objects.get(name="Corto").snapshot()
    assert grading.grade(short, "México").fraction == 1.0
    assert grading.grade(short, "Mexico").fraction == 0.5
    numeric = Question.objects.get(name="Numérico rango").snapshot()
    assert grading.grade(numeric, "80").fraction == 1.0


def test_export_then_import_gives_the_same_questions():
    questions_import(source=EVERY.read_text())
    original = {
        str(c): [question_to_gift(q) for q in c.questions.order_by("id")]
        for c in QuestionCategory.objects.all()
    }
    exported = {
        str(c): category_to_gift(c)[0]
        for c in QuestionCategory.objects.filter(questions__isnull=False).distinct()
    }
    Question.objects.all().delete()
    QuestionCategory.objects.all().delete()
    for text in exported.values():
        questions_import(source=text)
    again = {
        str(c): [question_to_gift(q) for q in c.questions.order_by("id")]
        for c in QuestionCategory.objects.all()
    }
    assert again == original


def test_likert_items_are_left_out_of_the_export():
    category = QuestionCategory.objects.create(name="Actitudes")
    Question.objects.create(category=category, qtype=Question.Type.LIKERT, text="Estoy de acuerdo")
    text, skipped = category_to_gift(category)
    assert skipped == 1 and "{" not in text


@pytest.fixture
def editor(db):
    return UserFactory(roles=("editor",))


def test_admin_upload_reports_problems_by_line_and_imports_nothing(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("preguntas.gift", "¿Bien? {T}\n\n¿Mal? {~a ~b}\n".encode())
    response = client.post(reverse("assessments_gift_import"), {"file": upload})
    assert response.status_code == 200
    assert "Line 3" in response.content.decode() or "Línea 3" in response.content.decode()
    assert not Question.objects.exists()


def test_admin_upload_imports_and_export_downloads(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("preguntas.gift", EVERY.read_bytes())
    preview = client.post(
        reverse("assessments_gift_import"), {"file": upload, "category": "Subida"}
    )
    assert preview.status_code == 200 and not Question.objects.exists()
    form = preview.context["form"].initial
    response = client.post(
        reverse("assessments_gift_import"),
        {"token": form["token"], "category": form["category"], "on_match": "skip", "import": ""},
    )
    assert response.status_code == 302
    category = QuestionCategory.objects.get(name="Subida")
    assert category.questions.count() == 13
    download = client.get(reverse("assessments_gift_export", args=[category.pk]))
    assert download.status_code == 200 and "$CATEGORY: Subida" in download.content.decode()


def test_admin_upload_rejects_a_file_that_is_not_utf8(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("latin1.gift", "¿Sí? {T}".encode("latin-1"))
    response = client.post(reverse("assessments_gift_import"), {"file": upload})
    assert response.status_code == 200 and not Question.objects.exists()


def test_a_learner_cannot_use_the_gift_admin(client, learner):
    client.force_login(learner)
    assert client.get(reverse("assessments_gift_import")).status_code in (302, 403)


@pytest.mark.parametrize(
    ("qtype", "choices", "numeric", "pairs", "ok"),
    [
        ("single", [{"weight": 100}, {"weight": 0}], [], [], True),
        ("single", [{"weight": 100}], [], [], False),
        ("multiple", [{"weight": 0}, {"weight": -50}], [], [], False),
        ("single", [{"weight": 150}, {"weight": 0}], [], [], False),
        ("short", [{"weight": 100}], [], [], True),
        ("short", [], [], [], False),
        (
            "numerical",
            [],
            [{"value": 1.0, "minimum": None, "maximum": None, "weight": 100}],
            [],
            True,
        ),
        (
            "numerical",
            [],
            [{"value": None, "minimum": 5.0, "maximum": 1.0, "weight": 100}],
            [],
            False,
        ),
        ("numerical", [], [], [], False),
        ("matching", [], [], [{"left": "a", "right": "b"}, {"left": "c", "right": "d"}], True),
        ("matching", [], [], [{"left": "a", "right": "b"}, {"left": "", "right": "d"}], False),
        ("essay", [], [], [], True),
        ("likert", [], [], [], True),
        ("truefalse", [], [], [], True),
    ],
)
def test_admin_form_rules_per_question_type(qtype, choices, numeric, pairs, ok):
    from assessments.forms import question_problems

    assert (question_problems(qtype, choices, numeric, pairs) == []) is ok


def test_the_question_editor_refuses_a_choice_question_without_a_right_answer(client, editor):
    category = QuestionCategory.objects.create(name="Editor")
    client.force_login(editor)
    url = reverse("wagtailsnippets_assessments_question:add")
    data = {
        "category": category.pk,
        "name": "",
        "qtype": "single",
        "text": "¿Pregunta?",
        "text_format": "plain",
        "points": "1",
        "general_feedback": "",
        "ignore_accents": "on",
        "correct_answer": "on",
        "feedback_true": "",
        "feedback_false": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-text": "A",
        "choices-0-weight": "0",
        "choices-0-feedback": "",
        "choices-0-ORDER": "1",
        "choices-1-text": "B",
        "choices-1-weight": "0",
        "choices-1-feedback": "",
        "choices-1-ORDER": "2",
        **{
            f"{name}-{suffix}": value
            for name in ("numeric_answers", "pairs")
            for suffix, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Question.objects.exists()
    data["choices-0-weight"] = "100"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get().choices.count() == 2
