from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class UserLanguageMiddleware:
    """Use a logged-in user's preferred language unless they chose one in this session.

    Runs before LocaleMiddleware, which reads the language cookie the switcher sets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not cookie:
            # Stored in the session at login (lms.handlers), so no user query is needed here.
            lang = (
                request.session.get("preferred_language") if hasattr(request, "session") else None
            )
            if lang and translation.check_for_language(lang):
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = lang
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except for addresses without a language prefix: Django gives them the default
    language as soon as `i18n_patterns` is used; here they keep the language the visitor chose
    (cookie, profile, `Accept-Language`). Only pages of another content language carry a prefix
    (`/en/...`, lms.urls), and there the prefix sets the interface language too."""

    def process_request(self, request):
        language = translation.get_language_from_path(
            request.path_info
        ) or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy for the public site (the Wagtail admin needs its own)."""

    PUBLIC_CSP = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://www.youtube.com; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response
        # Hosted video and audio may be redirected to the bucket's signed URLs (hosted_media).
        media = " ".join(["'self'", *settings.MEDIA_SOURCE_ORIGINS])
        self.public_csp = f"{self.PUBLIC_CSP}; media-src {media}"

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/admin/", "/django-admin/")):
            response.headers.setdefault("Content-Security-Policy", self.public_csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class UnstorableInputMiddleware:
    """Input that the database cannot store (a NUL byte) gets a 400 page in the user's language.

    Checked once here for the path, every GET filter and every form field (names and values), so
    no view, form or filter can reach the database with it and fail with a 500 there.
    """

    FORBIDDEN = ("\x00",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.unstorable(request):
            from django.shortcuts import render

            return render(request, "lms/bad_input.html", status=400)
        return self.get_response(request)

    @classmethod
    def has_forbidden(cls, text: str) -> bool:
        return any(ch in text for ch in cls.FORBIDDEN)

    @classmethod
    def unstorable(cls, request) -> bool:
        if cls.has_forbidden(request.path) or cls.has_forbidden(
            request.META.get("QUERY_STRING", "")
        ):
            return True
        sources = [request.GET]
        if request.method == "POST":
            from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
            from django.http import UnreadablePostError
            from django.http.multipartparser import MultiPartParserError

            try:
                sources.append(request.POST)
            except (
                RequestDataTooBig,
                TooManyFieldsSent,
                UnreadablePostError,
                MultiPartParserError,
            ):
                return False  # Django's own handling answers a malformed body
        for data in sources:
            for key, values in data.lists():
                if cls.has_forbidden(key) or any(
                    isinstance(v, str) and cls.has_forbidden(v) for v in values
                ):
                    return True
        return False
