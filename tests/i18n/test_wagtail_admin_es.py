"""The Spanish admin an editor uses shows no English: Wagtail's and wagtailmedia's missing
strings are supplied (locale_overrides/) and our listings show yes/no icons, not True/False."""

import json
import re

import pytest
from django.utils.html import strip_tags

from assessments.factories import QuestionFactory
from community import services as community
from community.models import Space
from courses.factories import course_tree
from courses.models import LessonPage
from hosted_media.demo import demo_media
from lms.factories import UserFactory
from lms.services import roles_ensure

pytestmark = pytest.mark.django_db

# Strings Wagtail 8 shows in English in Spanish (its catalogue lacks them), and booleans
# printed raw.
ENGLISH = [
    "Autosave is paused",
    "Autosave is",
    "created in",
    "Show filters",
    "Filter by",
    "Keyboard shortcuts",
    "Content metrics",
    "Reading time",
    "Locking:",
    "Anyone can edit this",
    "Search…",
    "There are no results",
    "Sort by '",
    "More options for",
    "Privacy and access",
    "Schedule to publish",
    "Has child pages",
    "Page type",
    "Edited by",
    "Date updated",
    "Choose when this",
    "Save your changes before leaving",
]
RAW_WORDS = re.compile(r">\s*(True|False|Saved|Updated|Added at|Updated at)\s*<")


def english_in(html: str) -> list[str]:
    text = strip_tags(html)
    found = [phrase for phrase in ENGLISH if phrase in html or phrase in text]
    return found + RAW_WORDS.findall(html)


@pytest.fixture
def editor(client):
    user = UserFactory(roles=("editor",))
    client.force_login(user)
    return user


@pytest.fixture
def course():
    return course_tree(modules=1, lessons=2)


def get_es(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'lang="es"' in html
    return html


def test_the_admin_home_counts_pages_in_spanish(client, editor, course):
    html = get_es(client, "/admin/")
    assert english_in(html) == []
    assert re.search(r"\d+ páginas?\b", strip_tags(html))


def test_the_page_listing_is_in_spanish(client, editor, course):
    html = get_es(client, f"/admin/pages/{course.pk}/")
    assert english_in(html) == []


def test_the_page_editor_with_autosave_is_in_spanish(client, editor, course):
    lesson = LessonPage.objects.descendant_of(course).first()
    html = get_es(client, f"/admin/pages/{lesson.pk}/edit/")
    assert "El guardado automático está <span>en pausa</span>" in html
    assert english_in(html) == []


def test_a_snippet_listing_shows_booleans_as_yes_or_no(client, editor, course):
    community.space_ensure(kind=Space.Kind.COURSE, page=course, title="Espacio del curso")
    html = get_es(client, "/admin/snippets/community/space/")
    assert "Espacio del curso" in html
    assert re.search(r'w-sr-only">\s*(Sí|No)\s*<', html)  # what a screen reader says
    assert english_in(html) == []


def test_the_question_bank_listing_is_in_spanish(client, editor):
    QuestionFactory()
    html = get_es(client, "/admin/snippets/assessments/question/")
    assert "Actualizado" in html
    assert english_in(html) == []


def test_the_admin_scripts_get_the_supplied_spanish(client, editor):
    """Autosave messages come from JavaScript: its catalogue includes locale_overrides/."""
    response = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    script = response.content.decode().replace("\\u00e1", "á")
    assert "Los cambios se guardaron automáticamente." in script


# wagtailmedia ships no Spanish: strings of its listing, forms, chooser and deletion screens.
MEDIA_ENGLISH = [
    "Media",
    "Add audio",
    "Add video",
    "Upload",
    "Uploaded",
    "Latest media",
    "Popular Tags",
    "Search media",
    "Change media file",
    "Duration in seconds",
    "Audio file",
    "Video file",
    "Editing",
    "Filesize",
    "Delete media file",
    "Are you sure",
    "Yes, delete",
    "Choose a media item",
    "Sorry, no media files",
    "Usage of",
    "Used 0 times",
]


def visible_english(html: str) -> list[str]:
    """Known wagtailmedia phrases in the text a person sees (not in class names or URLs)."""
    text = strip_tags(re.sub(r"<(script|style|svg)\b.*?</\1>", "", html, flags=re.S))
    return [p for p in MEDIA_ENGLISH if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]


@pytest.fixture
def hosted_video(editor):
    roles_ensure()  # the editor role's media permissions
    return demo_media()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/media/",
        "/admin/media/?q=ninguno",
        "/admin/media/video/add/",
        "/admin/media/audio/add/",
        "/admin/media/edit/{pk}/",
        "/admin/media/delete/{pk}/",
        "/admin/media/usage/{pk}/",
    ],
)
def test_the_media_screens_are_in_spanish(client, hosted_video, url):
    html = get_es(client, url.format(pk=hosted_video.pk))
    assert visible_english(html) == []
    assert english_in(html) == []


def test_the_media_listing_offers_to_add_audio_and_video_in_spanish(client, hosted_video):
    text = strip_tags(get_es(client, "/admin/media/"))
    assert "Medios" in text
    assert "Agregar audio" in text
    assert "Agregar video" in text
    assert "Subido" in text


def test_the_media_chooser_is_in_spanish(client, hosted_video):
    response = client.get("/admin/media/chooser/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "Seleccionar un medio" in html
    assert visible_english(html) == []


def test_a_search_without_results_says_so_in_spanish(client, hosted_video):
    html = get_es(client, "/admin/media/?q=ninguno")
    assert "ningún archivo multimedia coincide con" in html


def test_the_community_menu_labels_are_in_spanish(client, editor):
    """The admin menu's community entries (once missed by makemessages under an alias)."""
    roles_ensure()
    html = get_es(client, "/admin/")  # the sidebar menu is JSON: "\u00f3" for "ó"
    for label in ("Espacios de conversación", "Temas de la biblioteca", "Perfiles del directorio"):
        assert label in html or json.dumps(label)[1:-1] in html
    for english in ("Discussion spaces", "Library themes", "Directory profiles"):
        assert english not in html
