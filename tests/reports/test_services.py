import smtplib

import pytest
from django.core import mail

from reports.models import ReminderLog
from reports.services import reminders_send
from reports.tasks import send_reminders

pytestmark = pytest.mark.django_db


def test_the_same_reminder_reaches_a_learner_once_a_day(trainer, cohort, members):
    first = reminders_send(sender=trainer, cohort=cohort, user_ids=[members[0].pk], message="Hola")
    again = reminders_send(sender=trainer, cohort=cohort, user_ids=[members[0].pk], message="Hola ")
    assert (first.sent, again.sent, again.skipped) == (1, 0, 1)
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_a_different_message_is_sent(trainer, cohort, members):
    reminders_send(sender=trainer, cohort=cohort, user_ids=[members[0].pk], message="Hola")
    reminders_send(sender=trainer, cohort=cohort, user_ids=[members[0].pk], message="Segundo aviso")
    assert len(mail.outbox) == 2


def test_non_members_are_ignored(trainer, cohort, members, other_cohort):
    stranger = other_cohort.members.first()
    outcome = reminders_send(
        sender=trainer, cohort=cohort, user_ids=[stranger.pk, members[1].pk], message="Hola"
    )
    assert outcome.sent == 1
    assert [m.to for m in mail.outbox] == [[members[1].email]]


def test_a_sender_who_cannot_see_the_cohort_sends_nothing(other_trainer, cohort, members):
    outcome = reminders_send(
        sender=other_trainer, cohort=cohort, user_ids=[members[0].pk], message="Hola"
    )
    assert outcome.sent == 0 and mail.outbox == []


def test_the_email_is_in_the_learners_language(trainer, cohort, members):
    members[0].preferred_language = "en"
    members[0].save()
    members[1].preferred_language = "es"
    members[1].save()
    reminders_send(
        sender=trainer, cohort=cohort, user_ids=[members[0].pk, members[1].pk], message="Hola"
    )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[members[0].email].startswith("Reminder from your trainer")
    assert subjects[members[1].email].startswith("Recordatorio")


def test_a_failed_send_leaves_no_log_so_the_retry_sends_it(trainer, cohort, members, monkeypatch):
    from django.core.mail import EmailMessage

    original = EmailMessage.send
    monkeypatch.setattr(
        EmailMessage,
        "send",
        lambda self, *a, **k: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("down")),
    )
    with pytest.raises(smtplib.SMTPServerDisconnected):
        reminders_send(sender=trainer, cohort=cohort, user_ids=[members[0].pk], message="Hola")
    assert not ReminderLog.objects.exists()
    monkeypatch.setattr(EmailMessage, "send", original)
    assert (
        reminders_send(sender=trainer, cohort=cohort, user_ids=[members[0].pk], message="Hola").sent
        == 1
    )


def test_the_task_returns_quietly_when_the_cohort_is_gone(trainer, members):
    assert send_reminders(trainer.pk, [members[0].pk], 999999, "Hola") == 0
    assert mail.outbox == []


def test_the_task_sends_and_counts(trainer, cohort, members):
    assert send_reminders.delay(trainer.pk, [m.pk for m in members], cohort.pk, "Hola").get() == 3
