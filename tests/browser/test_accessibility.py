"""axe-core on every public, learner and staff page type of the demo site: no serious or
critical violations. Page types are discovered from the page tree and the URL patterns, so the
pages other apps add (quizzes, surveys, workshops, certificates, dashboards) are checked too."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Error as PlaywrightError

from .conftest import run_axe

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo1234"
# Parameterless URLs that are actions, files or feeds rather than pages.
SKIP_NAMES = {
    "logout",
    "set_language",
    "password_reset_done",
    "password_reset_complete",
    "password_change_done",
}


def one_page_per_type() -> list[str]:
    """The URL of the first live page of every page model in the tree (tree order)."""
    from wagtail.models import Page

    urls, seen = [], set()
    for page in Page.objects.live().public().filter(depth__gt=1).order_by("path").specific():
        kind = type(page).__name__
        if kind in seen:
            continue
        url = page.get_url()
        if url:
            seen.add(kind)
            urls.append(url)
    return urls


def parameterless_urls(resolver=None, prefix="") -> list[tuple[str, str]]:
    """(name, path) of every named URL pattern without parameters outside the admin."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "django-admin/", "documentos/")):
                continue
            found += parameterless_urls(pattern, route)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and pattern.name not in SKIP_NAMES
            and "<" not in route
            and "(" not in route
            and not route.endswith((".ics", ".csv", ".xlsx", ".pdf"))
        ):
            found.append((pattern.name, "/" + route.replace("^", "").replace("$", "")))
    return found


def object_pages(email: str | None, per_route: int = 1, limit: int = 15) -> list[str]:
    """Pages with an object id (a cohort dashboard, an attempt, a session roster…) that this
    person can open, found by trying real ids through Django's test client."""
    from django.test import Client

    from lms.models import User
    from tests.proof.urlwalk import project_routes, urls_of

    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    found = []
    for route in project_routes():
        if (
            not route.params
            or route.route.endswith((".ics", ".csv", ".xlsx", ".pdf"))
            or "<slug:fmt>" in route.route
        ):
            continue
        opened = 0
        for url in urls_of(route, limit=limit):
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.headers.get(
                "Content-Type", ""
            ):
                found.append(url)
                opened += 1
                if opened >= per_route:
                    break
    return found


def audit(page, urls) -> dict[str, list]:
    """Violations per URL; fails when fewer pages than expected could be opened."""
    problems, audited = {}, []
    for url in dict.fromkeys(urls):
        try:
            response = page.goto(url)
        except PlaywrightError:  # an empty error body (a 405 on a POST-only URL)
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        audited.append(url)
        violations = run_axe(page)
        if violations:
            problems[url] = violations
    print(f"axe audited {len(audited)} pages: {audited}")  # noqa: T201
    assert len(audited) >= 5, audited
    return problems


def goto_settled(page, url: str, attempts: int = 6) -> None:
    """Navigate, retrying while an earlier navigation (a page that refreshes itself, a pending
    download of an export) still interrupts; each retry waits for the page to settle."""
    for _ in range(attempts - 1):
        try:
            page.goto(url)
            return
        except PlaywrightError:
            page.wait_for_timeout(500)
    page.goto(url)


def leave_for_blank(page) -> None:
    """Park the tab on about:blank before the next person logs in."""
    goto_settled(page, "about:blank")


def login(page, email):
    goto_settled(page, "/cuenta/entrar/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/**")


def test_public_pages_have_no_serious_accessibility_violations(page, live_server, demo_site):
    """Home, programme, catalogue, course, lesson (closed), login, sign-up and public pages."""
    urls = [
        "/",
        "/cuenta/entrar/",
        "/cuenta/registro/",
        "/aprendizaje/cursos/",
        *one_page_per_type(),
    ]
    urls += [path for _name, path in parameterless_urls()] + object_pages(None)
    assert audit(page, urls) == {}


def test_learner_pages_have_no_serious_accessibility_violations(page, live_server, demo_site):
    """An enrolled learner's home, profile and every page type, including activities."""
    login(page, "maria.lopez@example.org")
    urls = ["/mi-aprendizaje/", "/cuenta/perfil/", *one_page_per_type()]
    urls += [path for _name, path in parameterless_urls()] + object_pages("maria.lopez@example.org")
    assert audit(page, urls) == {}


def test_staff_pages_have_no_serious_accessibility_violations(page, live_server, demo_site):
    """Trainer and manager dashboards, rosters, results and every other page they can open."""
    for email in ("facilitador@example.org", "coordinacion@example.org"):
        leave_for_blank(page)
        page.context.clear_cookies()
        login(page, email)
        urls = [
            "/mi-aprendizaje/",
            *(path for _name, path in parameterless_urls()),
            *object_pages(email),
        ]
        assert audit(page, urls) == {}, email


def test_the_audit_reports_a_real_violation(page):
    """The harness itself works: an image without alternative text is reported as critical."""
    page.set_content(
        '<html lang="es"><head><title>t</title></head><body><main><img '
        'src="x.png"></main></body></html>'
    )
    assert "image-alt" in {v["id"] for v in run_axe(page)}
