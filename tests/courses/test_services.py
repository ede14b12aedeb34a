import pytest
from django.db import transaction

from courses import services
from courses.exceptions import ActivityLocked, EnrolmentRefused, NotEnrolled
from courses.factories import LessonPageFactory, ModulePageFactory, course_tree
from courses.models import ActivityProgress, CohortCourse, Enrolment, LessonPage, ModulePage
from courses.signals import activity_completed, course_completed
from lms.factories import CohortFactory
from lms.services import cohort_add_member

pytestmark = pytest.mark.django_db


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


@pytest.fixture
def completions():
    """The enrolment ids announced by course_completed during the test."""
    events = []

    def receiver(**kwargs):
        events.append(kwargs["enrolment"].pk)

    course_completed.connect(receiver, weak=False, dispatch_uid="test-completions")
    yield events
    course_completed.disconnect(dispatch_uid="test-completions")


def complete_all(user, course):
    for lesson in lessons_of(course):
        services.activity_complete(user=user, activity=lesson)


def require_previous(course, index=1):
    module = ModulePage.objects.child_of(course).order_by("path")[index]
    module.requires_previous = True
    module.save_revision().publish()
    return module


# Enrolment


def test_enrolling_twice_keeps_one_enrolment(learner, course):
    first = services.enrolment_create(user=learner, course=course)
    second = services.enrolment_create(user=learner, course=course)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_re_enrolling_after_withdrawal_keeps_the_progress(learner, course):
    services.enrolment_create(user=learner, course=course)
    services.activity_complete(user=learner, activity=lessons_of(course)[0])
    assert services.enrolment_withdraw(user=learner, course=course) is True
    assert services.enrolment_withdraw(user=learner, course=course) is False
    enrolment = services.enrolment_create(user=learner, course=course)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.progress_percent == 25
    assert (
        ActivityProgress.objects.get(user=learner, activity=lessons_of(course)[0]).state
        == "complete"
    )


def test_self_enrolment_in_a_cohort_only_course_is_refused(learner):
    course = course_tree(mode="cohort")
    with pytest.raises(EnrolmentRefused):
        services.enrolment_create(user=learner, course=course)
    assert not Enrolment.objects.exists()


def test_a_cohort_member_may_rejoin_a_cohort_course_they_left(learner):
    course = course_tree(mode="cohort")
    cohort = CohortFactory(programme=course.get_parent())
    cohort_add_member(cohort=cohort, user=learner)
    services.cohort_course_add(cohort=cohort, course=course)
    services.enrolment_withdraw(user=learner, course=course)
    enrolment = services.enrolment_create(user=learner, course=course)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.cohort == cohort


def test_enrolment_needs_completed_prerequisites(learner):
    first = course_tree(modules=1, lessons=1)
    second = course_tree(modules=1, lessons=1)
    second.prerequisites.add(first)
    second.save_revision().publish()
    with pytest.raises(EnrolmentRefused) as refused:
        services.enrolment_create(user=learner, course=second)
    assert first.title in str(refused.value.message)
    services.enrolment_create(user=learner, course=first)
    complete_all(learner, first)
    services.enrolment_withdraw(user=learner, course=first)  # a completion survives a withdrawal
    assert services.enrolment_create(user=learner, course=second).status == Enrolment.Status.ACTIVE


def test_an_unpublished_course_refuses_enrolment(learner, course):
    course.unpublish()
    with pytest.raises(EnrolmentRefused):
        services.enrolment_create(user=learner, course=course)


def test_cohort_course_add_enrols_every_member_once(
    learner, other_learner, django_capture_on_commit_callbacks
):
    course = course_tree(mode="cohort")
    cohort = CohortFactory(programme=course.get_parent())
    cohort_add_member(cohort=cohort, user=learner)
    cohort_add_member(cohort=cohort, user=other_learner)
    services.cohort_course_add(cohort=cohort, course=course)
    services.cohort_course_add(cohort=cohort, course=course)
    assert CohortCourse.objects.count() == 1
    assert set(
        Enrolment.objects.filter(course=course, cohort=cohort).values_list("user_id", flat=True)
    ) == {
        learner.pk,
        other_learner.pk,
    }


