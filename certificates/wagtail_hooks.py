from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from lms.admin_columns import boolean_column, updated_column
from lms.home import HomePanel

from . import selectors
from .models import CertificateTemplate


class CertificateTemplateDeleteView(DeleteView):
    """Issued certificates keep their template (PROTECT): say so instead of failing."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("This template cannot be deleted: certificates were issued with it."),
            )
            return redirect("wagtailsnippets_certificates_certificatetemplate:edit", self.object.pk)


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    delete_view_class = CertificateTemplateDeleteView
    icon = "doc-full"
    menu_label = _("Certificate templates")
    menu_name = "certificate_templates"
    menu_order = 400
    add_to_admin_menu = True
    list_display = [
        "name",
        "title",
        "language",
        "orientation",
        boolean_column(CertificateTemplate, "is_default"),
        updated_column(),
    ]
    list_filter = ["language", "is_default"]
    search_fields = ["name", "title"]


register_snippet(CertificateTemplateViewSet)


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_certificate_manager(request.user)


@hooks.register("register_admin_menu_item")
def certificate_desk_menu_item():
    return ManagerMenuItem(
        _("Issued certificates"), reverse("certificates:manage"), icon_name="tasks", order=410
    )


@hooks.register("learner_home_panels")
def certificates_panel(request):
    certificates = list(selectors.learner_certificates(request.user)[:6])
    if not certificates:
        return None
    return HomePanel(
        order=30,
        template_name="certificates/panel_certificates.html",
        context={"certificates": certificates},
    )


@hooks.register("lms_footer_links")
def verify_link(request):
    return [(_("Verify a certificate"), reverse("certificates:verify_form"))]


@hooks.register("lms_profile_links")
def profile_links(request):
    links = [(_("My certificates"), reverse("certificates:mine"))]
    if request is not None and selectors.is_certificate_manager(request.user):
        links.append((_("Issued certificates"), reverse("certificates:manage")))
    return links


@hooks.register("lms_staff_links")
def certificates_staff_links(user):
    return (
        [(_("Certificate management"), reverse("certificates:manage"))]
        if selectors.is_certificate_manager(user)
        else []
    )


@hooks.register("lms_seed_demo", order=40)
def seed_certificates(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)


@hooks.register("lms_seed_demo", order=5)
def seed_credential_key(*, stdout, size):
    """The demo signs credentials with a key of its own, made before any certificate renders."""
    from .credentials.demo import seed

    seed(stdout=stdout, size=size)


# Personal data this app holds, registered with the privacy app through its hooks.
from . import personal_data  # noqa: E402, F401
