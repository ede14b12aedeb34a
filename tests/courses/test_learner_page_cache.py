"""The learner page cache (courses.middleware): a logged-in learner's lesson render is kept for
that learner, and whatever the page shows about them never comes back stale."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from courses import services
from courses.factories import course_tree
from courses.models import ActivityProgress, LessonPage, ModulePage

pytestmark = pytest.mark.django_db

DONE = "You completed this lesson."
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def stored_learner_pages() -> list[str]:
    return [k for k in cache._cache if ":courses:learner-page:" in k]  # locmem: inspect the keys


def login(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    client.cookies["django_language"] = "en"  # over the learner's preferred language (Spanish)
    return client


@pytest.fixture
def enrolled(learner, course):
    services.enrolment_create(user=learner, course=course)
    return login(learner)


def test_a_second_view_is_served_from_the_store_with_only_the_session_query(
    enrolled, course, django_assert_max_num_queries
):
    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)  # first visit: puts the lesson in progress (a new learner version)
    first = enrolled.get(lesson.url)
    assert stored_learner_pages()
    with django_assert_max_num_queries(1):  # at most the session row (none when sessions are cached)
        again = enrolled.get(lesson.url)
    assert again.status_code == 200
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())
    assert again["Content-Security-Policy"] and "Cookie" in again["Vary"]


def test_a_stored_page_carries_a_csrf_token_that_works(learner, course):
    services.enrolment_create(user=learner, course=course)
    client = login(learner, enforce_csrf_checks=True)
    lesson = lessons_of(course)[0]
    client.get(lesson.url)
    client.get(lesson.url)
    served = client.get(lesson.url).content.decode()
    token = TOKEN.search(served).group(1)
    assert "\x00" not in served
    response = client.post(f"/aprendizaje/actividades/{lesson.id}/completar/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ActivityProgress.objects.get(user=learner, activity_id=lesson.id).state == "complete"


def test_completing_the_lesson_shows_at_once(enrolled, course):
    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)
    assert DONE not in enrolled.get(lesson.url).content.decode()
    enrolled.post(f"/aprendizaje/actividades/{lesson.id}/completar/")
    enrolled.get("/mi-aprendizaje/")  # the success message is shown (and used) here
    assert DONE in enrolled.get(lesson.url).content.decode()


@pytest.mark.parametrize("change", ["service", "reopen", "delete"])
def test_progress_written_elsewhere_replaces_the_stored_page(enrolled, learner, course, change):
    """A quiz, a workshop attendance or a task writes progress outside the lesson view."""
    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)
    if change == "service":
        services.activity_complete(user=learner, activity=lesson)
        assert DONE in enrolled.get(lesson.url).content.decode()
        return
    services.activity_complete(user=learner, activity=lesson)
    assert DONE in enrolled.get(lesson.url).content.decode()
    if change == "reopen":
        services.activity_reopen(user=learner, activity=lesson)
    else:
        ActivityProgress.objects.filter(user=learner, activity_id=lesson.id).delete()
    assert DONE not in enrolled.get(lesson.url).content.decode()


def test_a_locked_lesson_opens_when_the_previous_module_is_complete(learner):
    course = course_tree(modules=2, lessons=1)
    first, second = lessons_of(course)
    ModulePage.objects.filter(pk=second.get_parent().pk).update(requires_previous=True)
    from courses.caching import content_changed

    content_changed()
    services.enrolment_create(user=learner, course=course)
    client = login(learner)
    client.get(second.url)
    assert "Locked" in client.get(second.url).content.decode()
    services.activity_complete(user=learner, activity=first)
    assert "Locked" not in client.get(second.url).content.decode()


def test_withdrawing_and_enrolling_replace_the_stored_page(enrolled, learner, course):
    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)
    assert "Mark as complete" in enrolled.get(lesson.url).content.decode()
    services.enrolment_withdraw(user=learner, course=course)
    page = enrolled.get(lesson.url).content.decode()
    assert "Mark as complete" not in page and "Enrol to track your progress" in page
    services.enrolment_create(user=learner, course=course)
    assert "Mark as complete" in enrolled.get(lesson.url).content.decode()


def test_a_cohort_enrolment_in_bulk_replaces_the_stored_page(learner):
    from lms.factories import CohortFactory
    from lms.services import cohort_add_member

    course = course_tree(mode="cohort")
    lesson = lessons_of(course)[0]
    client = login(learner)
    cohort = CohortFactory(programme=course.get_parent().specific)
    cohort_add_member(cohort=cohort, user=learner)
    client.get(lesson.url)
    assert "open to enrolled learners" in client.get(lesson.url).content.decode()
    services.cohort_course_add(cohort=cohort, course=course)  # bulk_create: no model signals
    assert "Mark as complete" in client.get(lesson.url).content.decode()


def test_a_new_password_elsewhere_ends_the_old_session_even_for_stored_pages(enrolled, learner, course):
    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)
    assert "Mark as complete" in enrolled.get(lesson.url).content.decode()
    learner.set_password("una-nueva-clave-muy-larga")
    learner.save()
    page = enrolled.get(lesson.url).content.decode()
    assert "Mark as complete" not in page and "Log in" in page


def test_each_learner_gets_their_own_page(learner, other_learner, course):
    lesson = lessons_of(course)[0]
    services.enrolment_create(user=learner, course=course)
    services.activity_complete(user=learner, activity=lesson)
    mine, theirs = login(learner), login(other_learner)
    for _ in range(2):
        assert DONE in mine.get(lesson.url).content.decode()
        page = theirs.get(lesson.url).content.decode()
        assert DONE not in page and "Enrol to track your progress" in page


def test_staff_pages_and_pages_with_messages_are_not_stored(learner, course):
    from lms.factories import UserFactory

    lesson = lessons_of(course)[0]
    staff = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)
    client.get(lesson.url)
    client.get(lesson.url)
    assert not stored_learner_pages()
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    client.get(lesson.url)  # first visit writes progress
    client.post(f"/aprendizaje/actividades/{lesson.id}/completar/")  # queues a success message
    cache.clear()
    shown = client.get(lesson.url)
    assert b'<div class="messages" role="status">' in shown.content  # the message was shown
    assert not stored_learner_pages()


def test_a_group_change_replaces_the_stored_page(enrolled, learner, course):
    from django.contrib.auth.models import Group

    from courses.caching import learner_key

    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)
    before = cache.get(learner_key(learner.pk))
    learner.groups.add(Group.objects.get_or_create(name="Facilitadores")[0])
    assert cache.get(learner_key(learner.pk)) != before


def test_off_by_setting(enrolled, course, settings):
    settings.CACHE_SHARED = False
    lesson = lessons_of(course)[0]
    enrolled.get(lesson.url)
    enrolled.get(lesson.url)
    assert not stored_learner_pages()


def test_the_course_outline_is_stored_too_and_follows_progress(enrolled, learner, course,
                                                               django_assert_max_num_queries):
    """The course page and a module page (the outline with every activity's state) are kept
    like a lesson, and a completed lesson shows on them at once."""
    first = lessons_of(course)[0]
    module = first.get_parent()
    for url in (course.url, module.url):
        enrolled.get(url)
        with django_assert_max_num_queries(1):
            assert enrolled.get(url).status_code == 200
    assert "0% complete" in enrolled.get(course.url).content.decode()
    services.activity_complete(user=learner, activity=first)
    assert "25% complete" in enrolled.get(course.url).content.decode()
    assert "Complete" in enrolled.get(module.url).content.decode()


def test_enrolling_from_a_stored_course_page_shows_the_progress(learner, course):
    client = login(learner, enforce_csrf_checks=True)
    client.get(course.url)
    page = client.get(course.url).content.decode()
    assert "Enrol in this course" in page
    token = TOKEN.search(page).group(1)
    assert client.post(f"/aprendizaje/cursos/{course.id}/inscribirme/", {"csrfmiddlewaretoken": token}).status_code == 302
    client.get("/mi-aprendizaje/")  # shows (and uses) the success message
    page = client.get(course.url).content.decode()
    assert "Enrol in this course" not in page and "Your progress" in page
