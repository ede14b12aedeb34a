"""Every role's path without a dead end (issue 17), in a real browser at phone and laptop size,
in Spanish and in English: no page scrolls sideways at 360 px, axe-core finds no serious or
critical violation, staff reach their tools from the header, a learner always has a next step."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .conftest import run_axe
from .test_accessibility import (
    leave_for_blank,
    login,
    object_pages,
    one_page_per_type,
    parameterless_urls,
)

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def sideways(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def walk(page, urls, *, axe: bool) -> dict[str, object]:
    problems, seen = {}, 0
    for url in dict.fromkeys(urls):
        try:
            response = page.goto(url)
        except PlaywrightError:  # a POST-only URL answers 405 with an empty body
            continue
        if (
            response is None
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        seen += 1
        extra = sideways(page)
        if extra > 0:
            problems[url] = f"scrolls {extra}px sideways"
        if axe and (violations := run_axe(page)):
            problems[url] = violations
    assert seen >= 5, seen
    return problems


def set_language(page, code: str) -> None:
    page.goto(f"/idioma/?language={code}&next=/")
    assert page.locator("html").get_attribute("lang") == code


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    "email", ["maria.lopez@example.org", "facilitador@example.org", "coordinacion@example.org"]
)
def test_no_page_scrolls_sideways_at_360px_and_axe_passes(
    page, live_server, demo_site, email, language
):
    page.set_viewport_size(NARROW)
    login(page, email)
    set_language(page, language)
    urls = ["/mi-aprendizaje/", "/cuenta/perfil/", *one_page_per_type()]
    urls += [path for _name, path in parameterless_urls()] + object_pages(email, limit=6)
    assert walk(page, urls, axe=True) == {}


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
