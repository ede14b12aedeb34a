"""An external video (YouTube, Vimeo…) is kept as a link: saving a lesson with its address never
asks the internet (no oEmbed lookup), and lessons saved when it was an embed still render."""

import contextlib
import json
import socket
import sys

import pytest
from django.urls import reverse
from wagtail.embeds.models import Embed
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.factories import course_tree
from courses.models import LessonPage
from lms.factories import UserFactory
from lms.services import roles_ensure

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
LOCAL = {"127.0.0.1", "::1", "localhost", None}
# Names and addresses this process asked the network for while `_watching` is set (an audit
# hook observes real socket use; nothing is replaced).
_outside: list = []
_watching: list = []


def _audit(event, args):
    if not _watching:
        return
    if event == "socket.getaddrinfo" and args[0] not in LOCAL:
        _outside.append(args[0])
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address[0] not in LOCAL:
            _outside.append(address)


sys.addaudithook(_audit)


@pytest.fixture
def network_watch():
    _outside.clear()
    _watching.append(True)
    yield _outside
    _watching.clear()


def test_the_audit_hook_sees_a_lookup_of_an_outside_name(network_watch):
    """The watch works: resolving an outside name is recorded (whether or not it resolves)."""
    with contextlib.suppress(OSError):
        socket.getaddrinfo("video.invalid", 443)  # RFC 2606: never a real host
    assert network_watch == ["video.invalid"]


def test_an_editor_saves_a_lesson_with_a_youtube_address_without_any_lookup(client, network_watch):
    roles_ensure()
    client.force_login(UserFactory(roles=("editor",)))
    lesson = LessonPage.objects.descendant_of(course_tree(modules=1, lessons=1)).get()
    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "estimated_minutes": 10,
            "body": streamfield(
                [
                    (
                        "video",
                        {
                            "video": YOUTUBE,
                            "title": "Una charla",
                            "transcript": rich_text("<p>Lo que se dice.</p>"),
                        },
                    )
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(lesson.pk,)), data)
    assert response.status_code == 302, response.context["form"].errors
    lesson.refresh_from_db()
    assert lesson.body[0].block_type == "video"
    assert lesson.body[0].value["video"] == YOUTUBE
    html = client.get(lesson.url).content.decode()
    assert f'<a href="{YOUTUBE}" rel="noopener">Ver el video en youtube.com</a>' in html
    assert "<iframe" not in html
    assert Embed.objects.count() == 0
    assert network_watch == []


def test_a_lesson_saved_when_the_video_was_an_embed_still_renders_as_a_link(client):
    """The stored shape did not change ({"video": url, "title", "transcript"}), so the old JSON
    is read as it is: no data migration is needed."""
    lesson = LessonPage.objects.descendant_of(course_tree(modules=1, lessons=1)).get()
    old = [
        {
            "type": "video",
            "id": "0b6f6a33-5b8e-4b8e-9d4e-2f0c9f1d7a10",
            "value": {
                "video": "https://vimeo.com/76979871",
                "title": "Video de antes",
                "transcript": "<p>Transcripción de antes.</p>",
            },
        }
    ]
    LessonPage.objects.filter(pk=lesson.pk).update(body=json.dumps(old))
    lesson.refresh_from_db()
    html = lesson.body.render_as_block()
    assert '<a href="https://vimeo.com/76979871" rel="noopener">' in html
    assert "Video de antes" in html and "Transcripción de antes." in html
    assert lesson.body.raw_data[0]["value"] == old[0]["value"]
