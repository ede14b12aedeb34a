"""Factories for workshops; `workshop_in_course` puts a workshop with sessions into a course."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory

from courses.models import ModulePage

from .models import WorkshopPage, WorkshopSession


class WorkshopPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = WorkshopPage

    title = factory.Sequence(lambda n: f"Taller {n}")
    kind = WorkshopPage.Kind.LIVE_TRAINING
    intro = "Sesión en vivo del curso."


class WorkshopSessionFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopSession

    page = factory.SubFactory(WorkshopPageFactory)
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    time_zone = "America/Mexico_City"
    online_url = factory.Sequence(lambda n: f"https://reuniones.example.org/sala-{n}")
    place = ""
    capacity = 10
    facilitators = "Ana Sofía Villaseñor"


def workshop_in_course(
    course, *, kind: str = WorkshopPage.Kind.LIVE_TRAINING, sessions: int = 1, **session_fields
):
    """A live WorkshopPage in the course's first module with `sessions` sessions."""
    module = ModulePage.objects.child_of(course).order_by("path").first()
    page = WorkshopPageFactory(parent=module, kind=kind)
    for _i in range(sessions):
        WorkshopSessionFactory(page=page, **session_fields)
    return page
