"""Writes of the reports app: reminder e-mails from trainers to learners of their cohorts."""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.models import Cohort, CohortMembership, User
from privacy.mail import unsubscribe_footer, unsubscribe_headers
from privacy.selectors import wants_message

from .models import ReminderLog
from .personal_data import REMINDER_KIND
from .selectors import report_cohort

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ReminderOutcome:
    sent: int = 0
    skipped: int = 0


def message_digest(message: str) -> str:
    return hashlib.sha256(message.strip().encode()).hexdigest()


def reminder_recipients(*, cohort: Cohort, user_ids: list[int]) -> list[User]:
    """The users among `user_ids` who are members of the cohort; anyone else is ignored."""
    members = CohortMembership.objects.filter(cohort=cohort, user_id__in=list(user_ids)).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=members, is_active=True).order_by("pk"))


def _email(*, sender: User, recipient: User, cohort: Cohort, message: str) -> EmailMessage:
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Reminder from your trainer: %(cohort)s") % {"cohort": cohort.name}
        link = settings.SITE_URL + reverse("learner_home")
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": recipient.get_short_name()},
                message.strip(),
                _("Continue where you left off: %(link)s") % {"link": link},
                "— " + (sender.full_name or sender.email),
            ]
        ) + unsubscribe_footer(recipient, REMINDER_KIND)
    reply_to = [sender.email] if sender.email else None
    return EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        reply_to=reply_to,
        headers=unsubscribe_headers(recipient, REMINDER_KIND),
    )


def reminders_send(
    *, sender: User, cohort: Cohort, user_ids: list[int], message: str
) -> ReminderOutcome:
    """E-mail `message` to the listed members of a cohort the sender may monitor.

    Idempotent per day: a learner who already got this same message in this cohort today is
    skipped (a `ReminderLog` row is the proof, written before the e-mail leaves; it is removed
    again when sending fails, so a retry sends it). Users who are not members are ignored; a
    sender who may no longer see the cohort sends nothing. Each recipient is its own transaction.
    """
    message = (message or "").strip()[:MESSAGE_MAX_LENGTH]
    if not message or report_cohort(sender, cohort.pk) is None:
        return ReminderOutcome()
    digest = message_digest(message)
    today = timezone.localdate()
    sent = skipped = 0
    for recipient in reminder_recipients(cohort=cohort, user_ids=user_ids):
        if not wants_message(recipient, REMINDER_KIND):
            skipped += 1
            continue
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    cohort=cohort,
                    sender=sender,
                    recipient=recipient,
                    message=message,
                    message_digest=digest,
                    sent_on=today,
                )
        except IntegrityError:
            skipped += 1
            continue
        try:
            _email(sender=sender, recipient=recipient, cohort=cohort, message=message).send()
        except Exception:
            log.delete()
            raise
        sent += 1
    logger.info(
        "reminders: cohort=%s sender=%s sent=%s skipped=%s", cohort.pk, sender.pk, sent, skipped
    )
    return ReminderOutcome(sent=sent, skipped=skipped)
