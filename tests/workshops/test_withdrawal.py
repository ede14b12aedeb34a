import pytest

from courses.services import enrolment_withdraw
from workshops.models import Registration
from workshops.services import registration_create

pytestmark = pytest.mark.django_db


def test_leaving_the_course_frees_the_seat_for_the_first_on_the_waitlist(
    session, enrolled, course, django_capture_on_commit_callbacks
):
    """A learner who withdraws from the course gets no reminders and their seat goes to someone
    waiting."""
    first, second, waiting = enrolled(), enrolled(), enrolled()
    with django_capture_on_commit_callbacks(execute=True):
        for user in (first, second, waiting):
            registration_create(user=user, session=session)
        enrolment_withdraw(user=first, course=course)
    assert Registration.objects.get(user=first).status == Registration.Status.CANCELLED
    assert Registration.objects.get(user=waiting).status == Registration.Status.CONFIRMED


def test_withdrawing_twice_releases_nothing_more(session, enrolled, course):
    user = enrolled()
    registration_create(user=user, session=session)
    assert enrolment_withdraw(user=user, course=course) is True
    assert enrolment_withdraw(user=user, course=course) is False
    assert Registration.objects.filter(user=user, status=Registration.Status.CANCELLED).count() == 1
