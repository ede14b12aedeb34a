"""Editors upload hosted video in Wagtail's admin (wagtailmedia over HostedMedia); every file is
checked by content, refusals are in Spanish, and the sizes are kept for the learner."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Collection

from hosted_media.models import HostedMedia
from lms.factories import UserFactory
from lms.services import roles_ensure

from .conftest import asset

pytestmark = pytest.mark.django_db

SRT = b"1\n00:00:00,000 --> 00:00:02,000\nHola\n"


@pytest.fixture
def editor_client(client):
    roles_ensure()
    client.force_login(UserFactory(roles=("editor",)))
    client.cookies.load({"django_language": "es"})
    return client


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, asset(name) if content is None else content)


def form_data(**changes):
    data = {
        "title": "Entrevista en video",
        "file": upload("demo-video.mp4"),
        "light_file": upload("demo-video-ligero.mp4"),
        "audio_file": upload("demo-audio.mp3"),
        "captions_es": upload("demo-subtitulos.es.vtt"),
        "transcript": "Lo que se dice en el video.",
        "collection": Collection.get_first_root_node().pk,
        "duration": "12",
        "width": "640",
        "height": "360",
        "tags": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, **changes):
    return client.post(
        reverse("wagtailmedia:add", args=("video",)),
        form_data(**changes),
        HTTP_ACCEPT_LANGUAGE="es",
    )


def test_an_editor_uploads_a_video_with_its_versions_and_captions(editor_client):
    response = post(editor_client)
    assert response.status_code == 302, response.content.decode()[:2000]
    media = HostedMedia.objects.get()
    assert (media.type, media.file_size, media.light_file_size, media.audio_file_size) == (
        "video",
        len(asset("demo-video.mp4")),
        len(asset("demo-video-ligero.mp4")),
        len(asset("demo-audio.mp3")),
    )
    assert media.captions_es.read().startswith(b"WEBVTT")
    assert media.file.name.startswith("media/")


def test_the_media_library_lists_and_edits_for_an_editor(editor_client):
    post(editor_client)
    media = HostedMedia.objects.get()
    assert editor_client.get(reverse("wagtailmedia:index")).status_code == 200
    response = editor_client.get(reverse("wagtailmedia:edit", args=(media.pk,)))
    assert response.status_code == 200
    assert 'name="captions_es"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"captions_es": upload("subtitulos.vtt", SRT)}, "captions_es", "«WEBVTT»"),
        ({"captions_es": None}, "captions_es", "subtítulos en español"),
        ({"file": upload("clase.mp4", b"%PDF-1.4\n%%EOF\n")}, "file", "MP4 o WebM"),
        ({"audio_file": upload("demo-video-ligero.mp4")}, "audio_file", "MP3, OGG o M4A"),
        ({"transcript": " "}, "transcript", "Escriba la transcripción"),
    ],
)
def test_uploads_that_break_the_rules_are_refused_in_spanish(
    editor_client, changes, field, message
):
    response = post(editor_client, **changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert not HostedMedia.objects.exists()


@override_settings(HOSTED_MEDIA_MAX_BYTES={"file": 50 * 1024})
def test_a_video_over_the_size_limit_is_refused(editor_client):
    response = post(editor_client)
    assert "el límite es 50 KB" in " ".join(response.context["form"].errors["file"])
    assert not HostedMedia.objects.exists()


def test_lesson_and_practice_editors_offer_the_media_chooser(editor_client, media_item):
    from community.models import LibraryIndexPage, PracticePage
    from courses.factories import course_tree, site_home
    from courses.models import LessonPage

    lesson = LessonPage.objects.descendant_of(course_tree(modules=1, lessons=1)).get()
    lesson.body.append(("media", {"media": media_item, "title": ""}))
    lesson.save_revision().publish()
    library = site_home().add_child(instance=LibraryIndexPage(title="Biblioteca", slug="bib"))
    practice = library.add_child(
        instance=PracticePage(
            title="Práctica",
            summary="Resumen",
            organisation_name="OSC",
            approach="<p>Enfoque</p>",
            media=media_item,
        )
    )
    for page in (lesson, practice):
        response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200
        html = response.content.decode()
        assert reverse("wagtailmedia:chooser") in html
        assert "Cuidar tambi" in html  # the chosen item, in the form's HTML or its JSON
