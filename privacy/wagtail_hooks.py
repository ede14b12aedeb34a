from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.admin_columns import boolean_column

from .models import PrivacyNotice, SensitiveForm
from .sections import people_sections


class PrivacyNoticeViewSet(SnippetViewSet):
    model = PrivacyNotice
    icon = "doc-full"
    menu_label = _("Privacy notice")
    list_display = [
        "title",
        "version",
        "language",
        boolean_column(PrivacyNotice, "material_change"),
        "published_at",
    ]
    list_filter = ["language"]


class SensitiveFormViewSet(SnippetViewSet):
    model = SensitiveForm
    icon = "warning"
    menu_label = _("Forms with sensitive data")


class PrivacyGroup(SnippetViewSetGroup):
    items = (PrivacyNoticeViewSet, SensitiveFormViewSet)
    menu_icon = "lock"
    menu_label = _("Personal data")
    menu_name = "privacy"


register_snippet(PrivacyGroup)


@hooks.register("lms_footer_links")
def footer_links(request):
    return [(_("Privacy notice"), reverse("privacy:notice"))]


@hooks.register("lms_profile_links")
def profile_links(request):
    links = [(_("My data"), reverse("privacy:my_data"))]
    user = getattr(request, "user", None)
    if user is not None and (user.is_superuser or user.managed_programmes.exists()):
        links.append((_("Access log of personal data"), reverse("privacy:audit_log")))
    return links


hooks.register("privacy_data_sections", people_sections)


@hooks.register("lms_seed_demo", order=60)
def seed_privacy(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout)


@hooks.register("before_serve_page")
def ask_consent_before_a_sensitive_form(page, request, serve_args, serve_kwargs):
    """A form marked as asking for sensitive data first asks for express consent."""
    from django.shortcuts import redirect
    from django.utils.http import urlencode

    from .selectors import consent_needed, sensitive_page_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or page.pk not in sensitive_page_ids():
        return None
    if consent_needed(user, page.pk) is None:
        return None
    return redirect(
        reverse("privacy:consent", args=[page.pk]) + "?" + urlencode({"next": page.url or "/"})
    )
