import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.middleware.cache import CacheMiddleware
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.decorators import decorator_from_middleware_with_args
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from .caching import VERSION_KEY
from .forms import ProfileForm
from .home import home_panels
from .selectors import live_translation


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        request.session["preferred_language"] = user.preferred_language
        messages.success(request, _("Your profile was saved."))
        # A new name: apps that printed the old one (certificates) may ask what to do with it.
        follow_up = "full_name" in form.changed_data and next(
            (url for fn in hooks.get_hooks("lms_name_changed") if (url := fn(request, user))), None
        )
        response = redirect(follow_up or "profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
        return response
    return render(request, "lms/profile.html", {"form": form})


@login_required
def learner_home(request):
    panels = [panel.render(request) for panel in home_panels(request)]
    return render(request, "lms/learner_home.html", {"panels": panels})


@require_http_methods(["GET", "POST"])
def set_language(request):
    """Switch the interface language; remembered in a cookie (and, by POST, on the profile).

    GET (the visitors' language links) only sets the cookie: a cross-site link can at worst
    change the language of the interface, never the profile. POST (the form logged-in users
    get, CSRF-protected) also saves the preferred language on the profile.
    """
    data = request.POST if request.method == "POST" else request.GET
    lang = data.get("language", "")
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if lang in dict(settings.LANGUAGES):
        next_url = _page_in_language(request, next_url, lang)
    response = HttpResponseRedirect(next_url)
    if lang in dict(settings.LANGUAGES):
        translation.activate(lang)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax"
        )
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and request.user.preferred_language != lang
        ):
            request.user.preferred_language = lang
            request.user.save(update_fields=["preferred_language"])
            request.session["preferred_language"] = lang
    return response


def _page_in_language(request, url: str, language: str) -> str:
    """The address of the same page in `language` when `url` is a page with a live translation
    into it (a course read in Spanish opens in English), else `url` unchanged."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return url
    site = Site.find_for_request(request)
    if match.url_name not in ("page_serve", "page_serve_translated") or site is None:
        return url
    target = live_translation(
        site,
        match.kwargs["path"],
        from_language=match.kwargs.get("language") or settings.LANGUAGE_CODE,
        to_language=language,
    )
    return (target.get_url(request) or url) if target else url


def healthz(request):
    """Liveness probe, and the trivial view the benchmarks measure every page against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def media_image(request, name: str):
    """An image or rendition, streamed from the storage that holds it (local folder or bucket).

    Images are the only public media; the URL pattern admits nothing else."""
    if not default_storage.exists(name):
        raise Http404
    handle = default_storage.open(name, "rb")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type)


def page_serve(request, path: str, language: str = ""):
    """Wagtail's page view behind Django's cache middleware, which keeps only the responses that
    say `Cache-Control: public` with a max-age (anonymous renders of public lessons,
    courses.models); every other response is marked not to be kept. docs/caching.md.

    The address says which locale's tree of pages is meant: a plain address the default
    language's, `/en/...` the English one, whatever the interface language (Wagtail would route
    by the active language). The kept pages are keyed by the shared content version, read from
    the cache itself rather than this process's memo: a publish in any process makes them a miss
    at once everywhere (the HTTP cache in front is purged at the same moment), and by the
    interface language (Django's cache key, `Vary: Accept-Language, Cookie`). With the cache
    down, pages are built. A request with a session is never served a kept page (nor keeps
    one): it skips the lookup."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return _serve_page(request, path, language)
    version = cache.get(VERSION_KEY)
    if version is None:
        return _serve_page(request, path, language)
    cached = decorator_from_middleware_with_args(CacheMiddleware)(
        cache_timeout=0, key_prefix=f"pages:{version}"
    )
    return cached(_serve_page)(request, path, language)


def _serve_page(request, path: str, language: str):
    with translation.override(language or settings.LANGUAGE_CODE):
        # Wagtail keeps the route on the request; its serve view reads it from there.
        Page.route_for_request(request, path)
    return wagtail_views.serve(request, path)
