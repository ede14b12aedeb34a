"""Courses in two languages (issue 17): the demo's English course made with wagtail-localize,
its addresses, the catalogue's language filter, the Spanish fallback said and marked, caches
kept per language, and an enrolment in the English course that completes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page

from certificates.models import Certificate
from courses import services
from courses.demo import BHR, ensure_home, seed_programme
from courses.demo_en import COURSE_SLUG, seed_english_course
from courses.models import CoursePage, Enrolment, LessonPage
from lms.factories import UserFactory
from tests.conftest import page_tree_after_flush

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_course():
    """The demo's B+HR programme in Spanish (the source of the English course)."""
    page_tree_after_flush()
    seed_programme(ensure_home(), BHR)
    return CoursePage.objects.get(slug=COURSE_SLUG)


@pytest.fixture
def english_course(spanish_course, django_capture_on_commit_callbacks):
    # wagtail-localize publishes a translation once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        course = seed_english_course(spanish_course)
    course.refresh_from_db()
    return course


def lessons(course):
    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


def html_lang(body: str) -> str:
    return re.search(r"<html lang=\"([^\"]+)\"", body).group(1)


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_the_english_course_is_a_complete_translation_made_with_wagtail_localize(
    spanish_course, english_course
):
    from wagtail_localize.models import Translation

    assert english_course.locale.language_code == "en"
    assert english_course.translation_key == spanish_course.translation_key
    assert english_course.title == "Introduction to business and human rights"
    spanish_pages = spanish_course.get_descendants()
    english_pages = english_course.get_descendants().live()
    assert english_pages.count() == spanish_pages.count() == 3
    assert [lesson.title for lesson in lessons(english_course)] == [
        "What are human rights in a company?",
        "From commitment to practice",
    ]
    assert "every company" in lessons(english_course)[0].body[0].value.source
    # Each page is a wagtail-localize translation an editor can open and change in the admin.
    assert Translation.objects.filter(target_locale__language_code="en").count() == 6


def test_the_demo_translation_runs_again_without_duplicates(spanish_course, english_course):
    pages = Page.objects.count()
    assert seed_english_course(spanish_course).pk == english_course.pk
    assert Page.objects.count() == pages


def test_the_course_language_is_its_locale(english_course, spanish_course):
    assert (english_course.language, spanish_course.language) == ("en", "es")


def test_the_catalogue_language_filter_finds_the_english_course(client, english_course):
    english = client.get("/aprendizaje/cursos/", {"idioma": "en"}).content.decode()
    spanish = client.get("/aprendizaje/cursos/", {"idioma": "es"}).content.decode()
    assert english_course.url in english and "Introduction to business" in english
    assert "Debida diligencia" not in english
    assert english_course.url not in spanish and "Introducción a empresas" in spanish


def test_without_a_filter_each_course_is_listed_once_in_the_interface_language(
    client, english_course
):
    spanish_ui = client.get("/aprendizaje/cursos/").content.decode()
    english_ui = english_client().get("/aprendizaje/cursos/").content.decode()
    assert "Introducción a empresas" in spanish_ui and "Introduction to" not in spanish_ui
    assert "Introduction to business" in english_ui and "Introducción a empresas" not in english_ui
    assert "Debida diligencia" in english_ui  # no English version: listed in Spanish


def test_english_pages_live_under_en_and_render_in_english(english_course):
    lesson = lessons(english_course)[0]
    assert lesson.url.startswith("/en/business-human-rights-academy/")
    # Even with Spanish chosen as the interface language, the /en/ address is English throughout.
    client = Client()
    client.cookies["django_language"] = "es"
    body = client.get(lesson.url).content.decode()
    assert html_lang(body) == "en"
    assert "What are human rights in a company?" in body and "every company" in body
    assert "Mark as complete" in body or "Log in" in body
    assert ' lang="es"' not in body.replace('lang="es" hreflang="es"', "")
    assert "available in Spanish only" not in body


def test_a_spanish_page_in_the_english_interface_says_so_once_and_marks_its_spanish(
    english_course,
):
    spanish_only = lessons(CoursePage.objects.get(slug="debida-diligencia"))[0]
    body = english_client().get(spanish_only.url).content.decode()
    assert html_lang(body) == "es"
    assert body.count("This content is available in Spanish only.") == 1
    assert f'<h1 lang="es">{spanish_only.title}</h1>' in body
    open_lesson = lessons(CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="es"))[0]
    shown = english_client().get(open_lesson.url).content.decode()
    assert re.search(r'<div class="lesson-body" lang="es">', shown)
    assert re.search(r'<p class="small">Lesson', shown)  # the interface's words, in main (en)
    for region in ("header", "main", "footer"):
        assert re.search(rf"<{region}[^>]* lang=\"en\"", body), region


