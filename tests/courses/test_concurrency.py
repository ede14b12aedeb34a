"""Two completions at the same moment (two tabs, a double click) on PostgreSQL: one event.

Real threads with their own database connections and committed transactions. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_courses (CI runs on PostgreSQL).
"""

import threading

import pytest
from django.db import connection, connections

from courses import services
from courses.factories import course_tree
from courses.models import ActivityProgress, Enrolment, LessonPage
from courses.signals import course_completed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture(autouse=True)
def _postgres_with_a_page_tree():
    if connection.vendor != "postgresql":
        from tests.conftest import IN_CI

        if IN_CI:
            pytest.fail("CI=true: the concurrency tests need PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL (row locks); set DATABASE_URL")
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()


@pytest.fixture
def completions():
    events = []
    lock = threading.Lock()

    def receiver(**kwargs):
        with lock:
            events.append(kwargs["enrolment"].pk)

    course_completed.connect(receiver, weak=False, dispatch_uid="concurrency")
    yield events
    course_completed.disconnect(dispatch_uid="concurrency")


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


def test_completing_the_last_two_lessons_at_once_completes_the_course_once(learner, completions):
    course = course_tree(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=course)
    first, second = LessonPage.objects.descendant_of(course).order_by("path")
    run_together(
        lambda: services.activity_complete(user=learner, activity=first),
        lambda: services.activity_complete(user=learner, activity=second),
    )
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100
    assert completions == [enrolment.pk]


def test_two_tabs_completing_the_same_last_lesson_fire_one_event(learner, completions):
    course = course_tree(modules=1, lessons=1)
    services.enrolment_create(user=learner, course=course)
    lesson = LessonPage.objects.descendant_of(course).get()
    run_together(*[lambda: services.activity_complete(user=learner, activity=lesson)] * 3)
    assert ActivityProgress.objects.filter(user=learner).count() == 1
    assert completions == [Enrolment.objects.get(user=learner, course=course).pk]


def test_two_tabs_enrolling_at_once_make_one_enrolment(learner):
    course = course_tree(modules=1, lessons=1)
    run_together(*[lambda: services.enrolment_create(user=learner, course=course)] * 3)
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
