"""Celery tasks: thin wrappers that fetch afresh and call one idempotent service."""

import smtplib

from celery import shared_task

RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def notify_post(post_id: int) -> int:
    """Reply and mention e-mails for a new post."""
    from .notifications import post_notify

    return post_notify(post_id=post_id)


@shared_task(**RETRY)
def notify_hidden(post_id: int) -> bool:
    """Tell a hidden post's author why."""
    from .notifications import hidden_notify

    return hidden_notify(post_id=post_id)


@shared_task(**RETRY)
def send_digest(user_id: int, period: str) -> bool:
    from .notifications import digest_send

    return digest_send(user_id=user_id, period=period)


@shared_task
def send_digests(period: str) -> int:
    """Periodic (daily; weekly on Mondays): one task per person who asked for this digest."""
    from .notifications import digest_recipients

    recipients = digest_recipients(period)
    for user_id in recipients:
        send_digest.delay(user_id, period)
    return len(recipients)
