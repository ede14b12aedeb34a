"""Wagtail's view restrictions hold on every page type while pages without one skip the check's
queries (lms/pages.py): a restriction added, an alias of a restricted page, a password."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.factories import course_tree
from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def first_lesson(course) -> LessonPage:
    return LessonPage.objects.descendant_of(course).order_by("path").first()


def test_a_page_without_restrictions_is_served_without_asking_for_them(client):
    lesson = first_lesson(course_tree())
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(lesson.url).status_code == 200
    assert not [q for q in ctx.captured_queries if "pageviewrestriction" in q["sql"]]


def test_a_restriction_added_to_a_course_closes_its_lessons_at_once(client, learner):
    course = course_tree()
    lesson = first_lesson(course)
    assert client.get(lesson.url).status_code == 200  # the kept list of paths is warm
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "next=" in response["Location"]
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200


def test_a_removed_restriction_opens_the_pages_again(client):
    course = course_tree()
    lesson = first_lesson(course)
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(lesson.url).status_code == 302
    restriction.delete()
    assert client.get(lesson.url).status_code == 200


def test_a_password_restriction_on_a_module_asks_for_the_password(client, learner):
    course = course_tree()
    module = ModulePage.objects.child_of(course).first()
    client.force_login(learner)
    client.get(first_lesson(course).url)
    PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="secreto"
    )
    response = client.get(first_lesson(course).url)
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_an_alias_of_a_restricted_lesson_is_restricted_like_its_source(client):
    source = first_lesson(course_tree(modules=1, lessons=1))
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    open_course = course_tree(modules=1, lessons=1)
    module = ModulePage.objects.child_of(open_course).first()
    assert client.get(first_lesson(open_course).url).status_code == 200  # the kept list is warm
    alias = source.create_alias(parent=module, update_slug="alias-de-leccion")
    assert alias.alias_of_id == source.pk
    assert client.get(alias.url).status_code == 302
