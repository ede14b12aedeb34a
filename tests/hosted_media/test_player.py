"""The player a lesson or a practice shows: nothing loads until play, light version first,
captions, each file's size, the audio-only version and the transcript; and the addresses that
serve the files (byte ranges for phones, captions from the site itself)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from courses.blocks import MediaBlock
from hosted_media.services import hosted_media_create

from .conftest import asset

pytestmark = pytest.mark.django_db


def render_block(media, title=""):
    block = MediaBlock()
    with translation.override("es"):
        html = block.render(block.to_python({"media": media.pk, "title": title}))
    return html.replace("\xa0", " ")  # filesizeformat's non-breaking space


def test_the_video_block_loads_nothing_until_play_and_offers_the_light_version_first(
    media_item,
):
    html = render_block(media_item, "Video de la lección")
    video = re.search(r"<video [^>]*>", html).group(0)
    assert 'preload="none"' in video and "controls" in video
    assert 'aria-labelledby="media-' in video
    sources = re.findall(r'<source src="([^"]+)" type="([^"]+)"', html)
    assert [s[0].split("/")[3] for s in sources] == ["ligero", "archivo", "audio"]
    assert re.search(
        r'<track kind="captions" srclang="es" label="Español" src="/medios/\d+/subtitulos-es/'
        r'demo-subtitulos[^"]*\.vtt" default>',
        html,
    )
    assert 'srclang="en"' in html
    assert re.findall(r"preload=\"([^\"]+)\"", html) == ["none", "none"]
    assert "Video de la lección" in html


def test_the_block_shows_each_file_size_and_a_clear_choice_in_spanish(media_item):
    html = render_block(media_item)
    assert "Video 100,3 KB · versión ligera 49,2 KB · solo audio 47,5 KB" in html
    assert "No se descarga nada hasta que usted pulse reproducir" in html
    assert "Descargar la versión ligera</a> (49,2 KB)" in html
    assert "Descargar el video completo</a> (100,3 KB)" in html
    assert "<summary>Escuchar solo el audio (47,5 KB)</summary>" in html
    assert "Duración 0:12" in html
    assert re.search(r"<details><summary>Leer la transcripción</summary><p>\[Música", html)


def test_an_audio_item_renders_an_audio_player_with_its_transcript(db):
    media = hosted_media_create(
        title="Entrevista",
        media_type="audio",
        file=_file("demo-audio.mp3"),
        transcript="Pregunta y respuesta.",
    )
    html = render_block(media)
    assert re.search(r'<audio id="media-\d+" controls preload="none"', html)
    assert "<video" not in html and "<track" not in html
    assert "Audio 47,5 KB" in html
    assert "Pregunta y respuesta." in html


def test_the_same_player_shows_in_a_template_for_a_practice(media_item):
    html = Template(
        "{% load hosted_media_tags %}{% media_player media dom_id='practice-media' %}"
    ).render(Context({"media": media_item}))
    assert '<video id="practice-media" controls preload="none"' in html


def _file(name):
    from django.core.files.base import ContentFile

    return ContentFile(asset(name), name=name)


def test_a_file_is_served_whole_or_by_byte_range(client, media_item):
    url = media_item.variant_url("ligero")
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == asset("demo-video-ligero.mp4")
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{media_item.light_file_size}"
    assert b"".join(part.streaming_content) == asset("demo-video-ligero.mp4")[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == asset("demo-video-ligero.mp4")[-10:]
    assert client.get(url, HTTP_RANGE="bytes=999999999-").status_code == 416


def test_captions_come_from_the_site_as_webvtt(client, media_item):
    response = client.get(media_item.variant_url("subtitulos-es"))
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(response.streaming_content).startswith(b"WEBVTT")


def test_a_wrong_file_name_or_variant_is_not_found(client, media_item):
    assert client.get(f"/medios/{media_item.pk}/ligero/otro.mp4").status_code == 404
    assert client.get(f"/medios/{media_item.pk}/secreto/demo-video.mp4").status_code == 404


def test_pages_may_play_media_from_the_site_and_the_configured_bucket_only(client, settings):
    assert "media-src 'self';" in client.get("/cuenta/entrar/")["Content-Security-Policy"] + ";"
    settings.MEDIA_SOURCE_ORIGINS = ["https://s3.example.org"]
    from django.test import Client

    header = Client().get("/cuenta/entrar/")["Content-Security-Policy"]
    assert header.endswith("media-src 'self' https://s3.example.org")


def test_deleting_an_item_removes_its_version_and_caption_files(
    media_item, django_capture_on_commit_callbacks
):
    storage = media_item.light_file.storage
    names = [media_item.light_file.name, media_item.audio_file.name, media_item.captions_es.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        media_item.delete()
    assert not any(storage.exists(name) for name in names)
