"""Playwright against Debian's Chromium, one browser for the session, a phone-sized viewport.

Browser tests use `live_server`, whose transactional flush removes the pages Wagtail's
migrations created; every fixture here builds the page tree it needs.
"""

import functools
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "clave-segura-2026"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        from tests.conftest import IN_CI

        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing (run `make system-deps`)")
        pytest.skip(f"{CHROMIUM} is missing (run `make system-deps`)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "base_url": live_server.url,
        "locale": "es-MX",
        "timezone_id": "America/Mexico_City",
    }


@pytest.fixture(autouse=True)
def _page_watch(request):
    """Short timeouts, and a page that breaks its own Content-Security-Policy fails the test."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    page.set_default_timeout(10_000)
    blocked = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    yield
    assert blocked == [], "CSP blocked part of a page: %s" % blocked


@pytest.fixture
def nojs_page(browser, live_server):
    """A phone-sized page with JavaScript switched off."""
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=live_server.url, locale="es-MX"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def site(transactional_db):
    """The Wagtail root, the default locale and a home page (recreated after every flush)."""
    from courses.factories import site_home
    from lms.services import roles_ensure
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    roles_ensure()
    return site_home()


@pytest.fixture
def open_course(site):
    """An open course with 2 modules of 2 lessons."""
    from courses.factories import course_tree

    return course_tree(modules=2, lessons=2, mode="open", title="Curso abierto de prueba")


@pytest.fixture
def demo_site(transactional_db):
    """The full demo (every app's seeder), as `make demo` builds it."""
    from django.core.management import call_command

    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    call_command("seed_demo", quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


def make_user(*, roles=("learner",), **fields):
    from lms.factories import UserFactory

    user = UserFactory(roles=roles, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, user, *, password=PASSWORD):
    page.goto("/cuenta/entrar/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/**")


@functools.cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8") + "\n;window.axe = axe; true;"


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    if not AXE_PATH.exists():
        message = f"{AXE_PATH} is missing (run `npm install`)"
        from tests.conftest import IN_CI

        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays in force.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def confirm_email_from_outbox(page, address: str) -> None:
    """Follow the confirmation link the sign-up e-mailed to `address` (Django's locmem outbox)."""
    import re

    from django.core import mail

    message = next(m for m in reversed(mail.outbox) if address in m.to)
    link = re.search(r"https?://\S*/privacidad/confirmar/\S*", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.locator("main form button[type=submit]").click()
