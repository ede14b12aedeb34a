"""Privacy middleware: a material change of the privacy notice is accepted before going on, and
staff views of other people's personal data are written to the audit log."""

import logging

from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .registry import audited_views

logger = logging.getLogger(__name__)

REQUIRED_VERSION_KEY = "privacy:notice-required-version"
SESSION_ACCEPTED = "privacy_notice_version"
EXEMPT_PREFIXES = (
    "/static/",
    "/media/",
    "/healthz",
    "/privacidad/",
    "/cuenta/salir/",
    "/idioma/",
    "/admin/jsi18n/",
)


def required_version() -> int:
    """The newest material notice version (0 when none); cached, cleared when a notice is saved."""
    version = cache.get(REQUIRED_VERSION_KEY)
    if version is None:
        from .selectors import notice_required_version

        version = notice_required_version() or 0
        cache.set(REQUIRED_VERSION_KEY, version, timeout=600)
    return version


class NoticeAcceptanceMiddleware:
    """A logged-in person who has not accepted the newest material version of the notice is sent
    to read and accept it, then back where they were going. One cache read per request; the
    accepted version is kept in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read from the session alone: the page caches after this serve a logged-in learner
        # without loading the user, and so does this check unless a new version must be accepted.
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            required = required_version()
            if (
                required
                and session.get(SESSION_ACCEPTED, 0) < required
                and request.user.is_authenticated
            ):
                from .selectors import notice_accepted_version

                accepted = notice_accepted_version(request.user) or 0
                session[SESSION_ACCEPTED] = accepted
                if accepted < required:
                    return redirect(
                        reverse("privacy:accept_notice")
                        + "?"
                        + urlencode({"next": request.get_full_path()})
                    )
        return self.get_response(request)


class AuditMiddleware:
    """Every successful staff request to a view registered under ``privacy_audited_views`` is
    logged (who, when, what, how many people when the view says so, programme)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or response.status_code != 200:
            return response
        audited = audited_views().get(match.view_name)
        user = getattr(request, "user", None)
        if audited is not None and user is not None and user.is_authenticated:
            from .services import audit_record

            try:
                programme_id = audited.programme_of(match.kwargs) if audited.programme_of else None
                count = getattr(request, "privacy_subject_count", None)
                if count is None and audited.count_of is not None:
                    count = audited.count_of(match.kwargs)
                audit_record(
                    actor=user,
                    action="export" if audited.export else "view",
                    what=audited.what.format(**match.kwargs),
                    path=request.get_full_path(),
                    subject_count=count,
                    programme_id=programme_id,
                )
            except Exception:
                logger.exception("audit entry for %s could not be written", match.view_name)
        return response
