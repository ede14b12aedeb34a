"""The demo's English quiz: a short review quiz in the open B+HR course, written in Spanish and
translated with wagtail-localize like the rest of the English course (`courses/demo_en.py`):
first its questions (snippets), then the quiz page, whose questions wagtail-localize points at
their English translations. Idempotent."""

from decimal import Decimal

from wagtail.models import Locale

from courses.demo_en import COURSE_SLUG, translate_page
from courses.models import CoursePage, ModulePage

from .models import Question, QuestionCategory, QuestionChoice, QuizPage, QuizQuestion

CATEGORY = "Empresas y derechos humanos: conceptos básicos"
QUIZ_SLUG = "repaso-conceptos"

# (name, type, text, correct for true/false, [(choice, weight, feedback)])
QUESTIONS = [
    (
        "Alcance de la responsabilidad",
        Question.Type.TRUEFALSE,
        "La responsabilidad de respetar los derechos humanos aplica solo a las empresas grandes.",
        False,
        [],
    ),
    (
        "Primer paso",
        Question.Type.SINGLE,
        "¿Cuál es el primer paso para que una empresa respete los derechos humanos?",
        True,
        [
            ("Un compromiso público de política aprobado al más alto nivel", 100, "¡Correcto!"),
            ("Una campaña de publicidad", 0, "Repase la lección 2."),
            ("Esperar a que ocurra un impacto", 0, "Repase la lección 2."),
        ],
    ),
]

ENGLISH = {
    "Alcance de la responsabilidad": "Scope of the responsibility",
    "La responsabilidad de respetar los derechos humanos aplica solo a las empresas grandes.": (
        "The responsibility to respect human rights applies only to large companies."
    ),
    "Primer paso": "First step",
    "¿Cuál es el primer paso para que una empresa respete los derechos humanos?": (
        "What is the first step for a company to respect human rights?"
    ),
    "Un compromiso público de política aprobado al más alto nivel": (
        "A public policy commitment approved at the highest level"
    ),
    "¡Correcto!": "Correct!",
    "Una campaña de publicidad": "An advertising campaign",
    "Repase la lección 2.": "Review lesson 2.",
    "Esperar a que ocurra un impacto": "Waiting for an impact to happen",
    "Repaso: conceptos básicos": "Review: basic concepts",
    QUIZ_SLUG: "review-basic-concepts",
    "Dos preguntas para repasar el módulo. Puede intentarlo las veces que quiera.": (
        "Two questions to review the module. You may try as many times as you like."
    ),
}


def _questions() -> list[Question]:
    category, _created = QuestionCategory.objects.get_or_create(name=CATEGORY, parent=None)
    questions = []
    for name, qtype, text, correct, choices in QUESTIONS:
        question = Question.objects.filter(
            category=category, name=name, locale=Locale.get_default()
        ).first()
        if question is None:
            question = Question.objects.create(
                category=category, name=name, qtype=qtype, text=text, correct_answer=correct
            )
            for i, (choice, weight, feedback) in enumerate(choices):
                QuestionChoice.objects.create(
                    question=question,
                    sort_order=i,
                    text=choice,
                    weight=Decimal(weight),
                    feedback=feedback,
                )
        questions.append(question)
    return questions


def seed_english_quiz() -> QuizPage | None:
    """The Spanish review quiz of the open course's first module (optional, so nobody's
    progress changes) and its English translation, when the English course exists."""
    course = CoursePage.objects.filter(slug=COURSE_SLUG, locale__language_code="es").first()
    module = course and ModulePage.objects.child_of(course).order_by("path").first()
    english = Locale.objects.filter(language_code="en").first()
    if module is None or english is None or course.get_translation_or_none(english) is None:
        return None
    questions = _questions()
    quiz = QuizPage.objects.descendant_of(course).filter(slug=QUIZ_SLUG).first()
    if quiz is None:
        quiz = QuizPage(
            title="Repaso: conceptos básicos",
            slug=QUIZ_SLUG,
            intro="<p>Dos preguntas para repasar el módulo. Puede intentarlo las veces que "
            "quiera.</p>",
            required=False,
            pass_mark=50,
            estimated_minutes=5,
            show_answers=QuizPage.ShowAnswers.IMMEDIATELY,
        )
        module.add_child(instance=quiz)
        for i, question in enumerate(questions):
            QuizQuestion.objects.create(page=quiz, question=question, sort_order=i)
        quiz.save_revision().publish()
    for question in questions:
        translate_page(question, english, ENGLISH)
    return translate_page(quiz, english, ENGLISH)
