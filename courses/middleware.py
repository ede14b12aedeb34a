"""Serve course pages with as little work as possible.

Two caches, both keyed by the content version (`courses.caching`), so publishing anything
invalidates them everywhere:

- a *route* cache: the site, the page and its view restrictions for a path and language, so
  a lesson does not cost Wagtail's per-level routing queries (about ten) on every request;
- an *anonymous page* cache: the whole rendered response of a page that said it may be
  cached (`request.courses_cacheable`, set by `LessonPage.serve` for public lessons of open
  courses), for visitors without a session. A response is stored only when it set no cookie,
  used no CSRF token and showed no message; logged-in users never get a stored page.

Sits after MessageMiddleware (it inspects the messages) and before the middleware that adds
security headers, so stored responses carry them.
"""

import hashlib
import re

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from wagtail.url_routing import RouteResult

from .caching import (
    VERSION_KEY,
    cache_seconds,
    content_version,
    learner_key,
    learner_version,
    request_scope,
)

ROUTE_SECONDS = 60 * 60
PAGE_SECONDS = 10 * 60
LEARNER_PAGE_SECONDS = 30 * 60
CSRF_PLACEHOLDER = b"\x00lms-csrf-token\x00"
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
MAX_PAGE_BYTES = 256 * 1024
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/documentos/", "/django-admin/")


def _route_key(request, version: str) -> str:
    return f"courses:route:v1:{version}:{translation.get_language()}:{request.get_host()}:{request.path_info}"


def _page_key(request, version: str) -> str:
    return f"courses:page:v1:{version}:{translation.get_language()}:{request.get_host()}:{request.path_info}"


def _learner_page_key(request, version: str, learner: tuple[str, str], learner_ver: str) -> str:
    user_id, auth_hash = learner
    who = hashlib.sha256(auth_hash.encode()).hexdigest()[:16]
    return (
        f"courses:learner-page:v1:{version}:{user_id}:{learner_ver}:{who}:{translation.get_language()}:"
        f"{request.get_host()}:{request.path_info}"
    )


def _learner(request) -> tuple[str, str] | None:
    """(user id, session auth hash) of a logged-in session whose page may come from the learner
    page cache, read from the session alone (no query)."""
    if not getattr(settings, "CACHE_SHARED", False):
        return None
    if request.COOKIES.get("messages") or request.META.get("QUERY_STRING"):
        return None
    session = getattr(request, "session", None)
    if session is None:
        return None
    user_id = session.get(SESSION_KEY)
    if not user_id or "_messages" in session:
        return None
    return str(user_id), session.get(HASH_SESSION_KEY) or ""


def _stored_headers(response) -> dict:
    return {k: v for k, v in response.items() if k.lower() != "set-cookie"}


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return not cookies.get(settings.SESSION_COOKIE_NAME) and not cookies.get("messages")


def _route_cacheable(route) -> bool:
    from .models import ActivityPage, CoursePage, HomePage, ModulePage, ProgrammePage

    return (
        isinstance(route, RouteResult | tuple)
        and not route[1]
        and not route[2]
        and isinstance(route[0], ActivityPage | CoursePage | ModulePage | ProgrammePage | HomePage)
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():  # the content version is read once per request
            if request.method not in ("GET", "HEAD") or request.path_info.startswith(SKIP_PREFIXES):
                return self.get_response(request)
            return self._serve(request)

    def _serve(self, request):
        anonymous = _anonymous(request)
        learner = None if anonymous else _learner(request)
        keys = [VERSION_KEY, learner_key(learner[0])] if learner else [VERSION_KEY]
        versions = cache.get_many(keys)
        version = content_version(versions.get(VERSION_KEY))
        route_key = _route_key(request, version)
        page_key = None
        if learner:
            learner_ver = learner_version(learner[0], versions.get(keys[1]))
            page_key = _learner_page_key(request, version, learner, learner_ver)
        elif anonymous and not request.META.get("QUERY_STRING"):
            page_key = _page_key(request, version)
        found = cache.get_many([k for k in (route_key, page_key) if k])
        if page_key and (stored := found.get(page_key)):
            content, headers = stored
            if learner:
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            return HttpResponse(content, headers=headers)
        if stored_route := found.get(route_key):
            site, page, restrictions = stored_route
            page._served_view_restrictions = restrictions
            request._wagtail_site = site
            request._wagtail_route_for_request = RouteResult(page)
            request.courses_route_hit = True
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            return response
        if not getattr(request, "courses_route_hit", False):
            self._store_route(request, route_key)
        if page_key and learner and self._learner_page_cacheable(request, response, learner):
            content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            cache.set(page_key, (content, _stored_headers(response)), LEARNER_PAGE_SECONDS)
        elif page_key and self._page_cacheable(request, response):
            cache.set(page_key, (response.content, _stored_headers(response)), cache_seconds(PAGE_SECONDS))
        return response

    def _store_route(self, request, key: str) -> None:
        route = getattr(request, "_wagtail_route_for_request", None)
        if route is None or not _route_cacheable(route):
            return
        page = route[0]
        fresh = type(page).objects.filter(pk=page.pk).first()
        if fresh is None or not fresh.live:
            return
        restrictions = list(fresh.get_view_restrictions())
        cache.set(key, (request._wagtail_site, fresh, restrictions), cache_seconds(ROUTE_SECONDS))

    @staticmethod
    def _learner_page_cacheable(request, response, learner) -> bool:
        if not getattr(request, "courses_learner_cacheable", False) or getattr(request, "is_preview", False):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or str(user.pk) != learner[0] or user.is_staff:
            return False
        if response.cookies or request.method != "GET":
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and (messages.used or messages._queued_messages):
            return False
        return len(response.content) <= MAX_PAGE_BYTES

    @staticmethod
    def _page_cacheable(request, response) -> bool:
        if not getattr(request, "courses_cacheable", False) or getattr(request, "is_preview", False):
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
            return False
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and (messages.used or messages._queued_messages):
            return False
        return len(response.content) <= MAX_PAGE_BYTES
