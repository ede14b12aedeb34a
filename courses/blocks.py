"""StreamField blocks for lesson bodies. Accessibility is required, not optional: images need
alternative text and videos need a transcript.

Nothing here looks anything up online: an external video is kept as a link (no oEmbed call at
save or render), and hosted video or audio is chosen from the platform's own media."""

from urllib.parse import urlparse

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from hosted_media.blocks import HostedMediaChooserBlock

RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote", "hr"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class ExternalVideoBlock(blocks.StructBlock):
    """A video on another site (YouTube, Vimeo…), shown as a plain link. Stored as before, when
    this was an embed: {"video": url, "title": …, "transcript": …}."""

    video = blocks.URLBlock(
        label=_("video address"),
        help_text=_(
            "The address of a video on YouTube, Vimeo or another site. Learners get a link: "
            "nothing is looked up online when you save."
        ),
    )
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        features=["bold", "italic", "ul", "ol"],
        help_text=_(
            "Required: learners on slow connections or with hearing impairments read it instead."
        ),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        host = urlparse(value["video"] or "").hostname or ""
        context["site"] = host.removeprefix("www.")
        return context

    class Meta:
        icon = "link-external"
        template = "blocks/video_block.html"
        label = _("External video (link)")


class MediaBlock(blocks.StructBlock):
    """A video or audio hosted on the platform, with captions, sizes, a light and an audio-only
    version and the transcript (hosted_media)."""

    media = HostedMediaChooserBlock(label=_("video or audio"))
    title = blocks.CharBlock(
        label=_("title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the media item's title."),
    )

    class Meta:
        icon = "media"
        template = "blocks/media_block.html"
        label = _("Hosted video or audio")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    description = blocks.CharBlock(label=_("description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Downloadable document")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("info", _("Information")),
            ("important", _("Important")),
            ("example", _("Example")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        label = _("Callout")


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("question for reflection"))
    guidance = blocks.RichTextBlock(
        label=_("guidance"), required=False, features=["bold", "italic", "ul"]
    )

    class Meta:
        icon = "help"
        template = "blocks/reflection_block.html"
        label = _("Reflection exercise")


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200)
    body = blocks.RichTextBlock(label=_("body"), features=RICH_FEATURES)


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label=_("items"))

    class Meta:
        icon = "list-ul"
        template = "blocks/accordion_block.html"
        label = _("Accordion")


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES)
    image = ImageBlock()
    video = ExternalVideoBlock()
    media = MediaBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()
    accordion = AccordionBlock()
