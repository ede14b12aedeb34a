from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.models import Page

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
    from .selectors import can_run_sessions

    if request is None or not request.user.is_authenticated:
        return []
    links = [(_("My workshop calendar (subscribe)"), reverse("workshops:calendar"))]
    if can_run_sessions(request.user):
        links.append((_("Workshop sessions I run"), reverse("workshops:staff_sessions")))
    return links


@hooks.register("lms_staff_links")
def sessions_staff_links(user):
    from .selectors import can_run_sessions

    return (
        [(_("Sessions and attendance"), reverse("workshops:staff_sessions"))]
        if can_run_sessions(user)
        else []
    )


def _pages_with_registrations(pages) -> bool:
    from django.db.models import Q

    from .models import Registration, SessionMaterial

    paths = [p.path for p in pages if isinstance(p, Page)]
    if not paths:
        return False
    under = Q()
    for path in paths:
        under |= Q(session__page__path__startswith=path)
    return (
        Registration.objects.filter(under).exists()
        or SessionMaterial.objects.filter(under).exists()
    )


REFUSAL = gettext_lazy(
    "This page cannot be deleted: people registered for its workshop sessions. Unpublish it "
    "instead."
)


@hooks.register("before_delete_page")
def keep_workshops_with_registrations(request, page):
    """Registrations and attendance PROTECT their sessions: say so instead of failing."""
    if _pages_with_registrations([page]):
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def keep_workshops_with_registrations_in_bulk(request, action_type, objects, action_class_instance):
    if action_type == "delete" and _pages_with_registrations(objects):
        messages.error(request, REFUSAL)
        return redirect(request.GET.get("next") or "wagtailadmin_explore_root")
    return None


@hooks.register("lms_seed_demo", order=30)
def seed_workshops(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)


# Personal data this app holds, registered with the privacy app through its hooks.
from . import personal_data  # noqa: E402, F401
