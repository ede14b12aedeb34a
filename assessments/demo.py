"""Demo question banks, quizzes and a survey in both programmes, with a few attempts. Idempotent."""

from decimal import Decimal

from wagtail.models import Locale, Page

from courses.exceptions import ProgressError
from courses.models import CoursePage, ModulePage
from lms.models import User

from . import services
from .demo_en import seed_english_quiz
from .exceptions import AlreadyAnswered
from .models import (
    Attempt,
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionMatchPair,
    QuestionNumericAnswer,
    QuizPage,
    QuizQuestion,
    SurveyPage,
    SurveyQuestion,
)

S, M, TF, SH, N, MA, E, L = (
    Question.Type.SINGLE,
    Question.Type.MULTIPLE,
    Question.Type.TRUEFALSE,
    Question.Type.SHORT,
    Question.Type.NUMERICAL,
    Question.Type.MATCHING,
    Question.Type.ESSAY,
    Question.Type.LIKERT,
)

# (name, type, text, extra) — extra: choices [(text, weight, feedback)], numeric [(value, tol)],
# pairs, correct
MASCULINITIES_BANK = (
    "Masculinidades · Conceptos",
    [
        (
            "Interseccionalidad",
            S,
            "¿Qué mira el enfoque interseccional?",
            {
                "choices": [
                    (
                        "Cómo se cruzan el género, la pertenencia étnica, la clase y el territorio",
                        100,
                        "Exacto.",
                    ),
                    (
                        "Solo las diferencias entre hombres y mujeres",
                        0,
                        "Es más amplio: revise la lección 2.",
                    ),
                    ("Las leyes de cada estado", 0, ""),
                ]
            },
        ),
        (
            "Prácticas",
            M,
            "¿Qué prácticas de la masculinidad alimentan la violencia de género? Marque todas.",
            {
                "choices": [
                    ("La dominación", 50, ""),
                    ("El control", 50, ""),
                    (
                        "Compartir los cuidados",
                        -100,
                        "Compartir los cuidados es una práctica corresponsable.",
                    ),
                ]
            },
        ),
        (
            "Solo física",
            TF,
            "La violencia de género es solo violencia física.",
            {
                "correct": False,
                "feedback_true": "También es psicológica, económica y sexual.",
                "feedback_false": "Correcto.",
            },
        ),
        (
            "ENDIREH",
            SH,
            "¿Qué encuesta nacional mide la dinámica de las relaciones en los hogares? (siglas)",
            {"choices": [("ENDIREH", 100, "")]},
        ),
        (
            "Dependencias",
            N,
            "¿Cuántas dependencias del Gobierno Federal respondieron la encuesta sobre "
            "masculinidades?",
            {"numeric": [(27, 0)]},
        ),
        (
            "Conceptos",
            MA,
            "Relacione cada concepto con su significado.",
            {
                "pairs": [
                    ("Corresponsabilidad", "Reparto justo de los cuidados"),
                    ("Interseccionalidad", "Cruce de desigualdades"),
                    ("Agencia", "Capacidad de decidir y actuar"),
                ]
            },
        ),
        (
            "Iniciativas",
            S,
            "¿Cuántas iniciativas comunitarias se seleccionaron en la convocatoria conjunta?",
            {
                "choices": [
                    ("Diez", 100, ""),
                    ("Veinticinco", 0, "25 fueron las propuestas recibidas."),
                    ("Cinco", 0, ""),
                ]
            },
        ),
        (
            "Hombres alcanzados",
            N,
            "¿A cuántos hombres indígenas y afromexicanos llegaron los cinco proyectos? "
            "(se acepta ±100)",
            {"numeric": [(2592, 100)]},
        ),
        (
            "Reflexión",
            E,
            "Describa una práctica corresponsable que pueda impulsar en su oficina.",
            {},
        ),
    ],
)
MASCULINITIES_ATTITUDES = (
    "Masculinidades · Actitudes",
    [
        (
            "Cuidados",
            L,
            "Los hombres y las mujeres deben compartir por igual las tareas de cuidado.",
            {},
        ),
        ("Pedir ayuda", L, "Pedir ayuda es una muestra de fortaleza.", {}),
        (
            "Utilidad",
            S,
            "¿Qué tan útil le resultó el curso?",
            {
                "choices": [
                    ("Muy útil", 0, ""),
                    ("Útil", 0, ""),
                    ("Poco útil", 0, ""),
                ]
            },
        ),
        ("Sugerencias", E, "¿Qué mejoraría del curso?", {}),
    ],
)
BHR_BANK = (
    "Empresas y derechos humanos · Debida diligencia",
    [
        (
            "Pilares",
            S,
            "¿Cuáles son los tres pilares de los Principios Rectores?",
            {
                "choices": [
                    ("Proteger, respetar y remediar", 100, "Correcto."),
                    ("Producir, vender y reinvertir", 0, ""),
                    ("Prevenir, sancionar y publicar", 0, ""),
                ]
            },
        ),
        (
            "Ciclo",
            M,
            "¿Qué pasos forman parte de la debida diligencia en derechos humanos? Marque todos.",
            {
                "choices": [
                    ("Identificar y evaluar impactos", 34, ""),
                    ("Integrar medidas y dar seguimiento", 33, ""),
                    ("Comunicar cómo se atienden", 33, ""),
                    ("Publicidad de la marca", -50, "No es parte del ciclo."),
                ]
            },
        ),
        (
            "Tamaño",
            TF,
            "La responsabilidad de respetar los derechos humanos aplica solo a las grandes "
            "empresas.",
            {
                "correct": False,
                "feedback_true": "Aplica a todas, sin importar su tamaño.",
                "feedback_false": "Exacto.",
            },
        ),
        (
            "Mecanismo",
            SH,
            "Un mecanismo operacional de ___ debe ser legítimo, accesible y predecible.",
            {
                "choices": [
                    ("queja", 100, ""),
                    ("quejas", 100, ""),
                    ("reclamación", 50, "Casi: el término es «queja»."),
                ]
            },
        ),
        (
            "Dependencias",
            N,
            "¿Para cuántas dependencias federales elaboró notas de política el PNUD?",
            {"numeric": [(8, 0)]},
        ),
        (
            "Actores",
            MA,
            "Relacione cada actor con su deber según los Principios Rectores.",
            {
                "pairs": [
                    ("Estado", "Proteger"),
                    ("Empresa", "Respetar"),
                    ("Víctimas", "Acceder a reparación"),
                ]
            },
        ),
    ],
)

