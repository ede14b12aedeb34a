"""Script cannot get in: not through names people type, rich text editors write, or files
anyone uploads."""

import io
import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from .test_csrf import pages_to_crawl

pytestmark = pytest.mark.django_db

SCRIPT_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class MarkupScanner(HTMLParser):
    """Elements and attributes that would run script, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "text/javascript").lower()
        if (
            tag == "script"
            and not dict(attrs).get("src")
            and ("javascript" in kind or kind == "module")
        ):
            self.found.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:>")


def dangerous_markup(html: str) -> list[str]:
    scanner = MarkupScanner()
    scanner.feed(html)
    return scanner.found


def test_a_learner_name_with_script_is_inert_on_every_page_and_export(demo):
    """Learner, trainer and manager pages, CSV exports included, show the name as text."""
    from lms.models import Cohort, User
    from lms.services import cohort_add_member, user_create

    evil = user_create(
        email="evil@example.org", full_name=SCRIPT_NAME, password="clave-segura-2026"
    )
    cohort = Cohort.objects.filter(trainers__email="facilitador@example.org").first()
    cohort_add_member(cohort=cohort, user=evil)
    found = []
    for email in ("evil@example.org", "facilitador@example.org", "coordinacion@example.org"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        for url in [*pages_to_crawl(), f"/reportes/cohortes/{cohort.pk}/"]:
            response = client.get(url)
            if response.status_code != 200 or response.streaming:
                continue
            body = response.content.decode(errors="replace")
            found += [(email, url, d) for d in dangerous_markup(body)]
    assert found == []


def draftail(features):
    from wagtail.admin.rich_text import DraftailRichTextArea

    return DraftailRichTextArea(features=features)


def test_rich_text_from_the_editor_keeps_no_script_handlers_or_javascript_links():
    """Pasted HTML goes through Wagtail's whitelist both ways (editor in, database out)."""
    from courses.blocks import RICH_FEATURES

    widget = draftail(RICH_FEATURES)
    pasted = (
        '<p>Hola <script>alert("x")</script><img src="x" onerror="alert(1)"/>'
        '<a href="javascript:alert(1)">enlace</a> <b onclick="alert(1)">negrita</b></p>'
        '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>'
    )
    contentstate = widget.format_value(pasted)
    stored = widget.value_from_datadict({"body": contentstate}, {}, "body")
    assert "Hola" in stored and "negrita" in stored
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style"):
        assert needle not in stored.lower()


def test_a_link_typed_as_javascript_is_dropped_from_the_stored_html():
    """A contentstate LINK entity with a javascript: URL is not written as an href."""
    from courses.blocks import RICH_FEATURES

    widget = draftail(RICH_FEATURES)
    state = {
        "blocks": [
            {
                "key": "a",
                "text": "pulsa aquí",
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 10, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}
        },
    }
    stored = widget.value_from_datadict({"body": json.dumps(state)}, {}, "body")
    assert "javascript:" not in stored


def test_lesson_text_is_rendered_from_the_whitelisted_html(client, course, learner):
    """What the lesson page serves contains the text and none of the stripped markup."""
    from courses.blocks import RICH_FEATURES
    from courses.models import LessonPage
    from courses.services import enrolment_create

    widget = draftail(RICH_FEATURES)
    html = widget.value_from_datadict(
        {
            "b": widget.format_value(
                '<p>Texto seguro<script>alert("x")</script><img src="x" onerror="alert(1)"/></p>'
            )
        },
        {},
        "b",
    )
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.body = [("text", html)]
    lesson.save_revision().publish()
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    body = client.get(lesson.url).content.decode()
    assert "Texto seguro" in body
    assert dangerous_markup(body) == []


@pytest.fixture
def editor_client(db):
    from courses.factories import site_home
    from lms.factories import UserFactory

    site_home()
    client = Client()
    client.force_login(UserFactory(roles=("editor",)))
    return client


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pagina.html", b"<html><script>alert(1)</script></html>"),
        ("imagen.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("programa.js", b"alert(1)"),
    ],
)
def test_the_admin_refuses_documents_that_a_browser_would_run(editor_client, name, content):
    """Only office, PDF and text documents are accepted."""
    from wagtail.documents import get_document_model

    response = editor_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code in (200, 400)
    assert get_document_model().objects.count() == 0


def test_a_served_document_is_an_attachment_that_cannot_run(editor_client):
    """Documents are downloaded, never rendered: attachment, nosniff, a CSP that blocks script."""
    from wagtail.documents import get_document_model

    upload = SimpleUploadedFile("notas.txt", b"<script>alert(1)</script>", content_type="text/html")
    editor_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": upload},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    document = get_document_model().objects.get()
    response = Client().get(document.url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response.headers["Content-Type"]
    assert (
        "script-src 'self'" in response.headers["Content-Security-Policy"]
        or "default-src 'none'" in response.headers["Content-Security-Policy"]
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("foto.png", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_the_admin_refuses_images_that_are_not_images(editor_client, name, content):
    """An SVG, or HTML renamed .png, never becomes an image."""
    from wagtail.images import get_image_model

    editor_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert get_image_model().objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("presentacion.pdf", b"<html><script>alert(1)</script></html>"),
        ("presentacion.pptx", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_workshop_materials_are_checked_by_content_not_name(name, content):
    """A participant's "presentation" that is really HTML or SVG is refused."""
    uploads = pytest.importorskip("workshops.uploads")
    with pytest.raises(uploads.MaterialRejected):
        uploads.check_material(io.BytesIO(content), size=len(content))


def test_the_scanner_sees_real_script_and_ignores_escaped_text():
    assert dangerous_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1)</p>") == []
    assert dangerous_markup("<img src=x onerror=alert(1)>") == ["<img onerror>"]
    assert dangerous_markup("<script>alert(1)</script>") == ["inline <script>"]
    assert dangerous_markup('<script type="application/json">{"a": 1}</script>') == []
    assert dangerous_markup('<a href=" javascript:alert(1)">x</a>') == ["<a href=javascript:>"]
