from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from lms.home import HomePanel


@hooks.register("learner_home_panels")
def upcoming_workshops_panel(request):
    from .selectors import open_workshops_for, upcoming_registrations

    if not request.user.is_authenticated:
        return None
    registrations = list(upcoming_registrations(request.user, limit=5))
    open_workshops = open_workshops_for(request.user)
    if not registrations and not open_workshops:
        return None
    return HomePanel(
        order=20,
        template_name="workshops/panel_upcoming.html",
        context={"registrations": registrations, "open_workshops": open_workshops},
    )


@hooks.register("lms_profile_links")
def calendar_link(request):
    if request is None or not request.user.is_authenticated:
        return []
    return [(_("My workshop calendar (subscribe)"), reverse("workshops:calendar"))]


@hooks.register("before_delete_page")
def keep_workshops_with_registrations(request, page):
    """Registrations and attendance PROTECT their sessions: say so instead of failing."""
    from .models import Registration, SessionMaterial, WorkshopSession

    sessions = WorkshopSession.objects.filter(page__path__startswith=page.path)
    if Registration.objects.filter(session__in=sessions).exists() or SessionMaterial.objects.filter(
        session__in=sessions
    ).exists():
        messages.error(
            request,
            _("This page cannot be deleted: people registered for its workshop sessions. Unpublish it instead."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("lms_seed_demo", order=30)
def seed_workshops(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)