# quiz slug -> (title, kind, fixed question names with form, options)
QUIZZES = {
    "masculinidades-servicio-publico": {
        "bank": MASCULINITIES_BANK,
        "pre": (
            "Prueba diagnóstica",
            {
                "Interseccionalidad": "A",
                "Iniciativas": "B",
                "Prácticas": "A",
                "Solo física": "B",
                "ENDIREH": "A",
                "Dependencias": "B",
            },
        ),
        "graded": (
            "Evaluación del módulo",
            ["Interseccionalidad", "Prácticas", "Conceptos", "Hombres alcanzados", "Reflexión"],
        ),
        "post": (
            "Prueba final",
            {
                "Interseccionalidad": "A",
                "Iniciativas": "B",
                "Prácticas": "A",
                "Solo física": "B",
                "ENDIREH": "A",
                "Dependencias": "B",
            },
        ),
        "parallel": True,
    },
    "debida-diligencia": {
        "bank": BHR_BANK,
        # Parallel forms: whoever takes form A first takes form B at the end, so no question
        # repeats.
        "pre": (
            "Prueba diagnóstica",
            {"Pilares": "A", "Tamaño": "A", "Ciclo": "B", "Mecanismo": "B"},
        ),
        "graded": (
            "Evaluación: el ciclo de la debida diligencia",
            ["Ciclo", "Mecanismo", "Dependencias", "Actores"],
        ),
        "post": ("Prueba final", {"Pilares": "A", "Tamaño": "A", "Ciclo": "B", "Mecanismo": "B"}),
        "parallel": True,
    },
}

