"""The Spanish admin an editor uses shows no English: Wagtail's missing strings are supplied
(locale_overrides/) and our listings show yes/no icons, not True/False."""

import re

import pytest
from django.utils.html import strip_tags

from assessments.factories import QuestionFactory
from community import services as community
from community.models import Space
from courses.factories import course_tree
from courses.models import LessonPage
from lms.factories import UserFactory

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
