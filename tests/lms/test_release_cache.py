"""A deploy with a new RELEASE_ID reads nothing the old release cached (docs/caching.md, "Keys
and deploys"), against a real Redis through django-redis as in production."""

import pytest
from django.core.cache import cache
from django.test import Client

from courses.factories import course_tree
from courses.models import LessonPage
from courses.services import enrolment_create
from lms.caching import VERSION_KEY

pytestmark = pytest.mark.django_db


def redis_cache(url: str, release: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"lms:{release}",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture
def release(settings, redis_url):
    """Switch the process to a release: what a restart with a new RELEASE_ID does to the
    cache's key prefix. Keys of both test releases are removed afterwards."""
    settings.CONTENT_VERSION_CHECK_SECONDS = 0  # a new process asks the cache at once

    def switch(name: str):
        settings.CACHES = redis_cache(redis_url, f"test-release-{name}")
        return cache

    yield switch
    for name in ("a", "b"):
        switch(name).clear()


def test_a_new_release_misses_what_the_old_one_cached_and_serves_the_right_page(release, learner):
    """Release A fills the cache (course structure, lesson body, anonymous page). A title then
    changes in the database without any invalidation (as a migration of the new release could
    do): A still serves its cached copy, which proves the pages come from the cache; release B
    misses every key and serves the database's title."""
    course = course_tree(title="Curso de la versión A")
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    enrolment_create(user=learner, course=course)
    learner_client, visitor = Client(), Client()
    learner_client.force_login(learner)

    old = release("a")
    assert lesson.title in learner_client.get(course.url).content.decode()
    assert lesson.title in visitor.get(lesson.url).content.decode()
    version_a = old.get(VERSION_KEY)
    assert version_a is not None and len(old.keys("*")) > 2  # structure, page, version…

    LessonPage.objects.filter(pk=lesson.pk).update(title="Título de la versión B")
    assert "Título de la versión B" not in learner_client.get(course.url).content.decode()

    new = release("b")
    assert new.get(VERSION_KEY) is None  # nothing of A's is found under B's prefix
    assert new.keys("*") == []
    outline = learner_client.get(course.url).content.decode()
    anonymous = visitor.get(lesson.url).content.decode()
    assert "Título de la versión B" in outline and lesson.title not in outline
    assert "Título de la versión B" in anonymous
    assert new.get(VERSION_KEY) not in (None, version_a)


def test_a_previewed_draft_is_put_into_no_cache(release, learner):
    """An editor previews a draft of a lesson that learners and visitors have been reading
    (so its pages are cached): afterwards no value in Redis holds the draft's text, and both
    still get the published text."""
    from django_redis import get_redis_connection
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from lms.factories import UserFactory

    store = release("a")
    course = course_tree()
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    enrolment_create(user=learner, course=course)
    reader, visitor, editor = Client(), Client(), Client()
    reader.force_login(learner)
    editor.force_login(UserFactory(is_superuser=True, is_staff=True))
    for client in (reader, visitor):
        assert "Contenido de la lección" in client.get(lesson.url).content.decode()
    draft = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "intro": "",
            "body": streamfield([("text", rich_text("<p>BORRADOR EN VISTA PREVIA</p>"))]),
            "required": "on",
            "estimated_minutes": "10",
            "comments": inline_formset([]),
        }
    )
    preview_url = f"/admin/pages/{lesson.pk}/edit/preview/"
    assert editor.post(preview_url, draft).json()["is_valid"]
    assert "BORRADOR EN VISTA PREVIA" in editor.get(preview_url).content.decode()
    for client in (reader, visitor):
        page = client.get(lesson.url).content.decode()
        assert "Contenido de la lección" in page and "BORRADOR" not in page
    redis = get_redis_connection("default")
    keys = redis.keys("*")
    assert store.keys("*")  # the pages above did fill the cache
    assert not [key for key in keys if b"BORRADOR EN VISTA PREVIA" in (redis.get(key) or b"")]
