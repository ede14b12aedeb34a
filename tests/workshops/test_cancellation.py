"""Calendar cancellations (RFC 5545 / RFC 5546): a learner's cancellation and a trainer's
cancellation of a whole session reach the calendars that hold the event. Every calendar file is
read by two independent parsers, icalendar and ics."""

from datetime import timedelta

import ics
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses.services import cohort_course_add
from lms.factories import CohortFactory, UserFactory
from workshops import services
from workshops.exceptions import RegistrationRefused, SessionCancelRefused
from workshops.models import Registration

pytestmark = pytest.mark.django_db


def read_both(body: bytes) -> tuple[Calendar, ics.Calendar]:
    """The file as icalendar and as the independent `ics` parser read it."""
    return Calendar.from_ical(body), ics.Calendar(body.decode("utf-8"))


def only_event(body: bytes):
    calendar, other = read_both(body)
    (event,) = calendar.walk("VEVENT")
    (other_event,) = other.events
    assert other_event.uid == str(event["UID"])  # both parsers see the same event
    return calendar, event, other_event


def attachment(message) -> tuple[bytes, str]:
    ((name, content, mimetype),) = message.attachments
    return (content if isinstance(content, bytes) else content.encode()), mimetype


@pytest.fixture
def trainer(course):
    person = UserFactory(roles=("trainer",))
    cohort = CohortFactory(programme=course.get_programme(), trainers=[person])
    cohort_course_add(cohort=cohort, course=course)
    return person


def confirmation_event(session, learner, capture):
    mail.outbox.clear()
    with capture(execute=True):
        services.registration_create(user=learner, session=session)
    body, mimetype = attachment(mail.outbox[-1])
    assert "method=PUBLISH" in mimetype
    return only_event(body)


def test_a_learners_cancellation_emails_a_cancel_with_the_same_uid_and_a_higher_sequence(
    session, enrolled, django_capture_on_commit_callbacks
):
    learner = enrolled()
    _cal, confirmed, _other = confirmation_event(
        session, learner, django_capture_on_commit_callbacks
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(user=learner, session=session) is True
    (message,) = mail.outbox
    assert message.to == [learner.email]
    body, mimetype = attachment(message)
    assert mimetype.startswith("text/calendar") and "method=CANCEL" in mimetype
    calendar, event, other = only_event(body)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == str(confirmed["UID"])
    assert int(event["SEQUENCE"]) > int(confirmed["SEQUENCE"])
    assert str(event["STATUS"]) == "CANCELLED" and other.status == "CANCELLED"
    assert str(event["ORGANIZER"]).startswith(
        "mailto:"
    )  # RFC 5546 3.2.5: CANCEL needs an ORGANIZER
    assert str(event["ATTENDEE"]) == f"mailto:{learner.email}"
    assert session.online_url not in body.decode()


def test_registering_again_after_a_cancellation_outranks_the_cancel(
    session, enrolled, django_capture_on_commit_callbacks
):
    learner = enrolled()
    confirmation_event(session, learner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=learner, session=session)
    cancel_sequence = int(
        Calendar.from_ical(attachment(mail.outbox[-1])[0]).walk("VEVENT")[0]["SEQUENCE"]
    )
    _cal, again, other = confirmation_event(session, learner, django_capture_on_commit_callbacks)
    assert int(again["SEQUENCE"]) > cancel_sequence and str(again["STATUS"]) == "CONFIRMED"
    assert other.status == "CONFIRMED"


def test_the_session_ics_keeps_answering_after_a_learner_cancels(client, session, enrolled):
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    services.registration_cancel(user=learner, session=session)
    client.force_login(learner)
    response = client.get(reverse("workshops:session_ics", args=[session.pk]))
    assert response.status_code == 200
    _cal, event, other = only_event(response.content)
    assert str(event["STATUS"]) == "CANCELLED" and other.status == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_a_trainer_cancels_a_session_with_a_reason_and_every_registrant_is_told(
    client, course, workshop, session, enrolled, trainer, django_capture_on_commit_callbacks
):
    seated, waiting = enrolled(), enrolled()
    services.registration_create(user=seated, session=session)
    services.registration_create(user=enrolled(), session=session)
    services.registration_create(user=waiting, session=session)  # two seats: waitlisted
    before = session.sequence
    client.force_login(trainer)
    page = client.get(reverse("workshops:session_cancel", args=[session.pk]))
    assert page.status_code == 200 and "3" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workshops:session_cancel", args=[session.pk]),
            {"reason": "La facilitadora está enferma; la sesión se reprogramará."},
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and session.sequence == before + 1
    assert not Registration.objects.filter(
        session=session, status__in=["confirmed", "waitlisted"]
    ).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Registration.objects.filter(session=session).values_list("user__email", flat=True)
    )
    for message in mail.outbox:
        assert "La facilitadora está enferma" in message.body
        body, mimetype = attachment(message)
        calendar, event, other = only_event(body)
        assert str(calendar["METHOD"]) == "CANCEL" and "method=CANCEL" in mimetype
        assert str(event["STATUS"]) == "CANCELLED" and other.status == "CANCELLED"
        assert int(event["SEQUENCE"]) > before
        assert "La facilitadora está enferma" in str(event["DESCRIPTION"])


