"""Celery tasks: thin wrappers that fetch afresh and call one service."""

import logging
import smtplib

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def send_registration_email(registration_id: int, kind: str) -> bool:
    """E-mail a learner about their registration (confirmed, waitlisted, promoted, or a
    cancellation with its calendar CANCEL)."""
    from .emails import CANCEL_KINDS
    from .emails import send_registration_email as send
    from .models import Registration

    registration = (
        Registration.objects.select_related("user", "session", "workshop")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or (registration.is_active == (kind in CANCEL_KINDS)):
        return False  # gone, or no longer in the state the e-mail speaks of
    send(registration, kind)
    return True


@shared_task
def send_due_reminders() -> int:
    """Periodic (every 5 minutes): day-before and hour-before reminders, each sent once."""
    from .services import reminders_send_due

    return reminders_send_due()


@shared_task
def fill_sessions_from_waitlist(page_id: int) -> int:
    """After a publish: seats an editor added go to the waitlist, in order."""
    from .models import WorkshopSession
    from .services import session_fill_from_waitlist

    return sum(
        session_fill_from_waitlist(session_id=pk)
        for pk in WorkshopSession.objects.filter(page_id=page_id).values_list("pk", flat=True)
    )


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def notify_session_changed(session_id: int, sequence: int) -> int:
    """Tell the people registered that a session's time or place changed (skipped if changed again
    since)."""
    from .services import session_change_notify

    return session_change_notify(session_id=session_id, sequence=sequence)
