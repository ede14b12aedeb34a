"""Receivers of the privacy app: sessions are recorded at login and forgotten at logout; an
account created without a password (by staff, or through a cohort) gets a set-your-password link."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models.signals import post_save


def remember_session(sender, request, user, **kwargs):
    from .middleware import SESSION_ACCEPTED
    from .selectors import notice_accepted_version
    from .services import session_record

    session = getattr(request, "session", None)
    if session is None:
        return
    # Known from the login on, so the notice check never has to write the session on a GET.
    session[SESSION_ACCEPTED] = notice_accepted_version(user) or 0
    if session.session_key is None:
        session.save()
    session_record(
        user=user, session_key=session.session_key, user_agent=request.headers.get("User-Agent", "")
    )


def forget_session(sender, request, user, **kwargs):
    from .services import session_forget

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        session_forget(session_key=key)


def invite_account_without_password(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.is_active and not instance.has_usable_password():
        from .services import account_invite

        user_id = instance.pk
        transaction.on_commit(lambda: account_invite(user=get_user_model().objects.get(pk=user_id)))


def forget_required_notice(sender, **kwargs):
    from django.core.cache import cache

    from .middleware import REQUIRED_VERSION_KEY

    cache.delete(REQUIRED_VERSION_KEY)


def forget_sensitive_pages(sender, **kwargs):
    from django.core.cache import cache

    from .selectors import SENSITIVE_PAGES_KEY

    cache.delete(SENSITIVE_PAGES_KEY)


def connect():
    from django.db.models.signals import post_delete

    from .models import PrivacyNotice, SensitiveForm

    post_save.connect(
        forget_sensitive_pages, sender=SensitiveForm, dispatch_uid="privacy_sensitive_saved"
    )
    post_delete.connect(
        forget_sensitive_pages, sender=SensitiveForm, dispatch_uid="privacy_sensitive_deleted"
    )

    post_save.connect(
        forget_required_notice, sender=PrivacyNotice, dispatch_uid="privacy_notice_saved"
    )
    post_delete.connect(
        forget_required_notice, sender=PrivacyNotice, dispatch_uid="privacy_notice_deleted"
    )
    user_logged_in.connect(remember_session, dispatch_uid="privacy_remember_session")
    user_logged_out.connect(forget_session, dispatch_uid="privacy_forget_session")
    post_save.connect(
        invite_account_without_password, sender=get_user_model(), dispatch_uid="privacy_invite"
    )
