"""The core flows work with JavaScript switched off: read, enrol, complete (and, as the apps
provide them, answer a quiz and register for a workshop)."""

import pytest
from playwright.sync_api import expect

from .conftest import log_in, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_enrols_reads_and_completes_lessons_without_javascript(nojs_page, open_course):
    """Every form posts and redirects without scripts; progress is saved."""
    from courses.models import ActivityProgress, Enrolment, LessonPage

    page = nojs_page
    user = make_user()
    log_in(page, user)
    page.goto(open_course.url)
    page.locator(f"form[action$='/cursos/{open_course.id}/inscribirme/'] button").click()
    expect(page.locator("#course-progress")).to_be_visible()
    lessons = list(LessonPage.objects.descendant_of(open_course).order_by("path"))
    page.goto(lessons[0].url)
    expect(page.locator("main")).to_contain_text("Contenido de la lección")
    page.locator("form[action*='/completar/'] button").click()
    expect(page.locator("h1")).to_have_text(lessons[1].title)
    assert Enrolment.objects.filter(user=user, course=open_course).exists()
    assert ActivityProgress.objects.get(user=user, activity=lessons[0]).state == "complete"


def test_answer_a_quiz_and_book_a_workshop_without_javascript(nojs_page, demo_site):
    """The pre-test's form posts and grades without scripts; a workshop seat is booked too."""
    import re

    from assessments.models import Attempt, QuizPage
    from workshops.models import Registration, WorkshopPage

    from .test_full_journeys import answer_everything, login

    page = nojs_page
    login(page, "empresa@example.org")
    graded = (
        QuizPage.objects.live()
        .filter(kind=QuizPage.Kind.GRADED, slug="evaluacion")
        .order_by("path")
    )
    quiz = next(
        q
        for q in graded
        if Attempt.objects.filter(user__email="empresa@example.org", quiz=q).exists()
    )
    page.goto(quiz.url)
    page.locator("form[action*='/iniciar/'] button, a.button[href*='/intentos/']").first.click()
    answer_everything(page)
    assert (
        Attempt.objects.filter(user__email="empresa@example.org", quiz=quiz)
        .exclude(submitted_at=None)
        .count()
        >= 2
    )

    page.context.clear_cookies()
    login(page, "pedro.xolo@example.org")
    before = Registration.objects.filter(user__email="pedro.xolo@example.org").count()
    for workshop in WorkshopPage.objects.live().order_by("path"):
        page.goto(workshop.url)
        register = page.locator("form[action*='/inscribirme/'] button")
        if register.count():
            register.first.click()
            expect(page.locator(".messages")).to_contain_text(re.compile(r"\w"))
            break
    assert Registration.objects.filter(user__email="pedro.xolo@example.org").count() == before + 1
