"""Quiz and survey questions are translated with wagtail-localize: an English quiz asks the
English translations; Spanish quizzes ask what they asked before."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import Translation

from assessments import services
from assessments.demo_en import QUIZ_SLUG, seed_english_quiz
from assessments.factories import (
    QuestionCategoryFactory,
    QuestionFactory,
    QuizPageFactory,
    quiz_with_questions,
    survey_with_questions,
)
from assessments.models import Question, QuestionChoice, QuizPage, QuizQuestion
from assessments.selectors import survey_snapshots
from courses.demo import BHR, ensure_home, seed_programme
from courses.demo_en import COURSE_SLUG, seed_english_course, translate_page
from courses.models import CoursePage, ModulePage
from courses.services import enrolment_create
from lms.factories import UserFactory
from tests.conftest import page_tree_after_flush

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def demo_quizzes(django_capture_on_commit_callbacks):
    """The demo's open B+HR course in Spanish and English, with its review quiz in both."""
    page_tree_after_flush()
    seed_programme(ensure_home(), BHR)
    with django_capture_on_commit_callbacks(execute=True):
        seed_english_course(CoursePage.objects.get(slug=COURSE_SLUG))
        english_quiz = seed_english_quiz()
    spanish_quiz = QuizPage.objects.get(slug=QUIZ_SLUG, locale__language_code="es")
    return spanish_quiz, QuizPage.objects.get(pk=english_quiz.pk)


def question_texts(attempt) -> list[str]:
    return [snapshot["text"] for snapshot in attempt.questions]


def test_the_english_demo_quiz_asks_the_english_translations(demo_quizzes):
    spanish_quiz, english_quiz = demo_quizzes
    learner = UserFactory()
    enrolment_create(user=learner, course=CoursePage.objects.ancestor_of(english_quiz).get())
    attempt = services.attempt_start(user=learner, quiz=english_quiz)
    assert question_texts(attempt) == [
        "The responsibility to respect human rights applies only to large companies.",
        "What is the first step for a company to respect human rights?",
    ]
    choices = [c["text"] for c in attempt.questions[1]["choices"]]
    assert "A public policy commitment approved at the highest level" in choices
    # wagtail-localize pointed the English page's question rows at the English snippets.
    rows = QuizQuestion.objects.filter(page=english_quiz).select_related("question")
    assert {row.question.locale.language_code for row in rows} == {"en"}
    assert all(row.locale_id == english_quiz.locale_id for row in rows)
    # Learners take it in English, through the same pages as in Spanish.
    client = Client()
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "What is the first step for a company to respect human rights?" in html
    assert "Esperar a que ocurra" not in html


def test_the_spanish_demo_quiz_is_unchanged(demo_quizzes):
    spanish_quiz, _english_quiz = demo_quizzes
    learner = UserFactory()
    enrolment_create(user=learner, course=CoursePage.objects.get(slug=COURSE_SLUG))
    attempt = services.attempt_start(user=learner, quiz=spanish_quiz)
    assert question_texts(attempt) == [
        "La responsabilidad de respetar los derechos humanos aplica solo a las empresas grandes.",
        "¿Cuál es el primer paso para que una empresa respete los derechos humanos?",
    ]


def test_the_demo_quiz_translation_runs_again_without_duplicates(demo_quizzes):
    _spanish_quiz, english_quiz = demo_quizzes
    counts = (Question.objects.count(), QuizPage.objects.count(), Translation.objects.count())
    assert seed_english_quiz().pk == english_quiz.pk
    assert (Question.objects.count(), QuizPage.objects.count(), Translation.objects.count()) == (
        counts
    )
    assert Question.objects.filter(locale__language_code="en").count() == 2


def translated(question: Question, english: Locale, words: dict[str, str]) -> Question:
    return translate_page(question, english, words)


