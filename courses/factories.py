"""Factories for the course tree; `course_tree` builds a whole course in one call."""

import factory
import wagtail_factories
from wagtail.models import Page, Site

from .models import CoursePage, HomePage, LessonPage, ModulePage, ProgrammePage


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Inicio"


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Programa {n}")
    summary = "Programa de prueba"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Curso {n}")
    summary = "Resumen del curso"
    hours = 10


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Módulo {n}")


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lección {n}")
    body = [("text", "<p>Contenido de la lección.</p>")]


def site_home() -> HomePage:
    """The site's HomePage, created (and made the default site's root) when missing."""
    home = HomePage.objects.order_by("path").first()  # the default language's (created first)
    if home:
        return home
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="inicio")
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page = home
        site.save()
    else:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def course_tree(
    *,
    modules: int = 2,
    lessons: int = 2,
    mode: str = "open",
    programme: ProgrammePage | None = None,
    **course_fields,
) -> CoursePage:
    """A published course with `modules` x `lessons` lesson pages, under a (new) programme."""
    programme = programme or ProgrammePageFactory(parent=site_home())
    course = CoursePageFactory(parent=programme, enrolment_mode=mode, **course_fields)
    for _m in range(modules):
        module = ModulePageFactory(parent=course)
        for _l in range(lessons):
            LessonPageFactory(parent=module)
    return course
