from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from workshops import services
from workshops.factories import WorkshopSessionFactory
from workshops.models import ReminderSent
from workshops.services import due_reminder_kind
from workshops.tasks import send_due_reminders

pytestmark = pytest.mark.django_db
START = timezone.now().replace(microsecond=0) + timedelta(days=2)


@pytest.mark.parametrize(
    ("before_start", "kind"),
    [
        (timedelta(hours=30), None),
        (timedelta(hours=24), "day_before"),
        (timedelta(hours=5), "day_before"),
        (timedelta(minutes=61), "day_before"),
        (timedelta(minutes=60), "hour_before"),
        (timedelta(minutes=1), "hour_before"),
        (timedelta(0), None),
        (-timedelta(minutes=10), None),
    ],
)
def test_due_reminder_kind(before_start, kind):
    assert due_reminder_kind(START, START - before_start) == kind


@pytest.fixture
def registered(workshop, enrolled):
    session = WorkshopSessionFactory(page=workshop, start=START, capacity=1)
    learner = enrolled()
    waiting = enrolled()
    services.registration_create(user=learner, session=session)
    services.registration_create(user=waiting, session=session)
    mail.outbox.clear()
    return session, learner


def test_the_day_before_reminder_is_sent_once_to_confirmed_people_only(registered):
    session, learner = registered
    now = START - timedelta(hours=20)
    assert services.reminders_send_due(now=now) == 1
    assert services.reminders_send_due(now=now + timedelta(minutes=5)) == 0
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert session.online_url in mail.outbox[0].body


def test_the_hour_before_reminder_follows_and_is_also_sent_once(registered):
    _session, learner = registered
    services.reminders_send_due(now=START - timedelta(hours=20))
    assert services.reminders_send_due(now=START - timedelta(minutes=50)) == 1
    assert services.reminders_send_due(now=START - timedelta(minutes=45)) == 0
    assert len(mail.outbox) == 2
    assert set(ReminderSent.objects.values_list("kind", flat=True)) == {"day_before", "hour_before"}
    assert ReminderSent.objects.filter(sent_at__isnull=True).count() == 0


def test_a_claimed_reminder_is_not_sent_again_by_another_worker(registered):
    """A restarted beat or a second worker finds the claim row and skips it."""
    session, learner = registered
    registration = session.registrations.get(user=learner)
    ReminderSent.objects.create(registration=registration, kind="day_before")
    assert services.reminders_send_due(now=START - timedelta(hours=20)) == 0
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim_so_the_next_run_retries(registered, monkeypatch):
    calls = []

    def broken(registration, kind):
        calls.append(kind)
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("workshops.emails.send_reminder", broken)
    assert services.reminders_send_due(now=START - timedelta(hours=20)) == 0
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert services.reminders_send_due(now=START - timedelta(hours=19)) == 1


def test_cancelled_registrations_get_no_reminder(registered):
    session, learner = registered
    services.registration_cancel(user=learner, session=session)
    mail.outbox.clear()
    # the promoted learner gets the reminder instead
    assert services.reminders_send_due(now=START - timedelta(hours=20)) == 1
    assert learner.email not in mail.outbox[0].to


def test_the_periodic_task_runs_the_service(registered, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: START - timedelta(hours=3))
    assert send_due_reminders.delay().get() == 1
    assert send_due_reminders.delay().get() == 0


def test_the_periodic_task_is_scheduled():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "workshops.tasks.send_due_reminders" in tasks


def test_moving_a_session_allows_fresh_reminders_with_the_new_time(workshop, registered):
    from workshops.models import WorkshopPage

    session, learner = registered
    services.reminders_send_due(now=START - timedelta(hours=20))
    page = WorkshopPage.objects.get(pk=workshop.pk)
    sessions = list(page.sessions.all())
    moved = next(s for s in sessions if s.pk == session.pk)
    moved.start += timedelta(hours=2)
    moved.end += timedelta(hours=2)
    page.sessions = sessions
    page.save_revision().publish()
    assert services.reminders_send_due(now=START - timedelta(hours=19)) == 1
    assert len(mail.outbox) == 2
