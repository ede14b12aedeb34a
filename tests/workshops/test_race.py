"""Concurrency on PostgreSQL: real transactions, one connection per thread.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_workshops (skipped on SQLite,
where writes are serialised anyway).
"""

import threading

import pytest
from django.db import connection, connections

from workshops import services
from workshops.exceptions import RegistrationRefused
from workshops.models import Registration

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture
def page_tree(postgres):
    """A transaction=True test starts from a flushed database: rebuild Wagtail's root and locale."""
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()


def run_together(target, arguments):
    """Start one thread per argument at the same moment; collect results or exceptions."""
    barrier = threading.Barrier(len(arguments))
    results = [None] * len(arguments)

    def run(index, argument):
        try:
            barrier.wait()
            results[index] = target(argument)
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_people_racing_for_the_last_seat_get_exactly_one_seat(page_tree):
    from courses.factories import course_tree
    from courses.services import enrolment_create
    from lms.factories import UserFactory
    from workshops.factories import workshop_in_course

    course = course_tree(modules=1, lessons=1)
    session = workshop_in_course(course, capacity=1).sessions.get()
    people = [UserFactory() for _ in range(6)]
    for person in people:
        enrolment_create(user=person, course=course)

    results = run_together(
        lambda user: services.registration_create(user=user, session=session).status, people
    )

    assert sorted(results) == ["confirmed"] + ["waitlisted"] * 5
    assert Registration.objects.filter(session=session, status="confirmed").count() == 1


def test_a_cancellation_racing_with_new_registrations_never_overbooks(page_tree):
    from courses.factories import course_tree
    from courses.services import enrolment_create
    from lms.factories import UserFactory
    from workshops.factories import workshop_in_course

    course = course_tree(modules=1, lessons=1)
    session = workshop_in_course(course, capacity=2).sessions.get()
    people = [UserFactory() for _ in range(6)]
    for person in people:
        enrolment_create(user=person, course=course)
    holder, _second, *rest = people
    services.registration_create(user=holder, session=session)
    services.registration_create(user=_second, session=session)
    services.registration_create(user=rest[0], session=session)  # first on the waitlist

    def act(user):
        if user == holder:
            return services.registration_cancel(user=user, session=session)
        return services.registration_create(user=user, session=session).status

    run_together(act, [holder, *rest[1:]])

    assert Registration.objects.filter(session=session, status="confirmed").count() == 2
    assert Registration.objects.get(user=rest[0]).status == "confirmed"


def test_one_learner_racing_for_two_sessions_of_a_workshop_gets_one(page_tree):
    from courses.factories import course_tree
    from courses.services import enrolment_create
    from lms.factories import UserFactory
    from workshops.factories import workshop_in_course

    course = course_tree(modules=1, lessons=1)
    workshop = workshop_in_course(course, sessions=2, capacity=5)
    learner = UserFactory()
    enrolment_create(user=learner, course=course)

    results = run_together(
        lambda s: services.registration_create(user=learner, session=s),
        list(workshop.sessions.all()),
    )

    assert sum(isinstance(r, Registration) for r in results) == 1
    assert sum(isinstance(r, RegistrationRefused) for r in results) == 1
    assert (
        Registration.objects.filter(user=learner, status__in=["confirmed", "waitlisted"]).count()
        == 1
    )


def test_two_workers_sending_reminders_at_once_send_each_reminder_once(page_tree):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from courses.factories import course_tree
    from courses.services import enrolment_create
    from lms.factories import UserFactory
    from workshops.factories import workshop_in_course
    from workshops.models import ReminderSent

    course = course_tree(modules=1, lessons=1)
    start = timezone.now() + timedelta(hours=5)
    session = workshop_in_course(
        course, capacity=10, start=start, end=start + timedelta(hours=1)
    ).sessions.get()
    people = [UserFactory() for _ in range(4)]
    for person in people:
        enrolment_create(user=person, course=course)
        services.registration_create(user=person, session=session)
    mail.outbox = []

    results = run_together(lambda _n: services.reminders_send_due(), [1, 2, 3])

    assert sum(results) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 4
