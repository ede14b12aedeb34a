"""Checks the files of a hosted video or audio by their content (no database), under the same
habits as workshop materials (`workshops.uploads`): the browser's content type is ignored, the
magic bytes decide, the extension must agree with them, and each kind of file has a size limit.

Slots: the main file, its light (low-bitrate) version, its audio-only version, WebVTT captions and
a small poster image.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lms.uploads import UploadRejected, sniffed

VIDEO_TYPES = {"video/mp4": ("mp4", "m4v"), "video/webm": ("webm",)}
AUDIO_TYPES = {"audio/mpeg": ("mp3",), "audio/ogg": ("ogg", "oga"), "audio/mp4": ("m4a",)}
POSTER_TYPES = {"image/jpeg": ("jpg", "jpeg"), "image/png": ("png",), "image/webp": ("webp",)}
CONTENT_TYPES = {
    extension: mime
    for types in (VIDEO_TYPES, AUDIO_TYPES, POSTER_TYPES)
    for mime, extensions in types.items()
    for extension in extensions
} | {"vtt": "text/vtt"}

MB = 1024 * 1024
MAX_BYTES = {
    "file": 200 * MB,
    "light_file": 50 * MB,
    "audio_file": 50 * MB,
    "captions": 1 * MB,
    "thumbnail": 100 * 1024,
}


class MediaRejected(UploadRejected):
    pass


@dataclass(frozen=True)
class MediaFileType:
    mime: str
    extension: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _too_large(max_bytes: int) -> MediaRejected:
    if max_bytes >= MB:
        limit = _("%(n)s MB") % {"n": max_bytes // MB}
    else:
        limit = _("%(n)s KB") % {"n": max_bytes // 1024}
    return MediaRejected(_("The file is too large: the limit is %(limit)s.") % {"limit": limit})


def _check_size(size: int, max_bytes: int) -> None:
    if size <= 0:
        raise MediaRejected(_("The file is empty."))
    if size > max_bytes:
        raise _too_large(max_bytes)


def _check_typed(fileobj, name: str, types: dict, refusal) -> MediaFileType:
    head, mime = sniffed(fileobj)
    if mime not in types:
        raise MediaRejected(refusal)
    extension = _extension(name)
    if extension not in types[mime]:
        raise MediaRejected(
            _("The file's name ends in “.%(found)s” but its content is .%(expected)s.")
            % {"found": extension, "expected": types[mime][0]}
        )
    return MediaFileType(mime=mime, extension=extension)


def check_media_file(
    fileobj, *, name: str, size: int, media_type: str, max_bytes: int
) -> MediaFileType:
    """A video (MP4, WebM) or audio (MP3, OGG, M4A) file, as `media_type` says; or MediaRejected."""
    _check_size(size, max_bytes)
    if media_type == "video":
        refusal = _("Upload a video in MP4 or WebM format.")
        return _check_typed(fileobj, name, VIDEO_TYPES, refusal)
    refusal = _("Upload an audio file in MP3, OGG or M4A format.")
    return _check_typed(fileobj, name, AUDIO_TYPES, refusal)


def check_audio_version(fileobj, *, name: str, size: int, max_bytes: int) -> MediaFileType:
    return check_media_file(fileobj, name=name, size=size, media_type="audio", max_bytes=max_bytes)


def check_poster(fileobj, *, name: str, size: int, max_bytes: int) -> MediaFileType:
    """A small JPEG, PNG or WebP still shown before the video plays."""
    _check_size(size, max_bytes)
    refusal = _("The poster must be a JPEG, PNG or WebP image.")
    return _check_typed(fileobj, name, POSTER_TYPES, refusal)


def check_captions(fileobj, *, name: str, size: int, max_bytes: int) -> str:
    """WebVTT captions: UTF-8 text whose first line is "WEBVTT", with at least one cue.
    Returns the text."""
    _check_size(size, max_bytes)
    if _extension(name) != "vtt":
        raise MediaRejected(_("Captions must be a WebVTT file ending in .vtt."))
    fileobj.seek(0)
    raw = fileobj.read(max_bytes + 1)
    fileobj.seek(0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MediaRejected(_("The captions file must be UTF-8 text.")) from error
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if first_line != "WEBVTT" and not first_line.startswith(("WEBVTT ", "WEBVTT\t")):
        raise MediaRejected(
            _(
                "The captions file is not WebVTT: its first line must be “WEBVTT”. "
                "Convert SRT subtitles to WebVTT before uploading them."
            )
        )
    if "-->" not in text:
        raise MediaRejected(_("The captions file has no cues (no line with “-->”)."))
    return text
