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
