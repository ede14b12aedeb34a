"""An editor writes a new lesson in the Wagtail admin and learners can open it."""

import time
import unicodedata

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Lección escrita por la editora"


def _wait_for_lesson(module, seconds: float = 20.0):
    from courses.models import LessonPage

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for lesson in LessonPage.objects.child_of(module).order_by("-id")[:3]:
            if unicodedata.normalize("NFC", lesson.title) == TITLE:
                return lesson
        time.sleep(0.2)
    return LessonPage.objects.child_of(module).order_by("-id").first()


def test_editor_creates_and_publishes_a_lesson_in_the_admin(browser, live_server, open_course):
    """The new lesson is live under its module and appears in the course structure."""
    from courses.models import ModulePage
    from courses.selectors import course_structure

    editor = make_user(roles=("editor",))
    module = ModulePage.objects.child_of(open_course).order_by("path").first()
    # Editors work at a desk: the admin is exercised at a laptop-sized viewport.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto("/admin/login/")
        page.locator("input[name=username]").fill(editor.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/admin/")
        page.goto(f"/admin/pages/add/courses/lessonpage/{module.id}/")
        page.locator("#id_title").fill(TITLE)
        # The slug is copied from the title by a debounced script; set it so the test does not race
        # it.
        page.locator("#id_slug").evaluate(
            "(el, value) => { el.value = value; }", "leccion-de-la-editora"
        )
        page.locator("#id_intro").fill("Una introducción breve.")
        page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
        page.locator("button[name=action-publish]").click()
        # The admin redirects to the module's listing with a success message once it has saved;
        # the messages container exists before that, so wait for the saved page itself.
        lesson = _wait_for_lesson(module)
        expect(page.locator(".messages")).to_be_visible()
    finally:
        context.close()
    assert unicodedata.normalize("NFC", lesson.title) == TITLE
    assert lesson.live
    assert lesson.get_parent().id == module.id
    titles = [a.title for m in course_structure(open_course).modules for a in m.activities]
    assert TITLE in [unicodedata.normalize("NFC", t) for t in titles]
