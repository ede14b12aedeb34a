from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses.services import enrolment_withdraw
from lms.factories import OrganisationFactory, UserFactory
from workshops import services
from workshops.exceptions import RegistrationRefused
from workshops.factories import WorkshopSessionFactory
from workshops.models import Registration

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


def register(user, session, **kw):
    return services.registration_create(user=user, session=session, **kw)


def test_seats_are_confirmed_up_to_capacity_then_people_are_waitlisted(session, enrolled):
    a, b, c = enrolled(), enrolled(), enrolled()
    assert [register(u, session).status for u in (a, b, c)] == [CONFIRMED, CONFIRMED, WAITLISTED]


def test_registering_twice_for_the_same_session_is_idempotent(session, enrolled):
    a = enrolled()
    first = register(a, session)
    assert register(a, session).pk == first.pk
    assert Registration.objects.count() == 1


def test_a_freed_seat_goes_to_the_first_on_the_waitlist_who_is_emailed(
    session, enrolled, django_capture_on_commit_callbacks
):
    a, b, c, d = enrolled(), enrolled(), enrolled(), enrolled()
    for user in (a, b, c, d):
        register(user, session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(user=a, session=session) is True
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {a.pk: CANCELLED, b.pk: CONFIRMED, c.pk: CONFIRMED, d.pk: WAITLISTED}
    by_person = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_person) == sorted([a.email, c.email])  # a: the calendar CANCEL; c: the seat
    assert session.online_url in by_person[c.email].body
    assert Registration.objects.get(user=c).promoted_at is not None


def test_leaving_the_waitlist_promotes_nobody(session, enrolled):
    a, b, c, d = enrolled(), enrolled(), enrolled(), enrolled()
    for user in (a, b, c, d):
        register(user, session)
    services.registration_cancel(user=c, session=session)
    assert Registration.objects.get(user=d).status == WAITLISTED


def test_confirmation_email_carries_the_link_and_waitlist_email_does_not(
    session, enrolled, django_capture_on_commit_callbacks
):
    a, b, c = enrolled(), enrolled(), enrolled()
    with django_capture_on_commit_callbacks(execute=True):
        for user in (a, b, c):
            register(user, session)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert session.online_url in by_recipient[a.email].body
    assert session.online_url not in by_recipient[c.email].body
    assert session.online_url.encode() not in by_recipient[c.email].attachments[0][1].encode()


def test_a_learner_cannot_hold_two_sessions_of_the_same_workshop(workshop, session, enrolled):
    other = WorkshopSessionFactory(page=workshop)
    a = enrolled()
    register(a, session)
    with pytest.raises(RegistrationRefused):
        register(a, other)
    services.registration_cancel(user=a, session=session)
    assert register(a, other).status == CONFIRMED


