"""Every page type each role reaches (issue 17), walked in one browser context per role: no page
scrolls sideways at 360 px, and axe-core finds no serious or critical violation at phone
(390 x 844) and laptop (1280 x 800) size, in Spanish and in English.

The pages are a list per role (`role_pages`: add a page there) plus what the URL patterns and the
page tree reveal (one page of every page model, every parameterless route, pages with an id the
person can open). Wording is not asserted: only what opens, what fits and what axe reports."""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from .conftest import run_axe
from .test_accessibility import (
    goto_settled,
    leave_for_blank,
    login,
    object_pages,
    parameterless_urls,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NARROW = {"width": 360, "height": 740}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
LANGUAGES = ("es", "en")
ROLES = {
    "anonymous": None,
    "learner": "maria.lopez@example.org",
    "trainer": "facilitador@example.org",
    "manager": "coordinacion@example.org",
}


def first_url(queryset) -> str | None:
    page = queryset.live().order_by("path").first()
    return page.url if page else None


def role_pages(role: str, email: str | None) -> dict[str, str]:
    """The pages this role must be able to open (label: URL), from the demo's objects."""
    from assessments.models import Attempt, QuizPage, SurveyPage
    from certificates.models import Certificate
    from community.models import LibraryIndexPage, PracticePage, Space, Thread
    from courses.models import CoursePage, LessonPage, ModulePage
    from lms.models import User
    from workshops.models import WorkshopPage
    from workshops.selectors import sessions_managed_by

    certificate = Certificate.objects.filter(state="ready").order_by("pk").first()
    pages = {
        "home": "/",
        "catalogue": reverse("courses:catalogue"),
        "course outline": first_url(CoursePage.objects),
        "library": first_url(LibraryIndexPage.objects),
        "library item": first_url(PracticePage.objects),
        "certificate verification form": reverse("certificates:verify_form"),
        "certificate verification": certificate
        and reverse("certificates:verify", args=[certificate.code]),
        "privacy notice": reverse("privacy:notice"),
    }
    if role == "anonymous":
        pages |= {"log in": reverse("login"), "sign up": reverse("signup")}
        return pages
    user = User.objects.get(email=email)
    pages |= {
        "learner home": reverse("learner_home"),
        "profile": reverse("profile"),
        "my data": reverse("privacy:my_data"),
        "message preferences": reverse("privacy:preferences"),
        "community": reverse("community:index"),
        "directory": reverse("community:directory"),
    }
    space = Space.objects.order_by("pk").first()
    thread = Thread.objects.order_by("pk").first()
    if space:
        pages["community space"] = reverse("community:space", args=[space.pk])
    if thread:
        pages["community thread"] = reverse("community:thread", args=[thread.pk])
    if role == "learner":
        attempt = Attempt.objects.filter(user=user).exclude(state="in_progress").first()
        pages |= {
            "module": first_url(ModulePage.objects),
            "lesson": first_url(LessonPage.objects),
            "quiz": first_url(QuizPage.objects),
            "survey": first_url(SurveyPage.objects),
            "workshop": first_url(WorkshopPage.objects),
            "my certificates": reverse("certificates:mine"),
            "workshop calendar": reverse("workshops:calendar"),
        }
        if attempt:
            pages["quiz review"] = reverse("assessments:attempt_review", args=[attempt.pk])
    else:
        session = sessions_managed_by(user).order_by("pk").first()
        pages |= {
            "reports": reverse("reports:index"),
            "essay queue": reverse("assessments:grading_queue"),
            "sessions": reverse("workshops:staff_sessions"),
            "attendance": session and reverse("workshops:attendance", args=[session.pk]),
        }
        if role == "manager":
            pages["certificate management"] = reverse("certificates:manage")
    return pages


def set_language(page, code: str) -> None:
    goto_settled(page, f"/idioma/?language={code}&next=/")
    assert page.locator("html").get_attribute("lang") == code


def check_page(page, url: str) -> dict:
    """Overflow at 360 px, then axe at phone and laptop size, on the page already loaded."""
    found = {}
    page.set_viewport_size(NARROW)
    extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if extra > 0:
        found["360px"] = f"scrolls {extra}px sideways"
    for name, size in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(size)
        if violations := run_axe(page):
            found[f"axe {name}"] = violations
    return found


def open_html(page, url: str) -> bool:
    for attempt in range(2):
        try:
            response = page.goto(url)
            break
        except PlaywrightError:  # a POST-only URL (405, empty body), or a page navigating itself
            if attempt:
                return False
            page.wait_for_timeout(500)
    return (
        response is not None
        and response.status == 200
        and "text/html" in response.headers.get("content-type", "")
    )


def walk_role(browser, live_server, role: str) -> tuple[dict, list, int]:
    """One browser context for this role: every page in both languages, each checked at 360 px
    for overflow and with axe at phone and laptop size (the page is loaded once per language)."""
    email = ROLES[role]
    required = [url for url in role_pages(role, email).values() if url]
    discovered = [path for _name, path in parameterless_urls()] + object_pages(email, limit=6)
    context = browser.new_context(viewport=NARROW, base_url=live_server.url, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems, unopened, walked = {}, [], 0
    try:
        if email:
            login(page, email)
        for language in LANGUAGES:
            set_language(page, language)
            for url in dict.fromkeys([*required, *discovered]):
                if not open_html(page, url):
                    if url in required:
                        unopened.append(f"{role} {language} {url}")
                    continue
                walked += 1
                if found := check_page(page, url):
                    problems[f"{role} {language} {url}"] = found
        leave_for_blank(page)
    finally:
        context.close()
    return problems, unopened, walked


def test_every_page_type_fits_360px_and_passes_axe_in_both_languages(
    browser, live_server, demo_site
):
    """Anonymous visitor, learner, trainer and manager, each in their own browser context, over
    one demo seed (seeding takes longer than a role's walk)."""
    problems, unopened, walked = {}, [], {}
    for role in ROLES:
        role_problems, role_unopened, walked[role] = walk_role(browser, live_server, role)
        problems |= role_problems
        unopened += role_unopened
    print("page views walked per role:", walked)  # noqa: T201
    assert unopened == []
    assert problems == {}
