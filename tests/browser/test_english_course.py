"""A visitor switches to English, finds the English course in the catalogue and reads a lesson
at phone size (390 x 844): English throughout, and axe-core finds nothing serious."""

import re

import pytest

from .conftest import PHONE, run_axe


@pytest.fixture
def english_demo_course(transactional_db):
    """The demo's B+HR programme and its English course (not the whole demo: quicker)."""
    from courses.demo import BHR, ensure_home, seed_programme
    from courses.demo_en import seed_english_course
    from lms.services import roles_ensure
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    roles_ensure()
    seed_programme(ensure_home(), BHR)
    return seed_english_course()


def test_a_visitor_reads_the_english_course_on_a_phone(page, live_server, english_demo_course):
    assert page.viewport_size == PHONE
    page.goto("/aprendizaje/cursos/")
    page.locator("nav.lang-switch a[hreflang=en]").click()
    page.wait_for_url("**/aprendizaje/cursos/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#idioma", "en")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"idioma=en"))
    cards = page.locator("ul.cards li.card")
    assert cards.count() == 1
    cards.get_by_role("link", name="Introduction to business and human rights").click()
    page.wait_for_url("**/en/business-human-rights-academy/introduction-business-human-rights/")
    page.get_by_role("link", name="What are human rights in a company?").click()
    page.wait_for_url("**/module-1/lesson-1/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "What are human rights in a company?"
    assert "every company" in page.locator(".lesson-body").inner_text()
    assert page.locator(".content-language").count() == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert run_axe(page) == []
    # The Spanish original, read with the English interface: said once, marked Spanish.
    page.goto(
        "/academia-empresas-derechos-humanos/introduccion-empresas-derechos-humanos/"
        "modulo-1/leccion-1/"
    )
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator(".content-language").count() == 1
    assert page.locator("main").get_attribute("lang") == "en"
    assert run_axe(page) == []