def test_the_database_refuses_two_active_registrations_in_one_workshop(workshop, session, enrolled):
    """The rule holds even for a write that bypasses the service."""
    from django.db import IntegrityError, transaction

    other = WorkshopSessionFactory(page=workshop)
    a = enrolled()
    register(a, session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(user=a, session=other, workshop=workshop)


def test_re_registering_after_cancelling_reuses_the_row_and_goes_to_the_back(session, enrolled):
    a, b, c = enrolled(), enrolled(), enrolled()
    for user in (a, b, c):
        register(user, session)
    services.registration_cancel(user=c, session=session)
    d = enrolled()
    register(d, session)
    again = register(c, session)
    assert again.status == WAITLISTED
    services.registration_cancel(user=a, session=session)
    assert Registration.objects.get(user=d).status == CONFIRMED
    assert Registration.objects.filter(user=c).count() == 1


def test_only_enrolled_learners_can_register(session, learner, enrolled, course):
    with pytest.raises(RegistrationRefused):
        register(learner, session)
    withdrawn = enrolled()
    enrolment_withdraw(user=withdrawn, course=course)
    with pytest.raises(RegistrationRefused):
        register(withdrawn, session)
    assert not Registration.objects.exists()


def test_registration_closes_at_its_deadline(workshop, enrolled):
    start = timezone.now() + timedelta(days=3)
    session = WorkshopSessionFactory(
        page=workshop, start=start, registration_deadline=start - timedelta(days=1)
    )
    with pytest.raises(RegistrationRefused):
        register(enrolled(), session, now=start - timedelta(hours=23))
    assert register(enrolled(), session, now=start - timedelta(hours=25)).status == CONFIRMED


def test_a_confirmed_seat_cannot_be_given_up_after_the_cancellation_deadline(workshop, enrolled):
    start = timezone.now() + timedelta(days=3)
    session = WorkshopSessionFactory(
        page=workshop, start=start, cancellation_deadline=start - timedelta(days=1)
    )
    a = enrolled()
    register(a, session)
    with pytest.raises(RegistrationRefused):
        services.registration_cancel(user=a, session=session, now=start - timedelta(hours=2))
    assert Registration.objects.get(user=a).status == CONFIRMED
    assert (
        services.registration_cancel(user=a, session=session, now=start - timedelta(days=2)) is True
    )


def test_a_waitlist_place_can_be_left_after_the_cancellation_deadline(workshop, enrolled):
    start = timezone.now() + timedelta(days=3)
    session = WorkshopSessionFactory(
        page=workshop, start=start, capacity=1, cancellation_deadline=start - timedelta(days=1)
    )
    a, b = enrolled(), enrolled()
    register(a, session)
    register(b, session)
    assert (
        services.registration_cancel(user=b, session=session, now=start - timedelta(hours=2))
        is True
    )


def test_nobody_is_promoted_once_the_session_started(workshop, enrolled):
    start = timezone.now() + timedelta(days=1)
    session = WorkshopSessionFactory(page=workshop, start=start, capacity=1)
    a, b = enrolled(), enrolled()
    register(a, session)
    register(b, session)
    with pytest.raises(RegistrationRefused):
        services.registration_cancel(user=a, session=session, now=start + timedelta(minutes=5))
    assert Registration.objects.get(user=b).status == WAITLISTED


def test_cancelling_without_a_registration_changes_nothing(session, enrolled):
    assert services.registration_cancel(user=enrolled(), session=session) is False


def test_added_seats_are_filled_from_the_waitlist_when_the_page_is_published(
    workshop, session, enrolled, django_capture_on_commit_callbacks
):
    users = [enrolled() for _ in range(4)]
    for user in users:
        register(user, session)
    page = type(workshop).objects.get(pk=workshop.pk)
    sessions = list(page.sessions.all())
    for item in sessions:
        item.capacity = 3
    page.sessions = sessions
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert Registration.objects.get(user=users[2]).status == CONFIRMED
    assert Registration.objects.get(user=users[3]).status == WAITLISTED


# One-to-one guidance: a slot belongs to one organisation.


def test_a_guidance_slot_is_held_by_the_organisation_of_its_first_booking(guidance, enrolled):
    slot, _other = guidance.sessions.order_by("start")
    company, rival = OrganisationFactory(kind="company"), OrganisationFactory(kind="company")
    first, colleague, outsider = (
        enrolled(organisation=company),
        enrolled(organisation=company),
        enrolled(organisation=rival),
    )
    assert register(first, slot).status == CONFIRMED
    assert register(colleague, slot).status == CONFIRMED
    with pytest.raises(RegistrationRefused):
        register(outsider, slot)


def test_an_organisation_cannot_hold_two_guidance_slots(guidance, enrolled):
    slot, other = guidance.sessions.order_by("start")
    company = OrganisationFactory(kind="company")
    register(enrolled(organisation=company), slot)
    with pytest.raises(RegistrationRefused):
        register(enrolled(organisation=company), other)


def test_guidance_needs_an_organisation(guidance, enrolled):
    slot = guidance.sessions.order_by("start").first()
    with pytest.raises(RegistrationRefused):
        register(enrolled(organisation=None), slot)


def test_a_freed_guidance_slot_can_be_booked_by_another_organisation(guidance, enrolled):
    slot = guidance.sessions.order_by("start").first()
    first = enrolled(organisation=OrganisationFactory())
    register(first, slot)
    services.registration_cancel(user=first, session=slot)
    assert register(enrolled(organisation=OrganisationFactory()), slot).status == CONFIRMED


def test_an_unpublished_workshop_takes_no_registrations(workshop, session, enrolled):
    workshop.unpublish()
    with pytest.raises(RegistrationRefused):
        register(enrolled(), session)


def test_users_factory_learners_are_not_enrolled_by_default(session):
    with pytest.raises(RegistrationRefused):
        register(UserFactory(), session)


def test_a_learner_who_missed_a_past_session_can_take_a_later_one(
    workshop, enrolled, course_trainer
):
    start = timezone.now() - timedelta(days=7)
    past = WorkshopSessionFactory(page=workshop, start=start, end=start + timedelta(hours=2))
    upcoming = WorkshopSessionFactory(page=workshop)
    learner = enrolled()
    old = register(learner, past, now=start - timedelta(days=1))
    services.attendance_record(session=past, marks={old.pk: "absent"}, marked_by=course_trainer)
    assert register(learner, upcoming).status == CONFIRMED
    old.refresh_from_db()
    assert (old.status, old.attendance, old.superseded) == (CONFIRMED, "absent", True)


def test_a_learner_who_attended_cannot_take_another_session(workshop, enrolled, course_trainer):
    start = timezone.now() - timedelta(days=7)
    past = WorkshopSessionFactory(page=workshop, start=start, end=start + timedelta(hours=2))
    upcoming = WorkshopSessionFactory(page=workshop)
    learner = enrolled()
    old = register(learner, past, now=start - timedelta(days=1))
    services.attendance_record(session=past, marks={old.pk: "attended"}, marked_by=course_trainer)
    with pytest.raises(RegistrationRefused):
        register(learner, upcoming)


def test_people_waiting_get_added_seats_before_a_newcomer(session, enrolled):
    a, b, c = enrolled(), enrolled(), enrolled()
    for user in (a, b, c):
        register(user, session)
    WorkshopSession = type(session)
    WorkshopSession.objects.filter(pk=session.pk).update(
        capacity=3
    )  # not yet filled from the waitlist
    newcomer = enrolled()
    assert register(newcomer, session).status == WAITLISTED
    assert Registration.objects.get(user=c).status == CONFIRMED


def test_people_registered_are_told_when_a_session_moves(
    workshop, session, enrolled, django_capture_on_commit_callbacks
):
    a, b, c = enrolled(), enrolled(), enrolled()
    for user in (a, b, c):
        register(user, session)
    services.registration_cancel(user=a, session=session)
    page = type(workshop).objects.get(pk=workshop.pk)
    sessions = list(page.sessions.all())
    sessions[0].place = "Sala 2, Oaxaca"
    page.sessions = sessions
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([b.email, c.email])
    assert all("Sala 2, Oaxaca" in m.body for m in mail.outbox)
    assert "SEQUENCE:1" in mail.outbox[0].attachments[0][1]


def test_publishing_without_changing_a_session_tells_nobody(
    workshop, session, enrolled, django_capture_on_commit_callbacks
):
    register(enrolled(), session)
    page = type(workshop).objects.get(pk=workshop.pk)
    page.title = "Nuevo título"
    page.sessions = list(page.sessions.all())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert mail.outbox == []


def test_a_superseded_change_notice_sends_nothing(session, enrolled):
    register(enrolled(), session)
    mail.outbox.clear()
    assert services.session_change_notify(session_id=session.pk, sequence=session.sequence + 1) == 0
    assert mail.outbox == []
