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

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from wagtail.url_routing import RouteResult

from .caching import cache_seconds, content_version

ROUTE_SECONDS = 60 * 60
PAGE_SECONDS = 10 * 60
MAX_PAGE_BYTES = 256 * 1024
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/documentos/", "/django-admin/")


def _route_key(request, version: str) -> str:
    return f"courses:route:v1:{version}:{translation.get_language()}:{request.get_host()}:{request.path_info}"


def _page_key(request, version: str) -> str:
    return f"courses:page:v1:{version}:{translation.get_language()}:{request.get_host()}:{request.path_info}"


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


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
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(SKIP_PREFIXES):
            return self.get_response(request)
        return self._serve(request)

    def _serve(self, request):
        version = content_version()
        route_key = _route_key(request, version)
        page_key = _page_key(request, version) if _anonymous(request) and not request.META.get("QUERY_STRING") else None
        found = cache.get_many([k for k in (route_key, page_key) if k])
        if page_key and (stored := found.get(page_key)):
            content, headers = stored
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
        if page_key and self._page_cacheable(request, response):
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            cache.set(page_key, (response.content, headers), cache_seconds(PAGE_SECONDS))
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
