from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_forms import CohortForm
from .admin_scope import ScopedSnippetViewSet, scoped_chooser_viewset, scoped_views
from .models import Cohort, Organisation
from .selectors import cohorts_administered_by


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("kind")]


_cohort_views = scoped_views(cohorts_administered_by)


class CohortViewSet(ScopedSnippetViewSet):
    """Cohorts of the programmes the user manages only (a superuser: all), in the listing, every
    object view and every choice of the form."""

    model = Cohort
    scope = staticmethod(cohorts_administered_by)
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "programme", "starts_on", "ends_on"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("programme"),
            FieldPanel("trainers"),
            FieldPanel("starts_on"),
            FieldPanel("ends_on"),
            InlinePanel("memberships", label=_("Members")),
        ],
        base_form_class=CohortForm,
    )
    add_view_class = _cohort_views["add_view_class"]
    edit_view_class = _cohort_views["edit_view_class"]
    delete_view_class = _cohort_views["delete_view_class"]
    copy_view_class = _cohort_views["copy_view_class"]
    history_view_class = _cohort_views["history_view_class"]
    usage_view_class = _cohort_views["usage_view_class"]
    inspect_view_class = _cohort_views["inspect_view_class"]
    chooser_viewset_class = scoped_chooser_viewset(cohorts_administered_by)


class PeopleGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, CohortViewSet)
    menu_icon = "group"
    menu_label = _("People")
    menu_name = "people"


register_snippet(PeopleGroup)


@hooks.register("before_bulk_action")
def keep_bulk_actions_in_scope(request, action_type, objects, action_class_instance):
    """Bulk actions on cohorts only over cohorts the user administers."""
    from django.http import Http404

    cohorts = [o for o in objects if isinstance(o, Cohort)]
    if cohorts and cohorts_administered_by(request.user).filter(
        pk__in=[c.pk for c in cohorts]
    ).count() != len(cohorts):
        raise Http404
    return None


@hooks.register("insert_editor_js")
def publish_after_autosave():
    """Publishing waits for a pending autosave, so the autosave cannot turn it back into a draft."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}"></script>', static("lms/admin/publish-after-autosave.js"))
