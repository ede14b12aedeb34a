from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Cohort, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("kind")]


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "programme", "starts_on", "ends_on"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("programme"),
        FieldPanel("trainers"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        InlinePanel("memberships", label=_("Members")),
    ]


class PeopleGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, CohortViewSet)
    menu_icon = "group"
    menu_label = _("People")
    menu_name = "people"


register_snippet(PeopleGroup)