def test_a_quiz_drawing_from_a_category_draws_the_questions_of_its_own_locale(
    course, english, django_capture_on_commit_callbacks
):
    category = QuestionCategoryFactory()
    spanish = [QuestionFactory(category=category, text=f"Pregunta {i}", name="") for i in range(3)]
    words = {f"Pregunta {i}": f"Question {i}" for i in range(3)}
    words |= {"Correcta": "Right", "Incorrecta": "Wrong", "Muy bien": "Well done"}
    words["Revise la lección"] = "Review the lesson"
    with django_capture_on_commit_callbacks(execute=True):
        for question in spanish[:2]:
            translated(question, english, words)
    module = ModulePage.objects.child_of(course).first()
    spanish_quiz = QuizPageFactory(parent=module, draw_category=category, draw_count=10)
    english_quiz = QuizPage.objects.get(
        pk=QuizPageFactory(parent=module, draw_category=category, draw_count=10).pk
    )
    english_quiz.locale = english  # a quiz in the English tree, as wagtail-localize makes it
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    english_draw = services.attempt_draw(user=learner, quiz=english_quiz)["questions"]
    spanish_draw = services.attempt_draw(user=learner, quiz=spanish_quiz)["questions"]
    # One question per translation: the English one where it exists, else the Spanish source.
    assert sorted(q["text"] for q in english_draw) == ["Pregunta 2", "Question 0", "Question 1"]
    assert sorted(q["text"] for q in spanish_draw) == ["Pregunta 0", "Pregunta 1", "Pregunta 2"]
    english_choices = {c["text"] for q in english_draw for c in q.get("choices", [])}
    assert {"Right", "Wrong"} <= english_choices


def test_a_survey_in_english_asks_the_english_translations(
    course, english, django_capture_on_commit_callbacks
):
    question = QuestionFactory(qtype=Question.Type.LIKERT, text="¿Le fue útil?", choices=[])
    with django_capture_on_commit_callbacks(execute=True):
        translated(question, english, {"¿Le fue útil?": "Was it useful?", question.name: "Q"})
    module = ModulePage.objects.child_of(course).first()
    survey = survey_with_questions(parent=module, questions=[question])
    assert [s["text"] for s in survey_snapshots(survey)] == ["¿Le fue útil?"]
    survey.locale = english
    assert [s["text"] for s in survey_snapshots(survey)] == ["Was it useful?"]


def test_an_editor_translates_a_question_from_the_admin(
    english, django_capture_on_commit_callbacks
):
    question = QuestionFactory(text="¿Qué es la debida diligencia?")
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True, is_staff=True))
    submit = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["assessments", "question", question.pk],
    )
    # The question bank's listing offers the "Translate" action.
    listing = editor.get(reverse("wagtailsnippets_assessments_question:list"))
    assert submit in listing.content.decode()
    assert editor.get(submit).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(submit, {"locales": [english.pk]})
    assert response.status_code == 302, response.content.decode()[:500]
    copy = Question.objects.get(translation_key=question.translation_key, locale=english)
    assert copy.category_id == question.category_id
    assert set(QuestionChoice.objects.filter(question=copy).values_list("locale", flat=True)) == {
        english.pk
    }
    # The English question opens in wagtail-localize's translation editor.
    edit = editor.get(reverse("wagtailsnippets_assessments_question:edit", args=[copy.pk]))
    assert edit.status_code == 200
    assert "w-localize" in edit.content.decode() or "translation-editor" in edit.content.decode()
    # The translator's English text, saved from the editor, is what the question says.
    translation = Translation.objects.get(
        source__object_id=question.translation_key, target_locale=english
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = {"¿Qué es la debida diligencia?": "What is due diligence?"}.get(
            entry.msgid, entry.msgid
        )
    translation.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    copy.refresh_from_db()
    assert copy.text == "What is due diligence?"


def test_translating_a_quiz_in_the_admin_brings_its_questions_along(
    course, english, django_capture_on_commit_callbacks
):
    page_tree_after_flush()
    module = ModulePage.objects.child_of(course).first()
    questions = [QuestionFactory(), QuestionFactory()]
    quiz = quiz_with_questions(parent=module, questions=questions)
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True, is_staff=True))
    submit = "wagtail_localize:submit_page_translation"
    with django_capture_on_commit_callbacks(execute=True):
        for page in [*quiz.get_ancestors().filter(depth__gt=1).order_by("path"), quiz]:
            response = editor.post(reverse(submit, args=[page.pk]), {"locales": [english.pk]})
            assert response.status_code == 302, response.content.decode()[:500]
    english_quiz = QuizPage.objects.get(locale=english, translation_key=quiz.translation_key)
    rows = QuizQuestion.objects.filter(page=english_quiz).order_by("sort_order")
    assert [row.question.translation_key for row in rows] == [q.translation_key for q in questions]
    assert {row.question.locale_id for row in rows} == {english.pk}


def test_imported_questions_are_in_the_default_locale(english):
    result = services.questions_import(
        source="::Capital:: ¿Capital de México? {=CDMX ~Monterrey}", category_name="Importadas"
    )[0]
    question = result[0]
    assert question.locale == Locale.get_default()
    assert question.locale.language_code == "es"
    assert {c.locale_id for c in question.choices.all()} == {question.locale_id}
