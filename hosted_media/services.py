"""Writes for hosted media: an item is created from checked files only."""

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from .models import HostedMedia
from .uploads import (
    MAX_BYTES,
    MediaRejected,
    check_audio_version,
    check_captions,
    check_media_file,
    check_poster,
)


def upload_limit(slot: str) -> int:
    """The size limit of one kind of file, in bytes (settings.HOSTED_MEDIA_MAX_BYTES overrides)."""
    return {**MAX_BYTES, **getattr(settings, "HOSTED_MEDIA_MAX_BYTES", {})}[slot]


def check_upload(field: str, upload: File, *, media_type: str) -> None:
    """Raise MediaRejected unless `upload` may go into `field` of an item of `media_type`."""
    name, size = upload.name or "", upload.size
    if field in ("file", "light_file"):
        check_media_file(
            upload, name=name, size=size, media_type=media_type, max_bytes=upload_limit(field)
        )
    elif field == "audio_file":
        check_audio_version(upload, name=name, size=size, max_bytes=upload_limit(field))
    elif field in ("captions_es", "captions_en"):
        check_captions(upload, name=name, size=size, max_bytes=upload_limit("captions"))
    elif field == "thumbnail":
        check_poster(upload, name=name, size=size, max_bytes=upload_limit("thumbnail"))


@transaction.atomic
def hosted_media_create(
    *,
    title: str,
    media_type: str,
    file: File,
    transcript: str,
    light_file: File | None = None,
    audio_file: File | None = None,
    captions_es: File | None = None,
    captions_en: File | None = None,
    thumbnail: File | None = None,
    duration: float = 0,
    width: int | None = None,
    height: int | None = None,
    user=None,
) -> HostedMedia:
    """Check every file as the admin form does, then store them through the default storage.
    Not idempotent: each call adds an item. Raises MediaRejected (with the field in `.field`)."""
    files = {
        "file": file,
        "light_file": light_file,
        "audio_file": audio_file,
        "captions_es": captions_es,
        "captions_en": captions_en,
        "thumbnail": thumbnail,
    }
    for field, upload in files.items():
        if upload is not None:
            try:
                check_upload(field, upload, media_type=media_type)
            except MediaRejected as error:
                error.field = field
                raise
    media = HostedMedia(
        title=title,
        type=media_type,
        transcript=transcript,
        duration=duration,
        width=width,
        height=height,
        uploaded_by_user=user,
    )
    for field, upload in files.items():
        if upload is not None:
            getattr(media, field).save(upload.name, upload, save=False)
    media.save()
    return media
