import smtplib

from celery import shared_task

from lms.models import Cohort, User


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def send_reminders(sender_id: int, user_ids: list[int], cohort_id: int, message: str) -> int:
    """Send a trainer's reminder to learners of a cohort; returns how many e-mails left now.

    Safe to run twice: `reminders_send` skips learners who already got the message today.
    """
    from .services import reminders_send

    sender = User.objects.filter(pk=sender_id, is_active=True).first()
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if sender is None or cohort is None:
        return 0
    return reminders_send(
        sender=sender, cohort=cohort, user_ids=list(user_ids), message=message
    ).sent