# (e-mail, course slug, kind, fraction of right answers per attempt)
ATTEMPTS = [
    ("maria.lopez@example.org", "masculinidades-servicio-publico", "pre", [0.4]),
    ("maria.lopez@example.org", "masculinidades-servicio-publico", "graded", [1.0]),
    ("maria.lopez@example.org", "masculinidades-servicio-publico", "post", [1.0]),
    ("rocio.santiago@example.org", "masculinidades-servicio-publico", "pre", [0.6]),
    ("rocio.santiago@example.org", "masculinidades-servicio-publico", "graded", [0.4, 0.8]),
    ("tomas.kuyoc@example.org", "masculinidades-servicio-publico", "pre", [0.2]),
    ("ernesto.garcia@example.org", "masculinidades-servicio-publico", "pre", [0.5]),
    ("ernesto.garcia@example.org", "masculinidades-servicio-publico", "graded", [0.8]),
    ("participante@example.org", "masculinidades-servicio-publico", "pre", [0.7]),
    ("empresa@example.org", "debida-diligencia", "pre", [0.5]),
    ("empresa@example.org", "debida-diligencia", "graded", [0.75]),
    ("luis.mendoza@example.org", "debida-diligencia", "pre", [0.25]),
    ("carmen.ruiz@example.org", "debida-diligencia", "pre", [0.75]),
]
SURVEY_ANSWERS = [
    # e-mail, Likert 1, Likert 2, usefulness (choice index), suggestion
    ("maria.lopez@example.org", 5, 4, 0, "Más ejemplos de oficinas públicas."),
    ("rocio.santiago@example.org", 4, 4, 1, ""),
    ("tomas.kuyoc@example.org", 5, 5, 0, "Materiales en lengua maya."),
    ("ernesto.garcia@example.org", 3, 4, 1, "Sesiones en vivo."),
    ("participante@example.org", 4, 3, 2, ""),
]


def _bank(spec) -> dict[str, Question]:
    name, items = spec
    category, _ = QuestionCategory.objects.get_or_create(name=name)
    questions = {}
    for qname, qtype, text, extra in items:
        question = Question.objects.filter(
            category=category, name=qname, locale=Locale.get_default()
        ).first()
        if question is None:
            question = Question.objects.create(
                category=category,
                name=qname,
                qtype=qtype,
                text=text,
                correct_answer=extra.get("correct", True),
                feedback_true=extra.get("feedback_true", ""),
                feedback_false=extra.get("feedback_false", ""),
                points=Decimal(2 if qtype == E else 1),
            )
            for i, (ctext, weight, feedback) in enumerate(extra.get("choices", [])):
                QuestionChoice.objects.create(
                    question=question, sort_order=i, text=ctext, weight=weight, feedback=feedback
                )
            for i, (value, tolerance) in enumerate(extra.get("numeric", [])):
                QuestionNumericAnswer.objects.create(
                    question=question, sort_order=i, value=value, tolerance=tolerance
                )
            for i, (left, right) in enumerate(extra.get("pairs", [])):
                QuestionMatchPair.objects.create(
                    question=question, sort_order=i, left=left, right=right
                )
        questions[qname] = question
    return questions


def _page(
    parent: Page, model, slug: str, questions: list[tuple[Question, dict]], child_model, **fields
):
    course = CoursePage.objects.ancestor_of(parent).first()
    # Found anywhere in the course: other apps add modules after this seed runs.
    existing = model.objects.descendant_of(course).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    for i, (question, extra) in enumerate(questions):
        child_model.objects.create(page=page, question=question, sort_order=i, **extra)
    page.save_revision().publish()
    return page, True


