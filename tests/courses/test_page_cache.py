"""What is cached of course pages, and for whom (docs/caching.md)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses import services
from courses.factories import course_tree
from courses.models import LessonPage
from courses.selectors import course_structure
from lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def first_lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


def test_an_anonymous_public_lesson_is_served_again_without_a_query(
    client, course, django_assert_num_queries
):
    lesson = first_lesson(course)
    first = client.get(lesson.url)
    assert "public" in first["Cache-Control"] and "Cookie" in first["Vary"]
    with django_assert_num_queries(0):
        again = client.get(lesson.url)
    assert again.content == first.content
    assert again["Content-Security-Policy"]


def test_a_logged_in_learner_gets_a_private_page_never_the_visitors_one(client, learner, course):
    lesson = first_lesson(course)
    client.get(lesson.url)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    response = client.get(lesson.url)
    body = response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in body
    assert f"/aprendizaje/actividades/{lesson.id}/" in body  # the complete button


def test_a_page_with_a_csrf_token_is_never_shared(client, course):
    """A visitor with a session cookie (say, after a failed login) is not served or stored."""
    lesson = first_lesson(course)
    client.cookies["sessionid"] = "x"
    response = client.get(lesson.url)
    assert "public" not in response.get("Cache-Control", "")


def test_cohort_only_lessons_and_course_pages_are_not_shared(client):
    course = course_tree(mode="cohort")
    assert "public" not in client.get(first_lesson(course).url).get("Cache-Control", "")
    assert "public" not in client.get(course.url).get("Cache-Control", "")


def test_the_shared_page_depends_on_the_language(client, course):
    lesson = first_lesson(course)
    spanish = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="es"' in spanish and 'lang="en"' in english
    assert client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="es").content.decode() == spanish


def test_a_published_change_shows_to_a_logged_in_learner_at_once(client, learner, course):
    lesson = first_lesson(course)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    assert "Contenido de la lección" in client.get(lesson.url).content.decode()
    lesson.body = [("text", "<p>Texto revisado por la editora.</p>")]
    lesson.save_revision().publish()
    assert "Texto revisado por la editora" in client.get(lesson.url).content.decode()


def test_a_previewed_draft_never_reaches_a_learner_or_a_visitor(client, learner, course):
    """Issue 14 item 7: the editor previews a draft; then the page is fetched as a learner and
    anonymously, and neither sees the draft's text."""
    lesson = first_lesson(course)
    services.enrolment_create(user=learner, course=course)
    editor = UserFactory(is_superuser=True, is_staff=True)
    editor_client = Client()
    editor_client.force_login(editor)
    draft = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "intro": "",
            "body": streamfield([("text", rich_text("<p>BORRADOR SECRETO</p>"))]),
            "required": "on",
            "estimated_minutes": "10",
            "comments": inline_formset([]),
        }
    )
    preview_url = f"/admin/pages/{lesson.pk}/edit/preview/"
    assert editor_client.post(preview_url, draft).json()["is_valid"]
    assert "BORRADOR SECRETO" in editor_client.get(preview_url).content.decode()
    anonymous = client.get(lesson.url).content.decode()
    client.force_login(learner)
    logged_in = client.get(lesson.url).content.decode()
    assert "Contenido de la lección" in anonymous and "Contenido de la lección" in logged_in
    assert "BORRADOR SECRETO" not in anonymous
    assert "BORRADOR SECRETO" not in logged_in


def test_activity_labels_in_the_outline_follow_the_language(course):
    with translation.override("es"):
        spanish = course_structure(course).modules[0].activities[0].kind_label
    with translation.override("en"):
        english = course_structure(course).modules[0].activities[0].kind_label
    assert (spanish, english) == ("Lección", "Lesson")


def test_another_process_publish_shows_within_the_check_interval(settings, course):
    """Another process's change reaches this one through the shared version key."""
    from lms.caching import VERSION_KEY

    settings.CONTENT_VERSION_CHECK_SECONDS = 0
    before = course_structure(course)
    lesson = first_lesson(course)
    LessonPage.objects.filter(pk=lesson.pk).update(title="Título cambiado en otro proceso")
    cache.set(VERSION_KEY, "set-by-another-process", None)
    after = course_structure(course)
    assert before.modules[0].activities[0].title != after.modules[0].activities[0].title
    assert after.modules[0].activities[0].title == "Título cambiado en otro proceso"


def test_a_new_release_reads_nothing_the_old_one_stored(settings, course):
    from django.core.cache import caches

    lesson = first_lesson(course)
    cache.set("probe", "from the old release")
    old_prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert settings.RELEASE_ID in old_prefix
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": "lms:next-release"}}
    assert caches["default"].get("probe") is None
    assert first_lesson(course).pk == lesson.pk
