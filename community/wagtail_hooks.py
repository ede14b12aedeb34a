from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.admin_columns import boolean_column
from lms.home import HomePanel

from .models import OrganisationProfile, Space, Theme


@hooks.register("learner_home_panels")
def community_panel(request):
    from .selectors import spaces_visible_to

    if not request.user.is_authenticated:
        return None
    spaces = spaces_visible_to(request.user)
    return HomePanel(
        order=40, template_name="community/panel_home.html", context={"spaces": spaces[:6]}
    )


@hooks.register("privacy_app_message_kinds")
def community_message_kinds():
    """Replies, mentions and digests unsubscribe through privacy's one-click address; the choice
    is kept in the person's community preferences."""
    from privacy.registry import AppMessageKind

    from . import services

    def opt_out(kind):
        return lambda user: services.unsubscribe(user=user, kind=kind)

    preferences = reverse("community:preferences")
    return {
        "community_reply": AppMessageKind(
            _("replies to your community threads"), opt_out("reply"), preferences
        ),
        "community_mention": AppMessageKind(
            _("mentions of your name in the community"), opt_out("mention"), preferences
        ),
        "community_digest": AppMessageKind(
            _("the community digest"), opt_out("digest"), preferences
        ),
    }


@hooks.register("lms_nav_links")
def community_nav(request):
    library_url = _library_url()
    links = [(_("Library"), library_url)] if library_url else []
    if request is not None and request.user.is_authenticated:
        links.insert(0, (_("Community"), reverse("community:index")))
    return links


LIBRARY_URL_KEY = "community:library-url:v1"


def _library_url() -> str:
    """The library's address for the menu; cached 5 minutes (a moved library shows up within
    that)."""
    from django.core.cache import cache

    from .models import LibraryIndexPage

    url = cache.get(LIBRARY_URL_KEY)
    if url is None:
        page = LibraryIndexPage.objects.live().first()
        url = (page.url or "") if page else ""
        cache.set(LIBRARY_URL_KEY, url, 300)
    return url


@hooks.register("lms_profile_links")
def community_profile_links(request):
    if request is None or not request.user.is_authenticated:
        return []
    return [
        (_("Community e-mails"), reverse("community:preferences")),
        (_("My organisation in the directory"), reverse("community:profile_edit")),
    ]


@hooks.register("lms_footer_links")
def community_footer_links(request):
    return [(_("Network directory"), reverse("community:directory"))]


class SpaceViewSet(SnippetViewSet):
    model = Space
    icon = "comment"
    menu_label = gettext_lazy("Discussion spaces")
    list_display = ["title", "kind", boolean_column(Space, "allow_anonymous")]
    list_filter = ["kind", "allow_anonymous"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("page"),
        FieldPanel("cohort"),
        FieldPanel("description"),
        FieldPanel("allow_anonymous"),
    ]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = gettext_lazy("Library themes")
    panels = [FieldPanel("name")]


class ProfileViewSet(SnippetViewSet):
    model = OrganisationProfile
    icon = "group"
    menu_label = gettext_lazy("Directory profiles")
    list_display = ["organisation", boolean_column(OrganisationProfile, "published"), "state"]
    list_filter = ["published"]


class CommunityGroup(SnippetViewSetGroup):
    items = (SpaceViewSet, ThemeViewSet, ProfileViewSet)
    menu_icon = "comment"
    menu_label = gettext_lazy("Community")
    menu_name = "community"


register_snippet(CommunityGroup)


@hooks.register("lms_seed_demo", order=60)
def seed_community(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)


from . import personal_data  # noqa: E402, F401
