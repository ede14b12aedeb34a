"""E-mails to learners: certificate ready, certificate revoked, certificate about to expire."""

import contextlib
import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Q
from django.utils import timezone

from ..models import Certificate

logger = logging.getLogger(__name__)


# A claim older than this whose e-mail is not marked sent belongs to a sender that died.
EMAIL_CLAIM_SECONDS = 3 * 60


def certificate_email(*, certificate_id: int) -> bool:
    """E-mail the learner that their certificate is ready, once per generation.

    The send is claimed first (emailed_at set under a conditional update), so duplicate tasks
    send one message, and marked sent after; a claim left unsent for EMAIL_CLAIM_SECONDS (a
    worker killed between claim and send) may be claimed again. If sending fails the claim is
    released and the error re-raised so the task retries. Returns whether a message was sent.
    """
    now = timezone.now()
    abandoned = now - timedelta(seconds=EMAIL_CLAIM_SECONDS)
    claimed = Certificate.objects.filter(
        Q(emailed_at__isnull=True) | Q(emailed_at__lt=abandoned),
        pk=certificate_id,
        state=Certificate.State.READY,
        email_sent_at__isnull=True,
    ).update(emailed_at=now)
    if not claimed:
        return False
    certificate_email_claimed(
        certificate=Certificate.objects.select_related("user").get(pk=certificate_id),
        claimed_at=now,
    )
    return True


def certificate_email_claimed(
    *, certificate: Certificate, claimed_at: datetime, connection: BaseEmailBackend | None = None
) -> None:
    """Send the ready e-mail of a certificate whose send was claimed at `claimed_at` (by
    `certificate_email` or by the render that made it ready), through `connection` when given
    (a group of renders shares one). If sending fails, the claim is released and the error
    re-raised."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    user = certificate.user
    try:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "certificate": certificate,
                "user": user,
                "download_url": settings.SITE_URL
                + reverse("certificates:download", args=[certificate.display_code]),
                "list_url": settings.SITE_URL + reverse("certificates:mine"),
                "verify_url": certificate.verify_url,
            }
            subject = render_to_string("certificates/email/ready_subject.txt", context).strip()
            body = render_to_string("certificates/email/ready_body.txt", context)
        send_mail(subject, body, None, [user.email], connection=connection)
    except Exception:
        Certificate.objects.filter(pk=certificate.pk, emailed_at=claimed_at).update(emailed_at=None)
        raise
    Certificate.objects.filter(pk=certificate.pk, emailed_at=claimed_at).update(
        email_sent_at=timezone.now()
    )


def certificate_email_revocation(*, certificate_id: int) -> bool:
    """Tell the holder their certificate was revoked, and why; once per revocation (the send is
    claimed first; a failed send releases the claim and re-raises, so the task retries).
    Returns whether a message was sent."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    now = timezone.now()
    claimed = Certificate.objects.filter(
        pk=certificate_id, state=Certificate.State.REVOKED, revocation_emailed_at__isnull=True
    ).update(revocation_emailed_at=now)
    if not claimed:
        return False
    certificate = Certificate.objects.select_related("user").get(pk=certificate_id)
    user = certificate.user
    try:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "certificate": certificate,
                "user": user,
                "help_email": settings.DEFAULT_FROM_EMAIL,
            }
            subject = render_to_string("certificates/email/revoked_subject.txt", context).strip()
            body = render_to_string("certificates/email/revoked_body.txt", context)
        send_mail(subject, body, None, [user.email])
    except Exception:
        Certificate.objects.filter(pk=certificate_id, revocation_emailed_at=now).update(
            revocation_emailed_at=None
        )
        raise
    return True


@contextlib.contextmanager
def mail_connection_shared() -> Iterator[BaseEmailBackend | None]:
    """An open connection to the mail server for several messages, or None when it cannot be
    opened now (each message then tries on its own, and a failure is retried by its task)."""
    from django.core.mail import get_connection

    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.warning("could not open a mail connection for a group of messages", exc_info=True)
        yield None
        return
    try:
        yield connection
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def certificate_remind_expiring(*, within_days: int = 30, today: date | None = None) -> int:
    """E-mail learners whose valid certificate expires within `within_days`; once per certificate.

    Idempotent (reminded_at is claimed before sending and released if the send fails).
    Returns the number of reminders sent.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    today = today or timezone.localdate()
    due = Certificate.objects.filter(
        state=Certificate.State.READY,
        reminded_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=within_days),
    ).values_list("pk", flat=True)
    sent = 0
    for certificate_id in list(due):
        now = timezone.now()
        if not Certificate.objects.filter(pk=certificate_id, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue
        certificate = Certificate.objects.select_related("user").get(pk=certificate_id)
        try:
            with translation.override(
                certificate.user.preferred_language or settings.LANGUAGE_CODE
            ):
                context = {"certificate": certificate, "user": certificate.user}
                subject = render_to_string(
                    "certificates/email/expiring_subject.txt", context
                ).strip()
                body = render_to_string("certificates/email/expiring_body.txt", context)
            send_mail(subject, body, None, [certificate.user.email])
            sent += 1
        except Exception:
            Certificate.objects.filter(pk=certificate_id, reminded_at=now).update(reminded_at=None)
            logger.warning(
                "could not send expiry reminder for certificate %s", certificate_id, exc_info=True
            )
    return sent
