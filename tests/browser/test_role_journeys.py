"""Every role's path without a dead end (issue 17), in a real browser at phone and laptop size:
staff reach their tools from the header, a learner always has a next step. (Every page type at
360 px and under axe, in both languages: test_every_page_type.py.)"""

import pytest
from playwright.sync_api import expect

from .test_accessibility import leave_for_blank, login

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def sideways(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [NARROW, LAPTOP], ids=["phone", "laptop"])
def test_a_trainer_reaches_every_tool_from_the_header_and_sees_todays_work(
    page, live_server, demo_site, viewport
):
    page.set_viewport_size(viewport)
    login(page, "facilitador@example.org")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Pendientes de hoy")).to_be_visible()
    expect(main.get_by_role("heading", name="Sus cohortes")).to_be_visible()
    page.goto("/aprendizaje/cursos/")
    menu = page.locator(".site-header .staff-tools")
    menu.locator("summary").click()
    for name in ("Reportes y tableros", "Sesiones y asistencia", "Ensayos por calificar"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    menu.get_by_role("link", name="Ensayos por calificar").click()
    expect(page.locator("h1")).to_be_visible()
    assert "/evaluaciones/calificar/" in page.url


def test_a_manager_reaches_certificate_management_from_the_header(page, live_server, demo_site):
    page.set_viewport_size(LAPTOP)
    login(page, "coordinacion@example.org")
    menu = page.locator(".site-header .staff-tools")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Gestión de constancias").click()
    assert "/certificados/gestion/" in page.url


def test_a_learner_goes_on_in_course_order_and_is_told_the_lock_once(page, live_server, site):
    from courses.factories import course_tree
    from courses.models import LessonPage

    from .conftest import log_in, make_user

    course = course_tree(modules=2, lessons=2, mode="open", title="Curso en orden")
    lessons = list(LessonPage.objects.descendant_of(course).live().order_by("path"))
    learner = make_user()
    page.set_viewport_size(NARROW)
    log_in(page, learner)
    page.goto(course.url)
    page.locator("main form button[type=submit]").first.click()  # enrol
    page.goto(lessons[2].url)  # module 2 first, lesson 1
    page.get_by_role("button", name="Marcar como concluida").click()
    page.wait_for_url(f"**{lessons[3].url}")
    page.get_by_role("button", name="Marcar como concluida").click()
    page.wait_for_url(f"**{lessons[0].url}")  # back to what was left behind
    assert sideways(page) == 0
    leave_for_blank(page)
