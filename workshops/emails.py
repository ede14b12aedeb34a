"""E-mails to learners about their registrations, in their own language, with the .ics attached."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from privacy.mail import unsubscribe_footer, unsubscribe_headers
from privacy.selectors import wants_message

from .feeds import registration_ics
from .models import Registration

SUBJECTS = {
    "confirmed": "workshops/emails/confirmed_subject.txt",
    "waitlisted": "workshops/emails/waitlisted_subject.txt",
    "promoted": "workshops/emails/promoted_subject.txt",
    "changed": "workshops/emails/changed_subject.txt",
    "day_before": "workshops/emails/reminder_subject.txt",
    "hour_before": "workshops/emails/reminder_subject.txt",
    "cancelled": "workshops/emails/cancelled_subject.txt",
    "session_cancelled": "workshops/emails/session_cancelled_subject.txt",
}
# Kinds that carry an iTIP CANCEL for the event the person's calendar holds.
CANCEL_KINDS = ("cancelled", "session_cancelled")


def _send(registration: Registration, kind: str, *, optional_kind: str = "") -> None:
    user, session = registration.user, registration.session
    confirmed = registration.status == Registration.Status.CONFIRMED
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "session": session,
            "workshop": registration.workshop,
            "registration": registration,
            "kind": kind,
            "show_link": confirmed,
            "page_url": settings.SITE_URL + (registration.workshop.url or ""),
        }
        subject = " ".join(render_to_string(SUBJECTS[kind], context).split())
        body = render_to_string("workshops/emails/registration.txt", context)
        headers = {}
        if optional_kind:
            body += unsubscribe_footer(user, optional_kind)
            headers = unsubscribe_headers(user, optional_kind)
        message = EmailMultiAlternatives(
            subject=subject, body=body, to=[user.email], headers=headers
        )
        method = "CANCEL" if kind in CANCEL_KINDS else "PUBLISH"
        message.attach(
            "sesion.ics",
            registration_ics(registration, method=method),
            f"text/calendar; charset=utf-8; method={method}",
        )
    message.send()


def send_registration_email(registration: Registration, kind: str) -> None:
    _send(registration, kind)


def send_reminder(registration: Registration, kind: str) -> None:
    """A reminder is optional: not sent to a person who refused reminders; one-click unsubscribe."""
    from .personal_data import REMINDER_KIND

    if wants_message(registration.user, REMINDER_KIND):
        _send(registration, kind, optional_kind=REMINDER_KIND)
