"""The admin form of a hosted video or audio (wagtailmedia's MEDIA_FORM_BASE): every new file is
checked by content with the same rules as `services.hosted_media_create`."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtailmedia.forms import BaseMediaForm

from .services import check_upload
from .uploads import AUDIO_TYPES, POSTER_TYPES, VIDEO_TYPES, MediaRejected

CHECKED_FIELDS = ("file", "light_file", "audio_file", "captions_es", "captions_en", "thumbnail")


def _accept(types: dict) -> str:
    return ",".join(f".{e}" for extensions in types.values() for e in extensions)


class HostedMediaForm(BaseMediaForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        main = VIDEO_TYPES if self.instance.type == "video" else AUDIO_TYPES
        accepts = {
            "file": _accept(main),
            "light_file": _accept(main),
            "audio_file": _accept(AUDIO_TYPES),
            "captions_es": ".vtt",
            "captions_en": ".vtt",
            "thumbnail": _accept(POSTER_TYPES),
        }
        for name, accept in accepts.items():
            if name in self.fields:
                self.fields[name].widget.attrs["accept"] = accept
        if self.instance.type == "audio":
            for name in ("audio_file", "thumbnail"):
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        for name in CHECKED_FIELDS:
            upload = cleaned.get(name)
            if isinstance(upload, UploadedFile):
                try:
                    check_upload(name, upload, media_type=self.instance.type)
                except MediaRejected as error:
                    self.add_error(name, forms.ValidationError(error.message))
        needs_captions = self.instance.type == "video" and "captions_es" in self.fields
        if needs_captions and not cleaned.get("captions_es") and "captions_es" not in self.errors:
            self.add_error("captions_es", _("A video needs Spanish captions (a WebVTT .vtt file)."))
        if "transcript" in self.fields and not (cleaned.get("transcript") or "").strip():
            self.add_error(
                "transcript",
                _("Write the transcript: learners who cannot play the media read it instead."),
            )
        return cleaned