def _quizzes(course: CoursePage, spec: dict) -> dict[str, QuizPage]:
    bank = _bank(spec["bank"])
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    first, middle, last = modules[0], modules[min(1, len(modules) - 1)], modules[-1]
    title, names = spec["pre"]
    pre, created = _page(
        first,
        QuizPage,
        "prueba-diagnostica",
        [(bank[n], {"form": f}) for n, f in names.items()],
        QuizQuestion,
        title=title,
        kind=QuizPage.Kind.PRE,
        opens_course=True,
        parallel_forms=spec["parallel"],
        estimated_minutes=10,
        shuffle_choices=True,
        intro="<p>Esta prueba registra lo que sabe antes de empezar. No afecta su calificación: "
        "contéstela con sinceridad.</p>",
    )
    if created:
        sibling = first.get_children().order_by("path").first()
        if sibling and sibling.pk != pre.pk:
            pre.move(sibling, pos="left")
    title, names = spec["graded"]
    graded, _ = _page(
        middle,
        QuizPage,
        "evaluacion",
        [(bank[n], {}) for n in names],
        QuizQuestion,
        title=title,
        kind=QuizPage.Kind.GRADED,
        max_attempts=3,
        time_limit_minutes=20,
        pass_mark=70,
        shuffle_questions=True,
        shuffle_choices=True,
        estimated_minutes=20,
        show_answers=QuizPage.ShowAnswers.AFTER_LAST,
        intro="<p>Tiene tres intentos y 20 minutos por intento. Sus respuestas se guardan mientras "
        "avanza.</p>",
    )
    title, names = spec["post"]
    post, _ = _page(
        last,
        QuizPage,
        "prueba-final",
        [(bank[n], {"form": f}) for n, f in names.items()],
        QuizQuestion,
        title=title,
        kind=QuizPage.Kind.POST,
        pre_test=pre,
        parallel_forms=spec["parallel"],
        max_attempts=2,
        pass_mark=60,
        estimated_minutes=10,
        intro="<p>Compare lo que sabe ahora con su prueba diagnóstica.</p>",
    )
    return {"pre": pre, "graded": graded, "post": post}


def _survey(course: CoursePage) -> SurveyPage:
    bank = _bank(MASCULINITIES_ATTITUDES)
    last = ModulePage.objects.child_of(course).order_by("path").last()
    survey, _ = _page(
        last,
        SurveyPage,
        "encuesta-de-cierre",
        [
            (bank[n], {"required": n in ("Cuidados", "Pedir ayuda")})
            for n in ("Cuidados", "Pedir ayuda", "Utilidad", "Sugerencias")
        ],
        SurveyQuestion,
        title="Encuesta de cierre",
        anonymous=True,
        required=False,
        estimated_minutes=5,
        intro="<p>Sus respuestas son anónimas y nos ayudan a mejorar el curso.</p>",
        thank_you="Gracias por responder: sus respuestas son anónimas.",
    )
    return survey


def _answers_for(attempt: Attempt, fraction: float) -> dict:
    """Right answers to the first `fraction` of the questions, wrong or blank for the rest."""
    answers = {}
    right_count = round(len(attempt.questions) * fraction)
    for index, snap in enumerate(attempt.questions):
        right = index < right_count
        kind = snap["type"]
        if kind == "single":
            answers[snap["key"]] = max(
                snap["choices"], key=lambda c: c["weight"] if right else -c["weight"]
            )["key"]
        elif kind == "multiple":
            answers[snap["key"]] = [c["key"] for c in snap["choices"] if (c["weight"] > 0) == right]
        elif kind == "truefalse":
            answers[snap["key"]] = "true" if snap["correct"] == right else "false"
        elif kind == "short":
            answers[snap["key"]] = snap["answers"][0]["text"] if right else "no sé"
        elif kind == "numerical":
            answers[snap["key"]] = str(snap["numeric"][0]["value"] + (0 if right else 1000))
        elif kind == "matching":
            rights = [p["right"] for p in snap["pairs"]]
            answers[snap["key"]] = {
                str(i): (p["right"] if right else rights[i - 1])
                for i, p in enumerate(snap["pairs"])
            }
        elif kind == "essay":
            answers[snap["key"]] = (
                "En mi área propondría turnos compartidos para las tareas de cuidado."
            )
    return answers


# Essays the trainer has marked (percent); the others wait in the trainer's queue.
ESSAY_MARKS = {"maria.lopez@example.org": 90, "rocio.santiago@example.org": 70}


def _seed_essay_marks(users: dict) -> None:
    grader = User.objects.filter(email="facilitador@example.org").first()
    for email, mark in ESSAY_MARKS.items():
        user = users.get(email)
        if user is None or grader is None:
            continue
        for attempt in Attempt.objects.filter(user=user, state=Attempt.State.NEEDS_GRADING):
            for snap in attempt.questions:
                if (
                    snap["type"] == "essay"
                    and attempt.results.get(snap["key"], {}).get("fraction") is None
                ):
                    services.essay_grade(
                        grader=grader,
                        attempt_id=attempt.pk,
                        question_key=snap["key"],
                        percent=mark,
                        comment="Buena reflexión; concrete un primer paso con fecha.",
                    )


