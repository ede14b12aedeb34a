"""Celery tasks: thin wrappers that fetch afresh and call one idempotent service.

A message another task has claimed but not sent yet (ClaimHeld) is asked for again when that
claim's lease ends: by then it was sent, or its process died and this task takes it over."""

import smtplib
from datetime import datetime

from celery import shared_task

RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


@shared_task(bind=True, **RETRY)
def notify_post(self, post_id: int) -> int:
    """Reply and mention e-mails for a new post."""
    from .notifications import ClaimHeld, post_notify

    try:
        return post_notify(post_id=post_id)
    except ClaimHeld as held:
        raise self.retry(countdown=held.retry_in) from held


@shared_task(bind=True, **RETRY)
def notify_hidden(self, post_id: int) -> bool:
    """Tell a hidden post's author why."""
    from .notifications import ClaimHeld, hidden_notify

    try:
        return hidden_notify(post_id=post_id)
    except ClaimHeld as held:
        raise self.retry(countdown=held.retry_in) from held


@shared_task(bind=True, **RETRY)
def send_digest(self, user_id: int, period: str, now: str | None = None) -> bool:
    """One person's digest of the period that ended before `now` (ISO; default: the present)."""
    from .notifications import ClaimHeld, digest_send

    try:
        return digest_send(
            user_id=user_id, period=period, now=datetime.fromisoformat(now) if now else None
        )
    except ClaimHeld as held:
        raise self.retry(countdown=held.retry_in) from held


@shared_task
def send_digests(period: str) -> int:
    """Periodic (several times a day): one task per person who asked for this digest, all for
    the period that ended last when this run started."""
    from django.utils import timezone

    from .notifications import digest_recipients

    now = timezone.now().isoformat()
    recipients = digest_recipients(period)
    for user_id in recipients:
        send_digest.delay(user_id, period, now)
    return len(recipients)
