"""Editing is safe (issue 17): Publish pressed while the admin's autosave is pending or in flight
publishes what was typed, says so, and no autosave lands after it to leave a draft.

The editor works at laptop size. An autosave is made pending by typing and pressing Publish at
once; the requests the browser sends are recorded in order, so the test sees the overlap itself
rather than hoping the server interleaves them badly."""

import pytest
from django.urls import reverse

from .conftest import PASSWORD, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LAPTOP = {"width": 1280, "height": 800}
# Wagtail's unsaved-changes check takes its first snapshot of the form two seconds after load.
SNAPSHOT_MS = 2_500


class EditorPosts:
    """The editor form's POSTs in the order the browser sent and finished them."""

    def __init__(self, page):
        self.events: list[tuple[str, str]] = []
        page.on("request", lambda r: self._note(r, "sent"))
        page.on("requestfinished", lambda r: self._note(r, "done"))
        page.on("requestfailed", lambda r: self._note(r, "done"))

    def _note(self, request, what: str) -> None:
        if request.method != "POST" or "/admin/" not in request.url:
            return
        if "application/json" in (request.headers.get("accept") or ""):
            self.events.append(("autosave", what))
        elif "action-publish" in (request.post_data or ""):
            self.events.append(("publish", what))

    def overlapping_autosaves(self) -> list[tuple[str, str]]:
        """Autosave events after the publish was sent, and autosaves still running then."""
        sent = self.events.index(("publish", "sent"))
        before, after = self.events[:sent], self.events[sent + 1 :]
        unfinished = before.count(("autosave", "sent")) - before.count(("autosave", "done"))
        late = [e for e in after if e == ("autosave", "sent")]
        return late + [("autosave", "running")] * unfinished


@pytest.fixture
def editor_page(browser, live_server, site):
    editor = make_user(roles=("editor",), is_staff=True)
    context = browser.new_context(viewport=LAPTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(editor.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def press_publish(page) -> None:
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name=action-publish]").click()


def published_message(page) -> str:
    page.wait_for_load_state()
    messages = page.locator(".messages li.success")
    messages.first.wait_for()
    assert page.locator(".messages li.error").count() == 0
    return messages.first.inner_text()


def settle(page) -> None:
    """Time for an autosave the old page might still have sent to reach the server."""
    page.wait_for_timeout(2_000)


def test_publishing_a_new_quiz_while_its_first_autosave_is_in_flight(editor_page, open_course):
    """The first autosave creates the page; Publish pressed during it publishes that page."""
    from assessments.models import QuizPage
    from courses.models import ModulePage

    page = editor_page
    module = ModulePage.objects.child_of(open_course).order_by("path").first()
    posts = EditorPosts(page)
    page.goto(f"/admin/pages/add/assessments/quizpage/{module.pk}/")
    page.wait_for_timeout(SNAPSHOT_MS)
    with page.expect_request(lambda r: r.method == "POST" and "/add/" in r.url):
        page.locator("#id_title").press_sequentially("Cuestionario recién escrito", delay=15)
    press_publish(page)
    assert "Cuestionario recién escrito" in published_message(page)
    settle(page)

    quizzes = list(QuizPage.objects.child_of(module))
    assert [q.title for q in quizzes] == ["Cuestionario recién escrito"]
    quiz = quizzes[0]
    assert quiz.live and not quiz.has_unpublished_changes
    assert quiz.live_revision_id == quiz.latest_revision_id
    assert posts.overlapping_autosaves() == []
    page.goto(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
    assert page.locator("#id_title").input_value() == "Cuestionario recién escrito"


def test_publishing_a_draft_quiz_right_after_typing(editor_page, open_course):
    """Typing and pressing Publish at once (an autosave pending): live with what was typed."""
    from assessments.factories import QuizPageFactory
    from assessments.models import QuizPage
    from courses.models import ModulePage

    page = editor_page
    module = ModulePage.objects.child_of(open_course).order_by("path").first()
    draft = QuizPageFactory(parent=module, live=False, title="Borrador")
    draft.save_revision()
    posts = EditorPosts(page)
    page.goto(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    page.wait_for_timeout(SNAPSHOT_MS)
    title = page.locator("#id_title")
    title.press("End")
    title.press_sequentially(" revisado", delay=15)
    press_publish(page)
    assert "Borrador revisado" in published_message(page)
    settle(page)

    quiz = QuizPage.objects.get(pk=draft.pk)
    assert quiz.title == "Borrador revisado"
    assert quiz.live and not quiz.has_unpublished_changes
    assert quiz.live_revision_id == quiz.latest_revision_id
    assert posts.overlapping_autosaves() == []
    page.goto(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
    assert page.locator("#id_title").input_value() == "Borrador revisado"


def test_publishing_a_new_certificate_template_while_it_autosaves(editor_page, site):
    """A certificate template (a snippet with drafts) behaves the same: what renders is what was
    published, and no draft is left over it."""
    from certificates.models import CertificateTemplate

    page = editor_page
    posts = EditorPosts(page)
    page.goto(reverse("wagtailsnippets_certificates_certificatetemplate:add"))
    page.wait_for_timeout(SNAPSHOT_MS)
    with page.expect_request(lambda r: r.method == "POST" and "/add/" in r.url):
        page.locator("#id_name").press_sequentially("Plantilla nueva", delay=15)
    page.locator("#id_title").fill("Constancia publicada")
    press_publish(page)
    assert "Plantilla nueva" in published_message(page)
    settle(page)

    templates = list(CertificateTemplate.objects.all())
    assert [t.name for t in templates] == ["Plantilla nueva"]
    template = templates[0]
    assert template.live and not template.has_unpublished_changes
    assert template.title == "Constancia publicada"
    assert template.live_revision_id == template.latest_revision_id
    assert posts.overlapping_autosaves() == []