def test_a_new_cohort_member_is_enrolled_in_the_cohort_courses(learner):
    course = course_tree(mode="cohort")
    cohort = CohortFactory(programme=course.get_parent())
    services.cohort_course_add(cohort=cohort, course=course)
    cohort_add_member(cohort=cohort, user=learner)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.cohort == cohort
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_repeating_cohort_course_add_does_not_re_enrol_who_withdrew(learner):
    course = course_tree()
    cohort = CohortFactory(programme=course.get_parent())
    cohort_add_member(cohort=cohort, user=learner)
    services.cohort_course_add(cohort=cohort, course=course)
    services.enrolment_withdraw(user=learner, course=course)
    services.cohort_course_add(cohort=cohort, course=course)
    assert Enrolment.objects.get(user=learner, course=course).status == Enrolment.Status.WITHDRAWN


# Progress


def test_completing_every_lesson_completes_the_course_once(learner, course, completions):
    """The course-completed event fires exactly once, even when the last lesson is completed
    twice."""
    services.enrolment_create(user=learner, course=course)
    complete_all(learner, course)
    services.activity_complete(user=learner, activity=lessons_of(course)[-1])
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100
    assert completions == [enrolment.pk]


def test_completing_an_activity_twice_changes_nothing_the_second_time(learner, course):
    services.enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    events = []
    activity_completed.connect(
        lambda **kw: events.append(kw["activity"].pk), weak=False, dispatch_uid="t-act"
    )
    try:
        first = services.activity_complete(user=learner, activity=lesson)
        second = services.activity_complete(user=learner, activity=lesson)
    finally:
        activity_completed.disconnect(dispatch_uid="t-act")
    assert first.pk == second.pk
    assert second.completed_at == first.completed_at
    assert events == [lesson.pk]


def test_a_learner_who_is_not_enrolled_cannot_complete_an_activity(learner, course):
    with pytest.raises(NotEnrolled):
        services.activity_complete(user=learner, activity=lessons_of(course)[0])
    assert not ActivityProgress.objects.exists()


def test_a_learner_who_withdrew_cannot_complete_an_activity(learner, course):
    services.enrolment_create(user=learner, course=course)
    services.enrolment_withdraw(user=learner, course=course)
    with pytest.raises(NotEnrolled):
        services.activity_complete(user=learner, activity=lessons_of(course)[0])


def test_enrolment_in_one_course_does_not_open_another(learner, course):
    other = course_tree()
    services.enrolment_create(user=learner, course=other)
    with pytest.raises(NotEnrolled):
        services.activity_complete(user=learner, activity=lessons_of(course)[0])


def test_a_locked_module_refuses_completion_and_records_nothing(learner, course):
    require_previous(course)
    services.enrolment_create(user=learner, course=course)
    with pytest.raises(ActivityLocked) as locked:
        services.activity_complete(user=learner, activity=lessons_of(course)[2])
    assert "first" in str(locked.value.message) or "primero" in str(locked.value.message)
    assert not ActivityProgress.objects.exists()


def test_the_locked_module_opens_once_the_previous_is_complete(learner, course):
    require_previous(course)
    services.enrolment_create(user=learner, course=course)
    lessons = lessons_of(course)
    services.activity_complete(user=learner, activity=lessons[0])
    services.activity_complete(user=learner, activity=lessons[1])
    services.activity_complete(user=learner, activity=lessons[2])
    assert ActivityProgress.objects.get(user=learner, activity=lessons[2]).state == "complete"


def test_check_locks_false_lets_staff_tools_complete_a_locked_activity(learner, course):
    require_previous(course)
    services.enrolment_create(user=learner, course=course)
    services.activity_complete(user=learner, activity=lessons_of(course)[2], check_locks=False)
    assert (
        ActivityProgress.objects.get(user=learner, activity=lessons_of(course)[2]).state
        == "complete"
    )


