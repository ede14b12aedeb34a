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


@hooks.register("lms_seed_demo", order=50)
def seed_reports(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)

# Personal data this app holds, registered with the privacy app through its hooks.
from . import personal_data  # noqa: E402, F401
