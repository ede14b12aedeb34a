"""The route cache and the anonymous page cache (courses.middleware)."""

import pytest

from courses import services
from courses.factories import course_tree
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def first_lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


def test_a_visitor_gets_the_stored_page_and_a_publish_replaces_it(client, course, django_assert_num_queries):
    lesson = first_lesson(course)
    assert "Contenido de la lección" in client.get(lesson.url).content.decode()
    lesson.body = [("text", "<p>Texto revisado por la editora.</p>")]
    lesson.save_revision().publish()
    response = client.get(lesson.url)
    assert "Texto revisado por la editora" in response.content.decode()
    with django_assert_num_queries(0):
        again = client.get(lesson.url)
    assert again.content == response.content
    assert again["Content-Security-Policy"]


def test_logged_in_learners_never_get_the_visitors_page(client, learner, course):
    lesson = first_lesson(course)
    client.get(lesson.url)
    client.get(lesson.url)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    body = client.get(lesson.url).content.decode()
    assert "csrfmiddlewaretoken" in body
    assert "/aprendizaje/actividades/" in body  # the complete button, only for the enrolled learner


def test_the_stored_page_depends_on_the_language(client, course):
    lesson = first_lesson(course)
    spanish = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="es"' in spanish and 'lang="en"' in english
    assert client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="es").content.decode() == spanish


def test_pages_with_a_query_string_are_not_stored(client, course, django_assert_max_num_queries):
    lesson = first_lesson(course)
    client.get(lesson.url + "?a=1")
    response = client.get(lesson.url + "?a=1")
    assert response.status_code == 200
    from django.core.cache import cache

    assert not [k for k in cache._cache if ":courses:page:" in k]  # locmem: inspect the keys


def test_cohort_only_lessons_are_never_stored(client):
    from django.core.cache import cache

    course = course_tree(mode="cohort")
    client.get(first_lesson(course).url)
    assert not [k for k in cache._cache if ":courses:page:" in k]


def test_course_pages_are_not_stored_for_visitors(client, course):
    from django.core.cache import cache

    client.get(course.url)
    assert not [k for k in cache._cache if ":courses:page:" in k]
    assert [k for k in cache._cache if ":courses:route:" in k]


def test_a_changed_help_setting_replaces_stored_pages(client, course):
    from django.core.cache import cache

    lesson = first_lesson(course)
    client.get(lesson.url)
    assert [k for k in cache._cache if ":courses:page:" in k]
    from wagtail.models import Site

    from lms.models import HelpSettings

    settings = HelpSettings.for_site(Site.objects.get(is_default_site=True))
    settings.phone = "800 123 4567"
    settings.save()
    assert "800 123 4567" in client.get(lesson.url).content.decode()


def test_an_unpublished_lesson_is_not_served_from_a_cached_route(client, course):
    lesson = first_lesson(course)
    client.get(lesson.url)
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_private_lesson_is_not_served_to_visitors(client, course):
    from wagtail.models import PageViewRestriction

    lesson = first_lesson(course)
    client.get(lesson.url)
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lesson.url)
    assert response.status_code == 302


def test_the_lesson_body_is_rendered_once_per_content_version(client, learner, course):
    from unittest import mock

    from courses.blocks import LessonBodyBlock

    lesson = first_lesson(course)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    with mock.patch.object(LessonBodyBlock, "render", side_effect=AssertionError("whole stream rendered")):
        client.get(lesson.url)
    from wagtail.blocks import RichTextBlock

    with mock.patch.object(RichTextBlock, "render", side_effect=AssertionError("rendered again")):
        body = client.get(lesson.url).content.decode()
    assert "Contenido de la lección" in body
    lesson.body = [("text", "<p>Segunda versión.</p>")]
    lesson.save_revision().publish()
    assert "Segunda versión" in client.get(lesson.url).content.decode()


def test_a_process_local_cache_keeps_entries_briefly_and_a_shared_one_as_asked(settings):
    from courses.caching import LOCAL_CACHE_SECONDS, cache_seconds

    assert cache_seconds(3600) == LOCAL_CACHE_SECONDS
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6399/9"}
    }
    assert cache_seconds(3600) == 3600