def test_an_unpublished_activity_cannot_be_completed(learner, course):
    services.enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    with pytest.raises(ActivityLocked):
        services.activity_complete(user=learner, activity=lesson)


def test_opening_an_activity_puts_it_in_progress_once(learner, course):
    services.enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    first = services.activity_start(user=learner, activity=lesson)
    second = services.activity_start(user=learner, activity=lesson)
    assert first.state == second.state == "in_progress"
    assert second.started_at == first.started_at
    assert second.updated_at == first.updated_at
    assert Enrolment.objects.get(user=learner, course=course).last_activity_at == first.started_at


def test_opening_does_not_record_anything_when_not_enrolled_or_locked(learner, course):
    assert services.activity_start(user=learner, activity=lessons_of(course)[0]) is None
    require_previous(course)
    services.enrolment_create(user=learner, course=course)
    assert services.activity_start(user=learner, activity=lessons_of(course)[2]) is None
    assert not ActivityProgress.objects.exists()


def test_opening_a_completed_activity_leaves_it_complete(learner, course):
    services.enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    services.activity_complete(user=learner, activity=lesson)
    assert services.activity_start(user=learner, activity=lesson).state == "complete"


def test_course_completed_is_sent_inside_the_transaction(
    learner, course, django_capture_on_commit_callbacks
):
    services.enrolment_create(user=learner, course=course)
    seen = []

    def receiver(**kwargs):
        seen.append(transaction.get_connection().in_atomic_block)

    course_completed.connect(receiver, weak=False, dispatch_uid="t2")
    try:
        complete_all(learner, course)
    finally:
        course_completed.disconnect(dispatch_uid="t2")
    assert seen == [True]


def test_reopening_an_activity_lowers_the_percentage_but_not_a_completion(learner, course):
    services.enrolment_create(user=learner, course=course)
    lessons = lessons_of(course)
    services.activity_complete(user=learner, activity=lessons[0])
    services.activity_reopen(user=learner, activity=lessons[0])
    assert Enrolment.objects.get(user=learner, course=course).progress_percent == 0
    complete_all(learner, course)
    services.activity_reopen(user=learner, activity=lessons[0])
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100


# Recompute after the editor changes the course


def test_adding_a_required_activity_keeps_completed_courses_completed(
    learner, other_learner, course, completions, django_capture_on_commit_callbacks
):
    services.enrolment_create(user=learner, course=course)
    services.enrolment_create(user=other_learner, course=course)
    complete_all(learner, course)
    services.activity_complete(user=other_learner, activity=lessons_of(course)[0])
    module = ModulePage.objects.child_of(course).order_by("path").last()
    with django_capture_on_commit_callbacks(execute=True):
        LessonPageFactory(parent=module).save_revision().publish()
    done = Enrolment.objects.get(user=learner, course=course)
    assert done.completed_at is not None
    assert done.progress_percent == 100
    assert Enrolment.objects.get(user=other_learner, course=course).progress_percent == 20
    assert len(completions) == 1
    # The completed learner may still open and finish the new lesson: nothing fires again.
    complete_all(learner, course)
    assert len(completions) == 1


def test_removing_the_last_missing_required_activity_completes_the_course_once(
    learner, course, completions, django_capture_on_commit_callbacks
):
    services.enrolment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        services.activity_complete(user=learner, activity=lesson)
    assert completions == []
    with django_capture_on_commit_callbacks(execute=True):
        lessons[-1].unpublish()
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None
    assert completions == [enrolment.pk]
    assert services.course_recompute(course=course) == 0
    assert completions == [enrolment.pk]


def test_deleting_an_activity_recomputes_the_course(
    learner, course, django_capture_on_commit_callbacks
):
    services.enrolment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        services.activity_complete(user=learner, activity=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        lessons[-1].delete()
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None


def test_a_new_module_appears_in_the_structure_after_publishing(learner, course):
    from courses.selectors import course_structure

    assert len(course_structure(course).modules) == 2
    module = ModulePageFactory(parent=course)
    LessonPageFactory(parent=module)
    assert len(course_structure(course).modules) == 3
    assert len(course_structure(course).activities()) == 5
