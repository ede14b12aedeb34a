"""Writes of the privacy app: notice acceptance, e-mail confirmation and invitations, consents,
message preferences, sessions and the audit log. Export and erasure live in `export` and
`erasure`."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from lms.models import User
from privacy.models import PrivacyNotice

from . import tokens
from .models import (
    AuditEntry,
    EmailConfirmation,
    MessageOptOut,
    NoticeAcceptance,
    SensitiveConsent,
    UserSession,
)
from .registry import app_message_kinds
from .signals import email_confirmed

logger = logging.getLogger(__name__)


@transaction.atomic
def notice_accept(*, user: User, version: int, language: str) -> NoticeAcceptance:
    """Record that the person accepted this notice version now (idempotent per version)."""
    acceptance, _created = NoticeAcceptance.objects.get_or_create(
        user=user, version=version, defaults={"language": language}
    )
    return acceptance


@transaction.atomic
def signup_user_create(*, data: dict, notice: PrivacyNotice | None = None) -> User:
    """Create a self-registered learner: notice acceptance recorded, e-mail confirmation started."""
    from lms.services import user_create

    user = user_create(
        email=data["email"],
        full_name=data["full_name"],
        password=data["password1"],
        organisation=data["organisation"],
        position=data.get("position", ""),
        preferred_language=data["preferred_language"],
    )
    if notice is not None:
        notice_accept(user=user, version=notice.version, language=notice.language)
    email_confirmation_start(user=user)
    return user


# -- E-mail confirmation ------------------------------------------------------------------------


class ResendTooSoon(Exception):
    """A confirmation e-mail was sent too recently to this person."""


def _confirm_link(confirmation: EmailConfirmation) -> str:
    token = tokens.make(tokens.CONFIRM_SALT, c=confirmation.pk, e=confirmation.email)
    return settings.SITE_URL + reverse("privacy:confirm_email", args=[token])


def email_confirmation_send(*, user: User, rate_limited: bool = True) -> EmailConfirmation | None:
    """Send (again) the confirmation link to a self-registered address not yet confirmed.

    At most one e-mail a minute and five a day per person (cache counters); returns None when
    there is nothing to confirm and raises ResendTooSoon past the limit.
    """
    confirmation = EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).first()
    if confirmation is None:
        return None
    if rate_limited:
        day_key = f"privacy:confirm-day:{user.pk}:{timezone.localdate():%Y%m%d}"
        if not cache.add(f"privacy:confirm-minute:{user.pk}", 1, timeout=60):
            raise ResendTooSoon
        cache.add(day_key, 0, timeout=24 * 3600)
        if cache.incr(day_key) > 5:
            raise ResendTooSoon
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Confirm your e-mail address")
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": user.get_short_name()},
                _(
                    "Please confirm your e-mail address by opening this link (valid for 3 days, "
                    "once):"
                ),
                _confirm_link(confirmation),
                _("If you did not create an account, ignore this message."),
            ]
        )
    send_mail(subject, body, None, [user.email])
    EmailConfirmation.objects.filter(pk=confirmation.pk).update(sent_at=timezone.now())
    return confirmation


@transaction.atomic
def email_confirmation_start(*, user: User) -> EmailConfirmation:
    """A self-registered account must confirm its address; the link is e-mailed after commit."""
    confirmation, _created = EmailConfirmation.objects.get_or_create(
        user=user, defaults={"email": user.email}
    )
    transaction.on_commit(lambda: email_confirmation_send(user=user, rate_limited=False))
    return confirmation


def email_confirmation_pending(*, token: str) -> EmailConfirmation | None:
    """The unconfirmed confirmation a link's token names, if it is still valid (reads only)."""
    payload = tokens.read(tokens.CONFIRM_SALT, token, max_age=tokens.link_max_age())
    if not payload:
        return None
    return (
        EmailConfirmation.objects.select_related("user")
        .filter(pk=payload.get("c"), email=payload.get("e"), confirmed_at__isnull=True)
        .filter(user__email=F("email"))
        .first()
    )


@transaction.atomic
def email_confirm(*, token: str) -> User | None:
    """Mark the address of the token confirmed. Single use: a second visit, a token for an address
    the account no longer has, or one older than PRIVACY_LINK_MAX_AGE returns None."""
    payload = tokens.read(tokens.CONFIRM_SALT, token, max_age=tokens.link_max_age())
    if not payload:
        return None
    confirmation = (
        EmailConfirmation.objects.select_for_update()
        .select_related("user")
        .filter(pk=payload.get("c"), email=payload.get("e"), confirmed_at__isnull=True)
        .first()
    )
    if confirmation is None or confirmation.user.email != confirmation.email:
        return None
    confirmation.confirmed_at = timezone.now()
    confirmation.save(update_fields=["confirmed_at"])
    email_confirmed.send(sender=EmailConfirmation, user=confirmation.user)
    return confirmation.user


def account_invite(*, user: User) -> None:
    """E-mail a set-your-password link to an account made by staff or through a cohort (Django's
    password-reset token: single use, expires after PASSWORD_RESET_TIMEOUT). Following it proves
    the address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse(
        "password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
    )
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Your account on the training platform")
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": user.get_short_name()},
                _("An account was created for you. Choose your password here:"),
                link,
            ]
        )
    send_mail(subject, body, None, [user.email])


# -- Consent, preferences ------------------------------------------------------------------------


@transaction.atomic
def consent_record(*, user: User, page_id: int, granted: bool) -> SensitiveConsent:
    """Record an express consent or refusal for a sensitive form (a new row each time: the history
    stays)."""
    return SensitiveConsent.objects.create(user=user, page_id=page_id, granted=granted)


@transaction.atomic
def consent_withdraw(*, user: User, page_id: int) -> int:
    """Withdraw standing consent for a form (idempotent); the person is asked again next time."""
    return SensitiveConsent.objects.filter(
        user=user, page_id=page_id, granted=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


def message_opt_out(*, user: User, kind: str) -> None:
    """Refuse one kind of non-essential e-mail (idempotent): recorded here, or by the app that
    keeps that kind's preference itself."""
    app_kind = app_message_kinds().get(kind)
    if app_kind is not None:
        app_kind.opt_out(user)
        return
    MessageOptOut.objects.get_or_create(user=user, kind=kind)


def message_opt_in(*, user: User, kind: str) -> None:
    MessageOptOut.objects.filter(user=user, kind=kind).delete()


def message_preferences_set(*, user: User, refused: set[str], kinds: set[str]) -> None:
    with transaction.atomic():
        MessageOptOut.objects.filter(user=user, kind__in=kinds - refused).delete()
        for kind in refused & kinds:
            MessageOptOut.objects.get_or_create(user=user, kind=kind)


# -- Sessions ------------------------------------------------------------------------------------


def session_record(*, user: User, session_key: str, user_agent: str = "") -> None:
    UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "user_agent": (user_agent or "")[:200]}
    )


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End the person's sessions except `keep_session_key` (their current one), in any session
    store (the session engine's own delete, so cached sessions go too)."""
    from importlib import import_module

    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        store(session_key=row.session_key).delete()
        row.delete()
        ended += 1
    return ended


# -- Audit ---------------------------------------------------------------------------------------


def audit_record(
    *,
    actor: User,
    action: str,
    what: str,
    path: str = "",
    subject_count: int | None = None,
    programme_id: int | None = None,
) -> AuditEntry:
    """Log a staff view or export of other people's personal data. Never fails the request."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        what=what[:255],
        path=path[:500],
        subject_count=subject_count,
        programme_id=programme_id,
    )
