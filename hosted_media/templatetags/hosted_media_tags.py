from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _duration(seconds: float) -> str:
    seconds = round(seconds or 0)
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _size(size: int | None) -> str:
    return filesizeformat(size) if size else ""


@register.inclusion_tag("hosted_media/player.html")
def media_player(media, title: str = "", dom_id: str = ""):
    """A hosted video or audio: nothing is fetched until the learner presses play (preload="none"),
    the light version first, captions, each file's size, the audio-only version and the transcript,
    all usable without JavaScript."""
    if media is None:
        return {"media": None}
    is_video = media.type == "video"
    main_label = _("Video") if is_video else _("Audio")
    sources = []
    if media.light_file:
        sources.append(
            {"url": media.variant_url("ligero"), "type": media.content_type_of("ligero")}
        )
    sources.append({"url": media.variant_url("archivo"), "type": media.content_type_of("archivo")})
    sizes = [(main_label, _size(media.file_size))]
    downloads = []
    if media.light_file:
        sizes.append((_("light version"), _size(media.light_file_size)))
        downloads.append(
            (_("Download the light version"), media.variant_url("ligero"), media.light_file_size)
        )
    label = _("Download the full video") if is_video else _("Download the audio")
    downloads.append((label, media.variant_url("archivo"), media.file_size))
    audio = None
    if is_video and media.audio_file:
        sizes.append((_("audio only"), _size(media.audio_file_size)))
        audio = {
            "url": media.variant_url("audio"),
            "type": media.content_type_of("audio"),
            "size": _size(media.audio_file_size),
        }
        downloads.append((_("Download the audio only"), audio["url"], media.audio_file_size))
    captions = media.captions
    languages = [c["language"] for c in captions]
    current = (get_language() or "es").split("-")[0]
    default = current if current in languages else ("es" if "es" in languages else None)
    return {
        "media": media,
        "is_video": is_video,
        "title": title or media.title,
        "dom_id": dom_id or f"media-{media.pk}",
        "sources": sources,
        "sizes": [(name, size) for name, size in sizes if size],
        "downloads": [(name, url, _size(size)) for name, url, size in downloads],
        "audio": audio,
        "captions": captions,
        "default_captions": default,
        "poster": media.variant_url("portada") if is_video and media.thumbnail else "",
        "duration": _duration(media.duration),
        "has_light": bool(media.light_file),
    }
