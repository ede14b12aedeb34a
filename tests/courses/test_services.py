import pytest
from django.db import transaction

from courses import services
from courses.exceptions import ActivityLocked, NotEnrolled
from courses.models import ActivityProgress, Enrolment, LessonPage
from courses.signals import course_completed

pytestmark = pytest.mark.django_db


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_completing_every_lesson_completes_the_course_once(learner, course):
    """The course-completed event fires exactly once, even when the last lesson is completed twice."""
    services.enrolment_create(user=learner, course=course)
    events = []
    course_completed.connect(lambda **kw: events.append(kw["enrolment"].pk), weak=False, dispatch_uid="t1")
    try:
        for lesson in lessons_of(course):
            services.activity_complete(user=learner, activity=lesson)
        services.activity_complete(user=learner, activity=lessons_of(course)[-1])
    finally:
        course_completed.disconnect(dispatch_uid="t1")
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100
    assert events == [enrolment.pk]


def test_a_learner_who_is_not_enrolled_cannot_complete_an_activity(learner, course):
    with pytest.raises(NotEnrolled):
        services.activity_complete(user=learner, activity=lessons_of(course)[0])
    assert not ActivityProgress.objects.exists()


def test_a_locked_module_refuses_completion(learner, course):
    from courses.models import ModulePage

    second = ModulePage.objects.child_of(course).order_by("path")[1]
    second.requires_previous = True
    second.save_revision().publish()
    services.enrolment_create(user=learner, course=course)
    with pytest.raises(ActivityLocked):
        services.activity_complete(user=learner, activity=lessons_of(course)[2])


def test_course_completed_is_sent_inside_the_transaction(learner, course, django_capture_on_commit_callbacks):
    services.enrolment_create(user=learner, course=course)
    seen = []

    def receiver(**kwargs):
        seen.append(transaction.get_connection().in_atomic_block)

    course_completed.connect(receiver, weak=False, dispatch_uid="t2")
    try:
        for lesson in lessons_of(course):
            services.activity_complete(user=learner, activity=lesson)
    finally:
        course_completed.disconnect(dispatch_uid="t2")
    assert seen == [True]
