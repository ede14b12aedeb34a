"""The scale-out adapters, in one process: bucket addresses, copying local media into storage,
and what the HTTP cache is told when the page tree changes. tests/cluster runs them for real."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from lms.storage import MediaStorage

pytestmark = pytest.mark.django_db


def bucket() -> MediaStorage:
    return MediaStorage(
        bucket_name="lms",
        endpoint_url="http://127.0.0.1:9",
        access_key="key",
        secret_key="secret",
        region_name="us-east-1",
        querystring_expire=300,
        addressing_style="path",
        signature_version="s3v4",
    )


def test_a_private_file_in_the_bucket_gets_a_short_lived_signed_address():
    url = urlsplit(bucket().url("certificates/pdf/ABCDE-FGHJK.pdf"))
    query = parse_qs(url.query)
    assert url.path == "/lms/certificates/pdf/ABCDE-FGHJK.pdf"
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query


@pytest.mark.parametrize("name", ["images/logo.max-800x600.png", "original_images/logo.png"])
def test_an_image_in_the_bucket_keeps_its_address_on_the_site(name, settings):
    """So pages that show it can stay in the HTTP cache longer than any signature lives."""
    assert bucket().url(name) == settings.MEDIA_URL + name


def test_copy_media_to_storage_copies_once_and_skips_what_is_there(tmp_path, settings):
    source = tmp_path / "old-media"
    (source / "documents").mkdir(parents=True)
    (source / "documents" / "guia.pdf").write_bytes(b"%PDF-1.7 guia")
    (source / "original_images").mkdir()
    (source / "original_images" / "foto.png").write_bytes(b"\x89PNG foto")
    settings.MEDIA_ROOT = str(tmp_path / "storage")

    first = _run(source)
    assert "copied 2 file(s); 0 already there" in first
    with default_storage.open("documents/guia.pdf", "rb") as handle:
        assert handle.read() == b"%PDF-1.7 guia"
    assert "copied 0 file(s); 2 already there" in _run(source)


def test_copy_media_to_storage_dry_run_copies_nothing(tmp_path, settings):
    source = tmp_path / "old-media"
    source.mkdir()
    (source / "nota.txt").write_text("hola")
    settings.MEDIA_ROOT = str(tmp_path / "storage")
    assert "would copy 1 file(s)" in _run(source, "--dry-run")
    assert not default_storage.exists("nota.txt")


def _run(source, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("copy_media_to_storage", "--source", str(source), *args, stdout=out)
    return out.getvalue()


class PurgeRecorder(BaseHTTPRequestHandler):
    """A real HTTP server standing in for Varnish's PURGE endpoint: it records what it is told."""

    purged: list[str] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_cache(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    PurgeRecorder.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield PurgeRecorder.purged
    server.shutdown()


def test_publishing_a_lesson_purges_it_and_the_pages_that_list_it(http_cache):
    from courses.factories import course_tree

    course = course_tree(modules=1, lessons=1)
    module = course.get_children().first()
    lesson = module.get_children().first().specific
    http_cache.clear()
    lesson.title = "Nueva versión"
    lesson.save_revision().publish()
    for page in (lesson, module, course, course.get_parent()):
        assert page.get_url_parts()[2] in http_cache


def test_moving_a_module_purges_its_old_and_new_addresses(http_cache):
    from courses.factories import course_tree

    course = course_tree(modules=1, lessons=1)
    other = course_tree(modules=0, lessons=0)
    module = course.get_children().first()
    lesson = module.get_children().first()
    old_module, old_lesson = module.get_url_parts()[2], lesson.get_url_parts()[2]
    http_cache.clear()
    module.specific.move(other, pos="last-child")
    module.refresh_from_db()
    lesson.refresh_from_db()
    for path in (
        old_module,
        old_lesson,
        module.get_url_parts()[2],
        lesson.get_url_parts()[2],
        course.get_url_parts()[2],
        other.get_url_parts()[2],
    ):
        assert path in http_cache
