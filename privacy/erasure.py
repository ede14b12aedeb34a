"""ARCO "cancellation" and retention: a confirmed deletion request is carried out after the grace
period; inactive accounts, login records, e-mail logs, export files and old audit entries go when
the retention settings say so.

Erasing a person keeps their user row as an anonymous placeholder (no name, no e-mail, no
password, inactive) so enrolments, progress, scores, attendance and cohort counts that reports and
aggregates add up stay correct; each app's `privacy_erase_user` hook removes or blanks what would
identify the person (the certificate keeps its code and course but not the name).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.models import User, new_feed_token

from . import tokens
from .models import (
    AuditEntry,
    DataExport,
    DeletionRequest,
    EmailConfirmation,
    EmailLog,
    MessageOptOut,
    NoticeAcceptance,
    RetentionRun,
    SensitiveConsent,
)
from .registry import erasers
from .services import sessions_end

logger = logging.getLogger(__name__)

DEFAULT_RETENTION = {
    "inactive_accounts_days": 3 * 365,
    "login_records_days": 90,
    "email_log_days": 365,
    "exports_days": 7,
    "audit_log_days": 5 * 365,
}


def retention(name: str) -> int:
    return int({**DEFAULT_RETENTION, **getattr(settings, "PRIVACY_RETENTION", {})}[name])


def grace_days() -> int:
    return int(getattr(settings, "PRIVACY_DELETION_GRACE_DAYS", 30))


@transaction.atomic
def deletion_request_start(*, user: User) -> DeletionRequest:
    """The person asks for their data to be deleted; a confirmation link is e-mailed after
    commit."""
    request, _created = DeletionRequest.objects.get_or_create(user=user)
    token = tokens.make(tokens.DELETE_SALT, r=request.pk, u=user.pk)
    link = settings.SITE_URL + reverse("privacy:confirm_deletion", args=[token])
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Confirm that you want your data deleted")
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": user.get_short_name()},
                _(
                    "You asked us to delete your account and personal data. Confirm it here "
                    "(valid for 3 days):"
                ),
                link,
                _("After you confirm, you have %(days)s days to change your mind from “My data”.")
                % {"days": grace_days()},
            ]
        )
    address = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
    return request


@transaction.atomic
def deletion_confirm(*, token: str) -> DeletionRequest | None:
    """Confirm a deletion request from its e-mailed link: it is carried out after the grace
    period."""
    payload = tokens.read(tokens.DELETE_SALT, token, max_age=tokens.link_max_age())
    if not payload:
        return None
    request = (
        DeletionRequest.objects.select_for_update()
        .filter(pk=payload.get("r"), user_id=payload.get("u"))
        .first()
    )
    if request is None:
        return None
    if request.confirmed_at is None:
        request.confirmed_at = timezone.now()
        request.due_at = request.confirmed_at + timedelta(days=grace_days())
        request.save(update_fields=["confirmed_at", "due_at"])
    return request


@transaction.atomic
def deletion_cancel(*, user: User) -> bool:
    deleted, _ = DeletionRequest.objects.filter(user=user).delete()
    return bool(deleted)


def _axes_forget(email: str) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return sum(
        model.objects.filter(username=email).delete()[0]
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    )


@transaction.atomic
def user_erase(*, user_id: int) -> dict[str, int]:
    """Delete or anonymise everything that identifies the person (idempotent: an erased person
    is erased again at no harm). Returns counts by kind of record."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return {}
    counts: dict[str, int] = {}
    for erase in erasers():
        for kind, n in (erase(user) or {}).items():
            counts[kind] = counts.get(kind, 0) + n
    old_email = user.email
    counts["login_records"] = _axes_forget(old_email)
    for export in DataExport.objects.filter(user=user):
        if export.file:
            export.file.delete(save=False)
    for kind, model in (
        ("exports", DataExport),
        ("emails", EmailLog),
        ("notice_acceptances", NoticeAcceptance),
        ("consents", SensitiveConsent),
        ("opt_outs", MessageOptOut),
        ("email_confirmations", EmailConfirmation),
    ):
        counts[kind] = model.objects.filter(user=user).delete()[0]
    counts["sessions"] = sessions_end(user=user)
    AuditEntry.objects.filter(actor=user).update(path="")
    user.managed_programmes.all().delete()
    user.trained_cohorts.clear()
    user.groups.clear()
    user.email = f"anonimo-{user.pk}@borrado.invalid"
    user.full_name = ""
    user.position = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.calendar_token = new_feed_token()
    user.set_unusable_password()
    user.save()
    DeletionRequest.objects.filter(user=user).delete()
    counts["accounts"] = 1
    logger.info("erased user %s: %s", user.pk, counts)
    return counts


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Carry out due deletion requests and the retention settings; records and returns the
    counts."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    removed: dict[str, int] = {"deletion_requests": 0, "inactive_accounts": 0}
    for user_id in DeletionRequest.objects.filter(due_at__lte=now).values_list(
        "user_id", flat=True
    ):
        user_erase(user_id=user_id)
        removed["deletion_requests"] += 1
    inactive_before = now - timedelta(days=retention("inactive_accounts_days"))
    inactive = User.objects.filter(
        is_staff=False, is_superuser=False, is_active=True, last_login__lt=inactive_before
    )
    for user_id in inactive.values_list("pk", flat=True):
        user_erase(user_id=user_id)
        removed["inactive_accounts"] += 1
    login_before = now - timedelta(days=retention("login_records_days"))
    removed["login_records"] = (
        AccessAttempt.objects.filter(attempt_time__lt=login_before).delete()[0]
        + AccessLog.objects.filter(attempt_time__lt=login_before).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=login_before).delete()[0]
    )
    removed["email_log"] = EmailLog.objects.filter(
        sent_at__lt=now - timedelta(days=retention("email_log_days"))
    ).delete()[0]
    old_exports = DataExport.objects.filter(
        created_at__lt=now - timedelta(days=retention("exports_days"))
    )
    for export in old_exports:
        if export.file:
            export.file.delete(save=False)
    removed["exports"] = old_exports.delete()[0]
    removed["audit_log"] = AuditEntry.objects.filter(
        at__lt=now - timedelta(days=retention("audit_log_days"))
    ).delete()[0]
    RetentionRun.objects.create(removed=removed)
    return removed
