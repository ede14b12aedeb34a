"""A video or audio file kept on the platform (wagtailmedia's custom media model), with what a
learner on a slow link or with a hearing impairment needs beside it."""

import os

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia

from .uploads import CONTENT_TYPES

# The URL word for each file of an item, and the field that holds it.
VARIANTS = {
    "archivo": "file",
    "ligero": "light_file",
    "audio": "audio_file",
    "subtitulos-es": "captions_es",
    "subtitulos-en": "captions_en",
    "portada": "thumbnail",
}
CAPTION_LANGUAGES = [("es", "captions_es", "Español"), ("en", "captions_en", "English")]


class HostedMedia(AbstractMedia):
    """A hosted video or audio: the main file, a light version for slow links, an audio-only
    version, WebVTT captions per language and a transcript. File sizes are kept at save so pages
    show them without asking the storage."""

    light_file = models.FileField(
        _("light version"),
        upload_to="media_light",
        blank=True,
        help_text=_(
            "A smaller file for slow connections (for a video: 360p or less, about 250 kbit/s). "
            "The player offers it first."
        ),
    )
    audio_file = models.FileField(
        _("audio-only version"),
        upload_to="media_audio",
        blank=True,
        help_text=_("MP3, OGG or M4A: for listening without spending data on the picture."),
    )
    captions_es = models.FileField(
        _("captions in Spanish (WebVTT)"),
        upload_to="media_captions",
        blank=True,
        help_text=_("A .vtt file whose first line is WEBVTT. Required for a video."),
    )
    captions_en = models.FileField(
        _("captions in English (WebVTT)"), upload_to="media_captions", blank=True
    )
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_(
            "Required: learners on slow connections or with hearing impairments read it instead."
        ),
    )
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, editable=False)
    light_file_size = models.PositiveBigIntegerField(null=True, editable=False)
    audio_file_size = models.PositiveBigIntegerField(null=True, editable=False)

    admin_form_fields = (
        "title",
        "file",
        "light_file",
        "audio_file",
        "captions_es",
        "captions_en",
        "transcript",
        "collection",
        "duration",
        "width",
        "height",
        "thumbnail",
        "tags",
    )

    class Meta(AbstractMedia.Meta):
        verbose_name = _("video or audio")
        verbose_name_plural = _("videos and audios")

    def save(self, *args, **kwargs):
        for name in ("file", "light_file", "audio_file"):
            setattr(self, f"{name}_size", _size_of(getattr(self, name)))
        super().save(*args, **kwargs)

    def variant_url(self, variant: str) -> str:
        """The platform's stable address of one of the item's files (see hosted_media.views)."""
        field = getattr(self, VARIANTS[variant])
        return reverse("hosted_media_file", args=(self.pk, variant, os.path.basename(field.name)))

    @property
    def captions(self) -> list[dict]:
        return [
            {"language": code, "label": label, "url": self.variant_url(f"subtitulos-{code}")}
            for code, field, label in CAPTION_LANGUAGES
            if getattr(self, field)
        ]

    def content_type_of(self, variant: str) -> str:
        name = getattr(self, VARIANTS[variant]).name
        extension = name.rsplit(".", 1)[-1].lower()
        return CONTENT_TYPES.get(extension, "application/octet-stream")


def _size_of(field) -> int | None:
    if not field:
        return None
    try:
        return field.size
    except (OSError, ValueError):
        return None
