"""The upload rules of hosted media, read from the files' content (no database); the refusals
are in Spanish for the Spanish-speaking editor."""

import io

import pytest
from django.utils import translation

from hosted_media.uploads import (
    MediaRejected,
    check_captions,
    check_media_file,
    check_poster,
)

from .conftest import asset

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nHola\n"
VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHola\n"


def rejection(check, content: bytes, name: str, **kwargs) -> str:
    with translation.override("es"), pytest.raises(MediaRejected) as caught:
        check(io.BytesIO(content), name=name, size=len(content), **kwargs)
    with translation.override("es"):
        return str(caught.value.message)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (SRT, "subtitulos.vtt", "su primera línea debe ser «WEBVTT»"),
        (b"WEBVTTX\n\n00:00:00.000 --> 00:00:01.000\nx\n", "s.vtt", "primera línea"),
        ("WEBVTT\n\nÁ".encode("latin-1"), "s.vtt", "UTF-8"),
        (b"WEBVTT\n\nsin tiempos\n", "s.vtt", "no tiene"),
        (VTT, "subtitulos.srt", ".vtt"),
        (b"", "s.vtt", "vacío"),
    ],
)
def test_captions_that_are_not_webvtt_are_refused_in_spanish(content, name, expected):
    assert expected in rejection(check_captions, content, name, max_bytes=1024)


@pytest.mark.parametrize(
    "content", [VTT, b"\xef\xbb\xbf" + VTT, VTT.replace(b"WEBVTT\n", b"WEBVTT - es\r\n")]
)
def test_webvtt_captions_are_accepted_with_a_bom_a_header_or_crlf(content):
    assert "Hola" in check_captions(
        io.BytesIO(content), name="s.vtt", size=len(content), max_bytes=1024
    )


def test_captions_over_the_limit_are_refused():
    assert "demasiado grande" in rejection(check_captions, VTT, "s.vtt", max_bytes=10)


@pytest.mark.parametrize(
    ("name", "media_type", "mime"),
    [
        ("demo-video.mp4", "video", "video/mp4"),
        ("demo-video-ligero.mp4", "video", "video/mp4"),
        ("demo-audio.mp3", "audio", "audio/mpeg"),
    ],
)
def test_real_video_and_audio_files_are_accepted(name, media_type, mime):
    content = asset(name)
    found = check_media_file(
        io.BytesIO(content),
        name=name,
        size=len(content),
        media_type=media_type,
        max_bytes=10**6,
    )
    assert found.mime == mime


@pytest.mark.parametrize(
    ("content", "name", "media_type", "expected"),
    [
        (PDF, "clase.mp4", "video", "MP4 o WebM"),
        ("demo-audio.mp3", "audio.mp4", "video", "MP4 o WebM"),
        ("demo-video.mp4", "video.mp3", "audio", "MP3, OGG o M4A"),
        ("demo-video.mp4", "video.webm", "video", "«.webm»"),
        (b"", "vacio.mp4", "video", "vacío"),
        ("demo-video.mp4", "grande.mp4", "video", "el límite es 50 KB"),
    ],
)
def test_files_that_are_not_what_they_claim_or_too_large_are_refused(
    content, name, media_type, expected
):
    if isinstance(content, str):
        content = asset(content)
    limit = 50 * 1024 if name == "grande.mp4" else 10**6
    message = rejection(check_media_file, content, name, media_type=media_type, max_bytes=limit)
    assert expected in message


def test_a_poster_must_be_a_small_image():
    poster = asset("demo-poster.jpg")
    assert check_poster(io.BytesIO(poster), name="p.jpg", size=len(poster), max_bytes=10**5)
    assert "demasiado grande" in rejection(check_poster, poster, "p.jpg", max_bytes=1024)
    assert "JPEG, PNG o WebP" in rejection(check_poster, PDF, "p.jpg", max_bytes=10**5)
