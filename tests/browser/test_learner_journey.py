"""A learner on a phone: signs up, enrols, completes every lesson, sees progress everywhere."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, confirm_email_from_outbox

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_signs_up_enrols_completes_lessons_and_sees_progress(page, open_course):
    """Progress shown on the course page and the learner home follows each completed lesson."""
    from courses.models import Enrolment, LessonPage
    from lms.models import Organisation, User

    org, _ = Organisation.objects.get_or_create(
        name="Secretaría de Gobernación", defaults={"kind": "ministry", "short_name": "SEGOB"}
    )
    page.goto("/cuenta/registro/")
    page.get_by_label(re.compile("Nombre completo|Full name", re.I)).fill("Xóchitl Ku'uyoc Núñez")
    page.locator("input[name=email]").fill("xochitl@example.org")
    page.locator("select[name=organisation]").select_option(value=str(org.pk))
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/")
    user = User.objects.get(email="xochitl@example.org")
    assert user.full_name == "Xóchitl Ku'uyoc Núñez"
    confirm_email_from_outbox(page, user.email)

    page.goto(open_course.url)
    page.locator(f"form[action$='/cursos/{open_course.id}/inscribirme/'] button").click()
    expect(page.locator("#course-progress")).to_have_attribute("value", "0")
    assert Enrolment.objects.filter(user=user, course=open_course).exists()

    lessons = list(LessonPage.objects.descendant_of(open_course).order_by("path"))
    page.locator("main a.button", has_text=re.compile("Continuar|Continue")).click()
    expect(page.locator("h1")).to_have_text(lessons[0].title)
    page.locator("form[action*='/completar/'] button").click()
    # After a completion the learner lands on the next lesson.
    expect(page.locator("h1")).to_have_text(lessons[1].title)

    page.goto("/mi-aprendizaje/")
    expect(page.locator("main")).to_contain_text("25%")
    page.goto(open_course.url)
    expect(page.locator("#course-progress")).to_have_attribute("value", "25")

    for lesson in lessons[1:]:
        page.goto(lesson.url)
        page.locator("form[action*='/completar/'] button").click()
    page.wait_for_url(f"**{open_course.url}")
    expect(page.locator("#course-progress")).to_have_attribute("value", "100")
    page.goto("/mi-aprendizaje/")
    expect(page.locator("main")).to_contain_text(open_course.title)
    assert Enrolment.objects.get(user=user, course=open_course).completed_at is not None
