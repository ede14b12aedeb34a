"""Query counts that must not grow with the size of a course or the number of enrolments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.factories import course_tree
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def enrol_with_progress(user, course, done=3):
    services.enrolment_create(user=user, course=course)
    for lesson in LessonPage.objects.descendant_of(course).order_by("path")[:done]:
        services.activity_complete(user=user, activity=lesson)


@pytest.mark.parametrize("warm", [False, True], ids=["cold-cache", "warm-cache"])
def test_course_outline_queries_do_not_grow_with_the_course(client, learner, other_learner, warm):
    small = course_tree(modules=1, lessons=1)
    big = course_tree(modules=10, lessons=10)
    enrol_with_progress(learner, small, done=1)
    enrol_with_progress(learner, big, done=15)
    client.force_login(learner)
    client.get(small.url), client.get(big.url)  # rows created on first use (site settings)
    from django.core.cache import cache

    from lms.caching import content_changed

    def go_cold():
        cache.clear()
        content_changed()  # and what this process kept in memory

    if not warm:
        go_cold()
    small_count = count_queries(client, small.url)
    if not warm:
        go_cold()
    big_count = count_queries(client, big.url)
    # A cold structure costs one query per page type, whatever the number of pages.
    assert big_count == small_count
    body = client.get(big.url).content.decode()
    assert body.count("badge-complete") >= 15


def test_course_outline_of_a_big_course_stays_within_a_fixed_budget(
    client, learner, django_assert_max_num_queries
):
    big = course_tree(modules=10, lessons=10)
    enrol_with_progress(learner, big, done=15)
    client.force_login(learner)
    client.get(big.url)
    # Session, site, locale, routing (courses.models.HomePage.route), view restrictions, the
    # user, the enrolment, the progress, the reports menu's roles.
    with django_assert_max_num_queries(15):
        assert client.get(big.url).status_code == 200


def test_learner_home_queries_do_not_grow_with_enrolments(client, learner, other_learner):
    programme = course_tree(modules=0).get_parent()
    courses = [course_tree(modules=3, lessons=3, programme=programme) for _ in range(10)]
    enrol_with_progress(other_learner, courses[0])
    for course in courses:
        enrol_with_progress(learner, course)
    services.enrolment_create(user=learner, course=courses[-1])
    home = reverse("learner_home")
    client.force_login(other_learner)
    client.get(home)
    one = count_queries(client, home)
    client.force_login(learner)
    client.get(home)
    ten = count_queries(client, home)
    assert ten == one
    # Cold: every structure built in one page query per page type, not one per course.
    from django.core.cache import cache

    from lms.caching import content_changed

    cache.clear()
    content_changed()
    client.force_login(other_learner)
    one_cold = count_queries(client, home)
    cache.clear()
    content_changed()
    client.force_login(learner)
    ten_cold = count_queries(client, home)
    assert ten_cold == one_cold


def test_logged_in_lesson_page_takes_a_fixed_number_of_queries(
    client, learner, course, django_assert_max_num_queries
):
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    client.get(lesson.url)  # first visit: puts the lesson in progress and fills the caches
    with django_assert_max_num_queries(16):  # as the outline, and the lesson's course
        response = client.get(lesson.url)
    assert response.status_code == 200
    assert (
        "Mark as complete" in response.content.decode()
        or "Marcar como" in response.content.decode()
    )


def test_a_lesson_visit_writes_only_the_first_time(client, learner, course):
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(lesson.url)
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert [w for w in writes if "courses_" in w] == []


def test_anonymous_lesson_page_from_the_cache_takes_no_query(
    client, course, django_assert_max_num_queries
):
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    client.get(lesson.url)
    with django_assert_max_num_queries(0):
        response = client.get(lesson.url)
    assert response.status_code == 200
