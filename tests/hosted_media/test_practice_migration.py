"""community 0002: a practice whose video and captions were Wagtail documents gets a hosted media
item that uses the same stored files; the page keeps its transcripts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("community", "0001_community_spaces_library_directory")]


def _latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_practice_video_document_becomes_hosted_media_with_its_captions():
    from wagtail.models import Collection

    from community.models import LibraryIndexPage, PracticePage
    from courses.factories import site_home
    from hosted_media.models import HostedMedia
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    library = site_home().add_child(instance=LibraryIndexPage(title="Biblioteca", slug="bib"))
    practice = library.add_child(
        instance=PracticePage(
            title="Círculo de hombres",
            summary="Resumen",
            organisation_name="OSC",
            approach="<p>Enfoque</p>",
            transcript="<p>«Aprendimos a <b>cuidar</b>»</p>",
        )
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Document = old.get_model("wagtaildocs", "Document")
        video = Document.objects.create(
            title="Video del círculo",
            file="documents/circulo.mp4",
            file_size=123456,
            collection_id=root.pk,
        )
        captions = Document.objects.create(
            title="Subtítulos", file="documents/circulo.vtt", collection_id=root.pk
        )
        old.get_model("community", "PracticePage").objects.filter(pk=practice.pk).update(
            video=video, captions=captions
        )
    finally:
        _latest()

    practice = PracticePage.objects.get(pk=practice.pk)
    media = HostedMedia.objects.get()
    assert practice.media == media
    assert (media.type, media.title, media.file.name, media.file_size) == (
        "video",
        "Video del círculo",
        "documents/circulo.mp4",
        123456,
    )
    assert media.captions_es.name == "documents/circulo.vtt"
    assert media.transcript == "«Aprendimos a cuidar»"
    assert practice.transcript == "<p>«Aprendimos a <b>cuidar</b>»</p>"
