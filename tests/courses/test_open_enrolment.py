"""Open enrolment has an owner: a learner who enrols by themself joins the course's
open-enrolment cohort, which the programme's manager sees (and hands to trainers they name)."""

import importlib

import pytest
from django.apps import apps as django_apps

from courses.factories import course_tree
from courses.models import CohortCourse, Enrolment
from courses.services import enrolment_create, self_enrolment_cohort
from lms.factories import UserFactory
from lms.models import Cohort, CohortMembership, ProgrammeManager
from lms.selectors import learners_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(course):
    user = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=user, programme=course.get_programme())
    return user


def test_a_self_enrolled_learner_joins_the_courses_open_enrolment_cohort(course, learner):
    enrolment = enrolment_create(user=learner, course=course)
    cohort = Cohort.objects.get(self_enrolment_course=course)
    assert enrolment.cohort_id == cohort.pk
    assert cohort.programme_id == course.get_programme().pk
    assert CohortMembership.objects.filter(cohort=cohort, user=learner).exists()
    assert CohortCourse.objects.filter(cohort=cohort, course=course).exists()
    assert Enrolment.objects.get(user=learner, course=course).cohort_id == cohort.pk


def test_the_programme_manager_sees_them_until_a_trainer_is_named(
    course, learner, manager, trainer
):
    enrolment_create(user=learner, course=course)
    assert learner in learners_visible_to(manager)
    assert learner not in learners_visible_to(trainer)
    self_enrolment_cohort(course=course).trainers.add(trainer)
    assert learner in learners_visible_to(trainer)


def test_one_cohort_per_course_and_enrolling_again_is_idempotent(course, learner, other_learner):
    enrolment_create(user=learner, course=course)
    enrolment_create(user=other_learner, course=course)
    enrolment_create(user=learner, course=course)
    assert Cohort.objects.filter(self_enrolment_course=course).count() == 1
    assert CohortMembership.objects.filter(cohort__self_enrolment_course=course).count() == 2


def test_a_cohort_member_keeps_their_cohort(learner):
    from lms.factories import CohortFactory
    from lms.services import cohort_add_member

    course = course_tree(mode="cohort")
    cohort = CohortFactory(programme=course.get_parent())
    cohort_add_member(cohort=cohort, user=learner)
    from courses.services import cohort_course_add

    cohort_course_add(cohort=cohort, course=course)
    assert Enrolment.objects.get(user=learner, course=course).cohort_id == cohort.pk
    assert not Cohort.objects.filter(self_enrolment_course=course).exists()


def test_the_data_migration_moves_existing_self_enrolled_learners_in(
    course, learner, other_learner
):
    """Enrolments of the old kind (no cohort) get the course's open-enrolment cohort."""
    Enrolment.objects.bulk_create(
        [Enrolment(user=learner, course=course), Enrolment(user=other_learner, course=course)]
    )
    migration = importlib.import_module(
        "courses.migrations.0002_self_enrolled_learners_join_a_cohort"
    )
    migration.forwards(django_apps, None)
    cohort = Cohort.objects.get(self_enrolment_course=course)
    assert set(Enrolment.objects.filter(course=course).values_list("cohort_id", flat=True)) == {
        cohort.pk
    }
    assert set(cohort.members.all()) == {learner, other_learner}
    assert cohort.programme_id == course.get_programme().pk
    migration.forwards(django_apps, None)  # idempotent
    assert Cohort.objects.filter(self_enrolment_course=course).count() == 1