def test_a_cancelled_session_shows_cancelled_in_personal_feeds_for_a_while(
    client, session, enrolled, trainer, django_capture_on_commit_callbacks
):
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    services.session_cancel(user=trainer, session=session, reason="Sin sede")
    feed = client.get(reverse("workshops:calendar_feed", args=[learner.calendar_token])).content
    calendar, other = read_both(feed)
    (event,) = calendar.walk("VEVENT")
    (other_event,) = other.events
    assert str(event["STATUS"]) == "CANCELLED" and other_event.status == "CANCELLED"
    later = timezone.now() + timedelta(days=31)
    from workshops.selectors import feed_registrations

    assert not feed_registrations(
        learner, now=later
    ).exists()  # gone once calendars had a month to see it


def test_the_session_ics_answers_with_the_cancelled_event_for_learner_and_trainer(
    client, session, enrolled, trainer
):
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    services.session_cancel(user=trainer, session=session, reason="Sin sede")
    for person in (learner, trainer):
        client.force_login(person)
        response = client.get(reverse("workshops:session_ics", args=[session.pk]))
        assert response.status_code == 200
        _cal, event, other = only_event(response.content)
        assert str(event["STATUS"]) == "CANCELLED" and other.status == "CANCELLED"
        assert "Sin sede" in str(event["DESCRIPTION"])


def test_cancelling_is_for_the_workshops_trainers_once_and_with_a_reason(
    client, session, enrolled, trainer
):
    stranger = UserFactory(roles=("trainer",))
    with pytest.raises(SessionCancelRefused):
        services.session_cancel(user=stranger, session=session, reason="x")
    client.force_login(stranger)
    assert client.get(reverse("workshops:session_cancel", args=[session.pk])).status_code == 404
    client.force_login(trainer)
    response = client.post(reverse("workshops:session_cancel", args=[session.pk]), {"reason": "  "})
    assert response.status_code == 200 and not type(session).objects.get(pk=session.pk).is_cancelled
    assert services.session_cancel(user=trainer, session=session, reason="Sin sede") == 0
    assert services.session_cancel(user=trainer, session=session, reason="Otra vez") == 0
    session.refresh_from_db()
    assert session.cancellation_reason == "Sin sede"
    with pytest.raises(RegistrationRefused):
        services.registration_create(user=enrolled(), session=session)


def test_publishing_the_page_again_does_not_undo_a_cancellation(session, trainer):
    services.session_cancel(user=trainer, session=session, reason="Sin sede")
    stale = type(session).objects.get(pk=session.pk)
    stale.cancelled_at, stale.cancellation_reason, stale.sequence = (
        None,
        "",
        0,
    )  # as an older revision has it
    stale.save()
    session.refresh_from_db()
    assert (
        session.is_cancelled and session.cancellation_reason == "Sin sede" and session.sequence >= 1
    )


def test_feeds_and_downloads_never_carry_the_persons_address(client, session, enrolled, trainer):
    """A feed is read by whoever holds its address: only the e-mailed CANCEL names the attendee."""
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    services.session_cancel(user=trainer, session=session, reason="Sin sede")
    feed = client.get(reverse("workshops:calendar_feed", args=[learner.calendar_token])).content
    client.force_login(learner)
    download = client.get(reverse("workshops:session_ics", args=[session.pk])).content
    assert learner.email.encode() not in feed and learner.email.encode() not in download
