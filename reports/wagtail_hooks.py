from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .selectors import can_see_reports


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_reports(request.user)


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    """A way back from the Wagtail admin to the trainers' and managers' reports."""
    return ReportsMenuItem(_("Reports"), reverse("reports:index"), icon_name="table", order=900)


@hooks.register("learner_home_panels")
def staff_day_panel(request):
    """A trainer's or manager's home starts with their cohorts and today's work."""
    from django.utils import timezone

    from lms.home import HomePanel

    from .today import staff_day

    if not can_see_reports(request.user):
        return None
    return HomePanel(
        order=5,
        template_name="reports/panel_today.html",
        context={"day": staff_day(request.user, now=timezone.now())},
    )


@hooks.register("lms_staff_links")
def reports_staff_links(user):
    return (
        [(_("Reports and dashboards"), reverse("reports:index"))] if can_see_reports(user) else []
    )


@hooks.register("lms_seed_demo", order=50)
def seed_reports(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)


# Personal data this app holds, registered with the privacy app through its hooks.
from . import personal_data  # noqa: E402, F401