def test_a_spanish_page_that_has_an_english_version_links_to_it(english_course):
    spanish_lesson = lessons(CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="es"))
    body = english_client().get(spanish_lesson[0].url).content.decode()
    assert body.count("This page is in Spanish.") == 1
    assert f'href="{lessons(english_course)[0].url}"' in body


def test_the_spanish_interface_on_spanish_pages_has_no_notice_or_extra_lang(english_course):
    lesson = lessons(CoursePage.objects.get(slug="debida-diligencia"))[0]
    body = Client().get(lesson.url).content.decode()
    assert html_lang(body) == "es" and "content-language" not in body
    assert "<main" in body and not re.search(r"<main[^>]* lang=", body)


def test_catalogue_cards_in_spanish_are_marked_in_the_english_interface(english_course):
    body = english_client().get("/aprendizaje/cursos/").content.decode()
    assert html_lang(body) == "en"
    assert body.count("Some of these courses are available in Spanish only.") == 1
    assert re.search(r'<h2 lang="es"><a [^>]*>Debida diligencia', body)
    assert re.search(r"<h2><a [^>]*>Introduction to business", body)


def test_learner_home_cards_in_spanish_are_marked_in_the_english_interface(english_course):
    learner = UserFactory()
    services.enrolment_create(
        user=learner, course=CoursePage.objects.get(slug="debida-diligencia"), check_rules=False
    )
    services.enrolment_create(user=learner, course=english_course)
    client = english_client()
    client.force_login(learner)
    body = client.get("/mi-aprendizaje/").content.decode()
    assert body.count("Some of these courses are available in Spanish only.") == 1
    assert re.search(r'<h3 lang="es"><a [^>]*>Debida diligencia', body)
    assert re.search(r"<h3><a [^>]*>Introduction to business", body)


def test_the_language_switch_opens_the_translation_of_the_page(client, english_course):
    spanish = lessons(CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="es"))[0]
    english = lessons(english_course)[0]
    to_english = client.get("/idioma/", {"language": "en", "next": spanish.url})
    assert to_english["Location"] == english.url
    to_spanish = client.get("/idioma/", {"language": "es", "next": english.url})
    assert to_spanish["Location"] == spanish.url
    assert client.get("/idioma/", {"language": "en", "next": "/aprendizaje/cursos/"})[
        "Location"
    ] == ("/aprendizaje/cursos/")


def test_an_anonymous_cached_page_is_not_served_in_the_other_language(english_course):
    """The anonymous page cache (Django's cache middleware): the same Spanish lesson
    for a Spanish and an English interface, twice each, never swapped."""
    lesson = lessons(CoursePage.objects.get(slug="debida-diligencia"))[0]
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="es")
    open_lesson = lessons(course)[0]
    renders = {}
    for _round in range(2):
        for language in ("es", "en"):
            client = Client()
            client.cookies["django_language"] = language
            response = client.get(open_lesson.url)
            assert "public" in response["Cache-Control"]
            body = response.content.decode()
            renders.setdefault(language, body)
            assert body == renders[language]
    assert "Iniciar sesión" in renders["es"] or "Entrar" in renders["es"]
    assert "Log in" in renders["en"] and "Log in" not in renders["es"]
    assert "This page is in Spanish." in renders["en"]
    assert "content-language" not in renders["es"]
    assert lesson.url  # the cohort-only lesson is not shared: covered by tests/courses


def test_the_outline_is_cached_per_language(english_course):
    """Course structures (titles, labels) are kept per language: a Spanish render then an
    English one of the same course page show each its own labels."""
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="es")
    spanish = Client().get(course.url).content.decode()
    english = english_client().get(course.url).content.decode()
    assert "· Lección" in spanish and "· Lesson" not in spanish
    assert "· Lesson" in english and "· Lección" not in english
    translated = Client().get(english_course.url).content.decode()
    assert "What are human rights in a company?" in translated and "· Lesson" in translated


def test_an_enrolment_in_the_english_course_completes_on_its_own(english_course):
    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("courses:enrol", args=[english_course.pk]))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == english_course.pk
    first, second = lessons(english_course)
    response = client.post(reverse("courses:complete", args=[first.pk]))
    assert response["Location"] == second.url  # the next English lesson
    client.post(reverse("courses:complete", args=[second.pk]))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(user=learner)
    assert certificate.course_id == english_course.pk
    assert certificate.course_title == "Introduction to business and human rights"
    spanish = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="es")
    assert not Enrolment.objects.filter(user=learner, course=spanish).exists()


def test_english_locale_exists_for_editors(english_course):
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"es", "en"}
