import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workshops import services
from workshops.models import SessionMaterial
from workshops.uploads import MaterialRejected, check_material

from . import files


@pytest.mark.parametrize(
    ("content", "extension"),
    [(files.PDF, "pdf"), (files.PPTX, "pptx"), (files.ODP, "odp")],
)
def test_presentations_are_recognised_by_their_content(content, extension):
    assert check_material(io.BytesIO(content), size=len(content)).extension == extension


@pytest.mark.parametrize(
    "content",
    [
        files.DOCX,
        files.PLAIN_ZIP,
        files.ODT,
        files.EXE,
        files.PNG,
        files.HTML,
        b"PK\x03\x04broken",
        b"%PDF"[:3],
    ],
    ids=["docx", "zip", "odt", "exe", "png", "html", "broken-zip", "truncated"],
)
def test_other_files_are_rejected_whatever_their_name(content):
    with pytest.raises(MaterialRejected):
        check_material(io.BytesIO(content), size=len(content))


def test_a_file_over_the_limit_is_rejected_before_reading_it():
    with pytest.raises(MaterialRejected, match="20 MB"):
        check_material(io.BytesIO(files.PDF), size=20 * 1024 * 1024 + 1)


def test_an_empty_file_is_rejected():
    with pytest.raises(MaterialRejected):
        check_material(io.BytesIO(b""), size=0)


def test_a_zip_that_unpacks_too_large_is_rejected(monkeypatch):
    monkeypatch.setattr("workshops.uploads.MAX_UNCOMPRESSED", 10)
    with pytest.raises(MaterialRejected):
        check_material(io.BytesIO(files.PPTX), size=len(files.PPTX))


# Through the service and the views.


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def peer_session(peer_workshop):
    return peer_workshop.sessions.get()


@pytest.mark.django_db
def test_a_participant_shares_a_presentation_named_anything(peer_session, enrolled):
    learner = enrolled()
    services.registration_create(user=learner, session=peer_session)
    material = services.material_add(
        user=learner,
        session=peer_session,
        title="Retos",
        upload=upload("presentacion.exe", files.PPTX),
    )
    assert material.file_type == "pptx"
    assert material.file.name.endswith(".pptx")
    assert "presentacion" not in material.file.name


@pytest.mark.django_db
def test_a_pdf_renamed_from_an_executable_is_refused(peer_session, enrolled):
    learner = enrolled()
    services.registration_create(user=learner, session=peer_session)
    with pytest.raises(MaterialRejected):
        services.material_add(
            user=learner, session=peer_session, title="x", upload=upload("slides.pdf", files.EXE)
        )
    assert not SessionMaterial.objects.exists()


@pytest.mark.django_db
def test_someone_not_in_the_session_cannot_upload(peer_session, enrolled):
    with pytest.raises(MaterialRejected):
        services.material_add(
            user=enrolled(), session=peer_session, title="x", upload=upload("a.pdf", files.PDF)
        )


@pytest.mark.django_db
def test_live_trainings_take_no_presentations(session, enrolled):
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    with pytest.raises(MaterialRejected):
        services.material_add(
            user=learner, session=session, title="x", upload=upload("a.pdf", files.PDF)
        )


@pytest.mark.django_db
def test_materials_are_downloadable_by_participants_and_hidden_from_everyone_else(
    client, peer_workshop, peer_session, enrolled
):
    from workshops.factories import WorkshopSessionFactory

    author, colleague, elsewhere, outsider = enrolled(), enrolled(), enrolled(), enrolled()
    other_session = WorkshopSessionFactory(page=peer_workshop)
    services.registration_create(user=author, session=peer_session)
    services.registration_create(user=colleague, session=peer_session)
    services.registration_create(user=elsewhere, session=other_session)
    material = services.material_add(
        user=author, session=peer_session, title="Avances", upload=upload("a.pdf", files.PDF)
    )
    url = reverse("workshops:material_download", args=[material.pk])

    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert "Avances" in client.get(peer_workshop.url).content.decode()
    for user in (elsewhere, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert "Avances" not in client.get(peer_workshop.url).content.decode()


@pytest.mark.django_db
def test_the_upload_view_explains_a_refusal_and_stores_nothing(client, peer_session, enrolled):
    learner = enrolled()
    services.registration_create(user=learner, session=peer_session)
    client.force_login(learner)
    response = client.post(
        reverse("workshops:material_upload", args=[peer_session.pk]),
        {"title": "x", "file": upload("virus.pdf", files.EXE)},
        follow=True,
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not SessionMaterial.objects.exists()


@pytest.mark.django_db
def test_the_author_removes_their_presentation_and_its_file(
    client, peer_session, enrolled, django_capture_on_commit_callbacks
):
    learner = enrolled()
    services.registration_create(user=learner, session=peer_session)
    material = services.material_add(
        user=learner, session=peer_session, title="x", upload=upload("a.odp", files.ODP)
    )
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name)
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshops:material_delete", args=[material.pk]))
    assert not SessionMaterial.objects.exists()
    assert not storage.exists(name)


@pytest.mark.django_db
def test_another_participant_cannot_remove_a_presentation(client, peer_session, enrolled):
    author, other = enrolled(), enrolled()
    for user in (author, other):
        services.registration_create(user=user, session=peer_session)
    material = services.material_add(
        user=author, session=peer_session, title="x", upload=upload("a.pdf", files.PDF)
    )
    client.force_login(other)
    client.post(reverse("workshops:material_delete", args=[material.pk]))
    assert SessionMaterial.objects.filter(pk=material.pk).exists()
