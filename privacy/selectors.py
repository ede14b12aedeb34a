"""Reads of the privacy app that scope data to a person."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lms.models import AnyUser, User

from .models import (
    AuditEntry,
    DataExport,
    DeletionRequest,
    EmailConfirmation,
    MessageOptOut,
    NoticeAcceptance,
    PrivacyNotice,
    SensitiveConsent,
    SensitiveForm,
    UserSession,
)


def notice_current(language: str | None = None) -> PrivacyNotice | None:
    """The newest published notice in the language, else in the default language."""
    published = PrivacyNotice.objects.filter(
        published_at__isnull=False, published_at__lte=timezone.now()
    )
    for lang in (language, settings.LANGUAGE_CODE):
        notice = published.filter(language=lang).order_by("-version").first() if lang else None
        if notice is not None:
            return notice
    return published.order_by("-version").first()


def notice_required_version() -> int | None:
    """The newest published version marked as a material change (everyone must have accepted it)."""
    return (
        PrivacyNotice.objects.filter(
            material_change=True, published_at__isnull=False, published_at__lte=timezone.now()
        )
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


def notice_accepted_version(user: User) -> int | None:
    return (
        NoticeAcceptance.objects.filter(user=user)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


def email_confirmed(user: User) -> bool:
    """An address that signed up itself is confirmed once its link was followed; no row: nothing to
    confirm."""
    return not EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).exists()


SENSITIVE_PAGES_KEY = "privacy:sensitive-page-ids"


def sensitive_page_ids() -> frozenset[int]:
    """Ids of the pages marked as asking for sensitive data; cached, cleared when the list
    changes."""
    from django.core.cache import cache

    ids = cache.get(SENSITIVE_PAGES_KEY)
    if ids is None:
        ids = frozenset(SensitiveForm.objects.values_list("page_id", flat=True))
        cache.set(SENSITIVE_PAGES_KEY, ids, timeout=600)
    return ids


def consent_needed(user: User, page_id: int) -> SensitiveForm | None:
    """The sensitive-form record when the person has no standing consent for this page."""
    form = SensitiveForm.objects.filter(page_id=page_id).first()
    if form is None:
        return None
    latest = SensitiveConsent.objects.filter(user=user, page_id=page_id).first()
    if latest is not None and latest.granted and latest.withdrawn_at is None:
        return None
    return form


def consents_of(user: User) -> QuerySet[SensitiveConsent]:
    return SensitiveConsent.objects.filter(user=user).select_related("page")


def wants_message(user: User, kind: str) -> bool:
    return not MessageOptOut.objects.filter(user=user, kind=kind).exists()


def opted_out_kinds(user: User) -> set[str]:
    return set(MessageOptOut.objects.filter(user=user).values_list("kind", flat=True))


def exports_of(user: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user)


def deletion_request_of(user: User) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(user=user).first()


def sessions_of(user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user)


def audit_entries_visible_to(user: AnyUser) -> QuerySet[AuditEntry]:
    """Superusers see the whole log; a programme manager the entries of their programmes; nobody
    else any."""
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "programme")
    if user.is_superuser:
        return entries
    programme_ids = list(user.managed_programmes.values_list("programme_id", flat=True))
    if not programme_ids:
        return AuditEntry.objects.none()
    return entries.filter(programme_id__in=programme_ids)
