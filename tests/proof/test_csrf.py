"""CSRF protection on every form: no view is exempt, every POST form carries the token, and a
POST without it is refused (403) and changes nothing."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver
from wagtail.models import Page

from .urlwalk import project_routes, urls_of

pytestmark = pytest.mark.django_db


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._current)
        elif (
            tag in ("input", "select", "textarea", "button")
            and self._current is not None
            and attrs.get("name")
        ):
            self._current["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def all_callbacks(resolver=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from all_callbacks(pattern)
        else:
            yield pattern


# RFC 8058: a mail client's one-click unsubscribe POSTs without cookies, so without a CSRF token;
# the signed token in the address is the authority, and its only effect is refusing one kind of
# e-mail.
CSRF_EXEMPT_BY_DESIGN = {"baja/<str:token>/un-clic/"}


def test_no_view_outside_the_admin_is_csrf_exempt():
    """Only Wagtail's own admin and API endpoints may opt out (and the RFC 8058 one-click
    unsubscribe). wagtail-localize's admin API views are Django REST framework views: DRF marks
    them exempt and checks the CSRF token itself for session-authenticated requests."""
    exempt = [
        str(p.pattern)
        for p in all_callbacks()
        if getattr(p.callback, "csrf_exempt", False)
        and not p.callback.__module__.startswith(("wagtail.", "wagtail_localize.views."))
    ]
    assert set(exempt) <= CSRF_EXEMPT_BY_DESIGN


def pages_to_crawl() -> list[str]:
    urls = [
        "/",
        "/mi-aprendizaje/",
        "/cuenta/perfil/",
        "/cuenta/entrar/",
        "/cuenta/registro/",
        "/cuenta/contrasena/",
    ]
    seen = set()
    for page in Page.objects.live().filter(depth__gt=1).order_by("path").specific():
        if type(page) not in seen or len(seen) < 40:
            seen.add(type(page))
            urls.append(page.url)
    for route in project_routes():
        urls += urls_of(route, limit=4)
    return [
        u for u in dict.fromkeys(urls) if u and not u.endswith((".ics", ".csv", ".xlsx", ".pdf"))
    ]


def collect_post_forms(client) -> dict[str, list[dict]]:
    """POST forms per page, as the client's user sees them."""
    found = {}
    for url in pages_to_crawl():
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.headers.get(
            "Content-Type", ""
        ):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        posts = [f for f in parser.forms if f["method"] == "post"]
        for form in posts:
            form["action"] = form["action"] or url
        if posts:
            found[url] = posts
    return found


def test_every_post_form_carries_the_token_and_is_refused_without_it(demo):
    """As a learner, a trainer, a manager and anonymously: every form a page shows."""
    from lms.models import User

    missing, accepted, checked = [], [], set()
    for email in (
        "maria.lopez@example.org",
        "facilitador@example.org",
        "coordinacion@example.org",
        None,
    ):
        client = Client(enforce_csrf_checks=True)
        if email:
            client.force_login(User.objects.get(email=email))
        for url, posts in collect_post_forms(client).items():
            for form in posts:
                if "csrfmiddlewaretoken" not in form["fields"]:
                    missing.append((email, url, form["action"]))
                data = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
                response = client.post(form["action"], data)
                checked.add(form["action"])
                if response.status_code != 403:
                    accepted.append((email, url, form["action"], response.status_code))
    assert len(checked) >= 5, checked
    assert missing == []
    assert accepted == []
