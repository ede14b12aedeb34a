from datetime import timedelta

import pytest
from django.utils import timezone

from courses.services import enrolment_create
from lms.factories import UserFactory
from workshops.factories import WorkshopSessionFactory, workshop_in_course
from workshops.models import WorkshopPage


@pytest.fixture
def workshop(course):
    """A live training in an open course with one session, a week ahead, of two seats."""
    return workshop_in_course(course, capacity=2)


@pytest.fixture
def session(workshop):
    return workshop.sessions.get()


@pytest.fixture
def enrolled(course):
    """Factory: a new learner enrolled in the course."""

    def make(**fields):
        user = UserFactory(**fields)
        enrolment_create(user=user, course=course)
        return user

    return make


@pytest.fixture
def peer_workshop(course):
    return workshop_in_course(course, kind=WorkshopPage.Kind.PEER_LEARNING, capacity=5)


@pytest.fixture
def guidance(course):
    page = workshop_in_course(course, kind=WorkshopPage.Kind.GUIDANCE, capacity=2)
    WorkshopSessionFactory(page=page, capacity=2, start=timezone.now() + timedelta(days=8))
    return page


@pytest.fixture
def course_trainer(course):
    """A trainer the programme manager named for the course's open-enrolment cohort, where the
    learners of `enrolled` (who enrol by themselves) are."""
    from courses.services import self_enrolment_cohort

    trainer = UserFactory(roles=("trainer",))
    self_enrolment_cohort(course=course).trainers.add(trainer)
    return trainer