def _seed_attempts(users: dict, quizzes: dict) -> None:
    for email, slug, kind, fractions in ATTEMPTS:
        user, quiz = users.get(email), quizzes[slug][kind]
        if user is None or Attempt.objects.filter(user=user, quiz=quiz).exists():
            continue
        for fraction in fractions:
            try:
                attempt = services.attempt_start(user=user, quiz=quiz)
            except ProgressError:
                break
            services.attempt_submit(
                user=user, attempt_id=attempt.pk, answers=_answers_for(attempt, fraction)
            )


# A timed attempt left open past its deadline, half answered: opening it shows "time is over"
# with the answers saved in time and a button that grades them (a GET writes nothing).
EXPIRED_ATTEMPT = ("rocio.santiago@example.org", "masculinidades-servicio-publico", "graded", 0.5)


def _seed_expired_attempt(users: dict, quizzes: dict) -> None:
    from datetime import timedelta

    from django.utils import timezone

    email, slug, kind, fraction = EXPIRED_ATTEMPT
    user, quiz = users.get(email), quizzes[slug][kind]
    # Her third and last attempt, after the two of ATTEMPTS; a second seeding leaves it be.
    if user is None or Attempt.objects.filter(user=user, quiz=quiz).count() != 2:
        return
    try:
        attempt = services.attempt_start(user=user, quiz=quiz)
    except ProgressError:
        return
    services.attempt_save(user=user, attempt_id=attempt.pk, answers=_answers_for(attempt, fraction))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))


def _seed_survey(users: dict, survey: SurveyPage) -> None:
    snaps = services.survey_snapshots(survey)
    for email, first, second, choice, suggestion in SURVEY_ANSWERS:
        user = users.get(email)
        if user is None:
            continue
        answers = {
            snaps[0]["key"]: str(first),
            snaps[1]["key"]: str(second),
            snaps[2]["key"]: snaps[2]["choices"][choice]["key"],
            snaps[3]["key"]: suggestion or None,
        }
        try:
            services.survey_submit(user=user, survey=survey, answers=answers)
        except (AlreadyAnswered, ProgressError):
            continue


MOODLE_SAMPLE_CATEGORY = "Ejemplo importado de Moodle"


def _seed_moodle_import() -> None:
    """A question bank exported from Moodle (XML), imported as an editor would (once)."""
    from pathlib import Path

    from .services import questions_import

    if QuestionCategory.objects.filter(name=MOODLE_SAMPLE_CATEGORY).exists():
        return
    sample = Path(__file__).parent / "samples" / "banco-moodle-ejemplo.xml"
    questions_import(
        source=sample.read_text(encoding="utf-8"), category_name=MOODLE_SAMPLE_CATEGORY
    )


def _seed_gift_import() -> None:
    """A Moodle GIFT export with nested categories, imported as an editor would: a second run
    finds every question already in the bank and skips it."""
    from pathlib import Path

    from .imports import questions_import_apply

    sample = Path(__file__).parent / "samples" / "banco-gift-ejemplo.txt"
    questions_import_apply(source=sample.read_text(encoding="utf-8"), on_match="skip")


def seed(*, stdout, size: int = 0) -> None:
    courses = {c.slug: c for c in CoursePage.objects.filter(slug__in=QUIZZES)}
    quizzes = {slug: _quizzes(course, QUIZZES[slug]) for slug, course in courses.items()}
    users = {u.email: u for u in User.objects.filter(email__in={a[0] for a in ATTEMPTS})}
    _seed_attempts(users, quizzes)
    _seed_expired_attempt(users, quizzes)
    _seed_essay_marks(users)
    if "masculinidades-servicio-publico" in courses:
        survey = _survey(courses["masculinidades-servicio-publico"])
        _seed_survey(users, survey)
    _seed_moodle_import()
    _seed_gift_import()
    english_quiz = seed_english_quiz()
    if english_quiz is not None:
        stdout.write(f"English quiz: {english_quiz.title} ({english_quiz.url})")
    stdout.write(
        f"assessments: {Question.objects.count()} questions, {QuizPage.objects.count()} quizzes, "
        f"{Attempt.objects.count()} attempts, {SurveyPage.objects.count()} surveys"
    )
