"""The demo's hosted video: a 12-second clip with Spanish and English captions, a light version,
an audio-only version and a poster, made once with ffmpeg and kept in demo_assets/ (about
200 KB in all), so the demo and the tests need no ffmpeg. Idempotent."""

from pathlib import Path

from django.core.files import File
from wagtail.models import Collection

from .models import HostedMedia
from .services import hosted_media_create

ASSETS = Path(__file__).resolve().parent / "demo_assets"
DEMO_TITLE = "Cuidar también es cosa de hombres"
TRANSCRIPT = (
    "[Música suave de fondo]\n\n"
    "Narración: Cuidar también es cosa de hombres. Escuchar sin interrumpir es una forma de "
    "respeto. Compartir las tareas del hogar cambia la vida de toda la familia.\n\n"
    "En pantalla, sobre fondo azul, aparecen una tras otra las tres frases."
)
FILES = {
    "file": "demo-video.mp4",
    "light_file": "demo-video-ligero.mp4",
    "audio_file": "demo-audio.mp3",
    "captions_es": "demo-subtitulos.es.vtt",
    "captions_en": "demo-subtitulos.en.vtt",
    "thumbnail": "demo-poster.jpg",
}


def demo_media() -> HostedMedia:
    """The demo video, created on first call from the files in demo_assets/."""
    existing = HostedMedia.objects.filter(title=DEMO_TITLE).order_by("pk").first()
    if existing:
        return existing
    # Wagtail's migrations make the root collection; a flushed test database lacks it.
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    handles = {field: open(ASSETS / name, "rb") for field, name in FILES.items()}  # noqa: SIM115
    try:
        return hosted_media_create(
            title=DEMO_TITLE,
            media_type="video",
            transcript=TRANSCRIPT,
            duration=12,
            width=640,
            height=360,
            **{field: File(handle, name=FILES[field]) for field, handle in handles.items()},
        )
    finally:
        for handle in handles.values():
            handle.close()
