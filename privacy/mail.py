"""E-mail helpers: one-click unsubscribe for non-essential messages (RFC 2369 / RFC 8058) and the
log of what was sent to whom (subject and kind only)."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from lms.identity import normalise_email

from . import tokens

KIND_HEADER = "X-Message-Kind"


def unsubscribe_url(user, kind: str, *, one_click: bool = False) -> str:
    token = tokens.make(tokens.UNSUBSCRIBE_SALT, u=user.pk, k=kind)
    name = "privacy:unsubscribe_one_click" if one_click else "privacy:unsubscribe"
    return settings.SITE_URL + reverse(name, args=[token])


def unsubscribe_headers(user, kind: str) -> dict[str, str]:
    """Headers for a non-essential e-mail: mail clients show an unsubscribe button that works
    without logging in (a POST to the same address unsubscribes at once, RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, kind, one_click=True)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        KIND_HEADER: kind,
    }


def unsubscribe_footer(user, kind: str) -> str:
    from django.utils.translation import gettext as _

    return "\n\n-- \n" + _("To stop receiving this kind of message: %(link)s") % {
        "link": unsubscribe_url(user, kind)
    }


class LoggingEmailBackend(BaseEmailBackend):
    """Delivers through PRIVACY_EMAIL_DELIVERY_BACKEND and records each message in the e-mail log,
    so a person's data-access ZIP lists the e-mails sent to them and retention can purge them."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        backend = getattr(
            settings,
            "PRIVACY_EMAIL_DELIVERY_BACKEND",
            "django.core.mail.backends.console.EmailBackend",
        )
        self.inner = get_connection(backend, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        sent = self.inner.send_messages(email_messages)
        if sent:
            log_messages(email_messages)
        return sent


def log_messages(email_messages) -> None:
    from lms.models import User

    from .models import EmailLog

    addresses = {normalise_email(a) for m in email_messages for a in m.recipients()}
    users = {u.email: u for u in User.objects.filter(email__in=addresses)}
    EmailLog.objects.bulk_create(
        EmailLog(
            user=users[normalise_email(address)],
            subject=str(message.subject)[:255],
            kind=message.extra_headers.get(KIND_HEADER, "")[:40],
        )
        for message in email_messages
        for address in message.recipients()
        if normalise_email(address) in users
    )
