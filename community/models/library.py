"""The library: documented practices and resources (Wagtail pages, versioned by Wagtail)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from lms.pages import SitePageMixin

from ..text import folded_words

STATES = [
    ("AGS", "Aguascalientes"),
    ("BC", "Baja California"),
    ("BCS", "Baja California Sur"),
    ("CAM", "Campeche"),
    ("CHP", "Chiapas"),
    ("CHH", "Chihuahua"),
    ("CMX", "Ciudad de México"),
    ("COA", "Coahuila"),
    ("COL", "Colima"),
    ("DUR", "Durango"),
    ("MEX", "Estado de México"),
    ("GUA", "Guanajuato"),
    ("GRO", "Guerrero"),
    ("HID", "Hidalgo"),
    ("JAL", "Jalisco"),
    ("MIC", "Michoacán"),
    ("MOR", "Morelos"),
    ("NAY", "Nayarit"),
    ("NLE", "Nuevo León"),
    ("OAX", "Oaxaca"),
    ("PUE", "Puebla"),
    ("QUE", "Querétaro"),
    ("ROO", "Quintana Roo"),
    ("SLP", "San Luis Potosí"),
    ("SIN", "Sinaloa"),
    ("SON", "Sonora"),
    ("TAB", "Tabasco"),
    ("TAM", "Tamaulipas"),
    ("TLA", "Tlaxcala"),
    ("VER", "Veracruz"),
    ("YUC", "Yucatán"),
    ("ZAC", "Zacatecas"),
    ("NAT", "Nacional"),
]
RICH_FEATURES = ["bold", "italic", "link", "ul", "ol", "h3", "document-link"]


class Theme(models.Model):
    """A theme the library is filtered by (care, violence prevention, due diligence…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class LibraryIndexPage(SitePageMixin, Page):
    """The library's front page: every practice and resource below it, filtered and searched."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["community.PracticePage", "community.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("library")

    def get_context(self, request, *args, **kwargs):
        from ..library import library_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(library_page_context(self, request))
        return context


class LibraryItemPage(SitePageMixin, Page):
    """Fields every library item shares, so the library filters them alike."""

    summary = models.TextField(_("summary"), max_length=800)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=4, choices=STATES, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="es"
    )

    common_panels = [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("programme"),
                FieldPanel("theme"),
                FieldPanel("state"),
                FieldPanel("language"),
            ],
            heading=_("Filters"),
        ),
    ]
    common_search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("search_words"),
        index.FilterField("kind"),
        index.FilterField("state"),
        index.FilterField("language"),
        index.FilterField("programme"),
        index.FilterField("theme"),
    ]

    parent_page_types = ["community.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def searchable_texts(self) -> list[str]:
        return [self.title, self.summary]

    def search_words(self) -> str:
        """Every word of the item without accents: the library search looks each query word's
        root up among these as a prefix (community.library.search_ids)."""
        return folded_words(*self.searchable_texts())


class PracticePage(LibraryItemPage):
    """A documented transformative practice or a funded project: who, where, how, what changed,
    a hosted video with captions and interview transcripts."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Documented practice")
        PROJECT = "project", _("Funded project")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation = models.ForeignKey(
        "lms.Organisation",
        verbose_name=_("organisation in the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community = models.CharField(_("community"), max_length=200, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    approach = RichTextField(_("approach"), features=RICH_FEATURES)
    outcomes = RichTextField(_("outcomes"), blank=True, features=RICH_FEATURES)
    media = models.ForeignKey(
        "hosted_media.HostedMedia",
        verbose_name=_("video or audio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Hosted on the platform, with captions, a light version and its sizes."),
    )
    transcript = RichTextField(_("interview transcripts"), blank=True, features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        *LibraryItemPage.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("organisation"),
                FieldPanel("community"),
                FieldPanel("people_reached"),
            ],
            heading=_("Who and where"),
        ),
        FieldPanel("approach"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [MediaChooserPanel("media"), FieldPanel("transcript")],
            heading=_("Video and transcripts"),
        ),
    ]
    search_fields = [
        *LibraryItemPage.common_search_fields,
        index.SearchField("organisation_name"),
        index.SearchField("community"),
        index.SearchField("approach"),
        index.SearchField("outcomes"),
        index.SearchField("transcript"),
    ]

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def searchable_texts(self) -> list[str]:
        return [
            *super().searchable_texts(),
            self.organisation_name,
            self.community,
            self.approach,
            self.outcomes,
            self.transcript,
        ]


class ResourcePage(LibraryItemPage):
    """A research paper, a policy brief or a guide: a summary and the document itself."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("Research paper")
        BRIEF = "brief", _("Policy brief")
        GUIDE = "guide", _("Guide")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        *LibraryItemPage.common_panels,
        FieldPanel("document"),
        FieldPanel("published_on"),
    ]
    search_fields = [*LibraryItemPage.common_search_fields]

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
