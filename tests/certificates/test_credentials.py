"""Credentials beside certificates: signed in the render, embedded in the PDF, served, revoked."""

import json
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from certificates import services
from certificates.credentials import configuration, identity, publishing, selectors, status
from certificates.models import Certificate, Credential

from .conftest import needs_tool


def test_a_rendered_certificate_has_one_signed_open_badge_credential(certificate):
    credential = certificate.credentials.get()
    document = credential.document
    key_id = configuration.signing_keys()[0].key_id
    assert credential.generation == certificate.generation and credential.key_id == key_id
    assert document["issuer"]["id"] == "did:web:formacion.example.org"
    assert document["credentialSubject"]["achievement"]["name"] == certificate.course_title
    assert (
        document["credentialSubject"]["identifier"][1]["identityHash"] == certificate.learner_name
    )
    assert certificate.user.email not in json.dumps(document)
    assert document["proof"]["verificationMethod"] == f"did:web:formacion.example.org#{key_id}"
    assert publishing.credential_check(document).valid


def test_rendering_again_in_the_same_generation_reuses_the_credential(certificate):
    """A duplicate or retried render of one generation never signs a second credential."""
    Certificate.objects.filter(pk=certificate.pk).update(state=Certificate.State.PENDING)
    first = certificate.credentials.get().document
    assert services.certificate_render(certificate_id=certificate.pk)
    assert certificate.credentials.get().document == first


def test_reissue_signs_a_new_credential_and_the_old_one_reads_as_revoked(
    certificate, django_capture_on_commit_callbacks
):
    old = certificate.credentials.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(certificate=certificate, learner_name="María Corregida")
    new = certificate.credentials.order_by("-generation").first()
    assert new.pk != old.pk and new.document["id"] != old.document["id"]
    assert new.document["credentialSubject"]["identifier"][1]["identityHash"] == "María Corregida"
    assert selectors.credential_revoked(old) and not selectors.credential_revoked(new)
    assert not publishing.credential_check(old.document).valid


@needs_tool("pdfdetach")
def test_the_pdf_carries_the_credential_as_an_associated_file(certificate, tmp_path):
    path = tmp_path / "c.pdf"
    certificate.refresh_from_db()
    path.write_bytes(certificate.pdf.read())
    listing = subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert f"credencial-{certificate.code}.json" in listing
    subprocess.run(
        ["pdfdetach", "-save", "1", "-o", str(tmp_path / "c.json"), str(path)], check=True
    )
    assert json.loads((tmp_path / "c.json").read_text()) == certificate.credentials.get().document
    objects = _pdf_objects(path.read_bytes())
    assert b"/AFRelationship /Alternative" in objects and b"/AF" in objects


def _pdf_objects(raw: bytes) -> bytes:
    """The PDF's bytes with its compressed object streams inflated (where the catalog lives)."""
    import re
    import zlib

    inflated = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_without_a_key_the_certificate_renders_without_a_credential(
    settings, learner, small_course, django_capture_on_commit_callbacks
):
    from .conftest import complete_course

    settings.CREDENTIAL_SIGNING_KEYS = []
    settings.CREDENTIAL_KEYS_FILE = ""
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get(user=learner)
    assert certificate.state == Certificate.State.READY and not certificate.credentials.exists()


def test_did_json_lists_the_signing_key_and_keeps_a_retired_one(client, settings, certificate):
    """After a rotation, credentials signed with the old key still verify."""
    from certificates.credentials.keys import generate_key

    old_document = certificate.credentials.get().document
    settings.CREDENTIAL_SIGNING_KEYS = [generate_key("key-2027"), *settings.CREDENTIAL_SIGNING_KEYS]
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:formacion.example.org"
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == [
        "key-2027",
        old_document["proof"]["verificationMethod"].split("#")[1],
    ]
    assert all(
        m["type"] == "Multikey" and m["publicKeyMultibase"].startswith("z6Mk")
        for m in document["verificationMethod"]
    )
    assert publishing.credential_check(old_document).valid


def test_the_achievement_answers_json_ld_to_a_client_and_html_to_a_browser(client, certificate):
    url = reverse("certificates:achievement", args=[certificate.course_id])
    as_json = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert as_json["Content-Type"].startswith("application/ld+json")
    assert as_json.json()["type"] == ["Achievement"]
    assert as_json.json()["id"] == settings.SITE_URL + url
    as_html = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert as_html["Content-Type"].startswith("text/html")
    assert certificate.course_title in as_html.content.decode()
    assert "Accept" in as_html["Vary"]


def test_revoking_flips_the_bit_and_the_status_list_is_signed_and_compressed(client, certificate):
    credential = certificate.credentials.get()
    list_number, index = status.locate(credential.number)
    url = reverse("certificates:credential_status_list", args=[list_number])

    def bit():
        document = client.get(url).json()
        assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        return status.is_set(status.decode(document["credentialSubject"]["encodedList"]), index)

    assert bit() is False
    services.certificate_revoke(certificate=certificate, reason="Error en el nombre")
    assert bit() is True
    outcome = publishing.credential_check(credential.document)
    assert outcome.signature and outcome.status is False and not outcome.valid
    # A manager's reinstatement (the state back to ready) clears it again: the bit is derived.
    Certificate.objects.filter(pk=certificate.pk).update(state=Certificate.State.READY)
    assert bit() is False


def test_status_list_of_a_list_never_used_is_empty_and_list_zero_is_absent(client, certificate):
    document = client.get(reverse("certificates:credential_status_list", args=[2])).json()
    assert not any(status.decode(document["credentialSubject"]["encodedList"]))
    assert client.get("/certificados/credenciales/estado/0/").status_code == 404


def test_the_learner_downloads_their_own_credential_and_nobody_else_can(
    client, certificate, other_learner
):
    url = reverse("certificates:credential_download", args=[certificate.display_code])
    assert client.get(url).status_code == 302  # login first
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    client.force_login(certificate.user)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert json.loads(response.content) == certificate.credentials.get().document


def test_the_certificate_page_fills_in_linkedins_add_to_profile_link(client, certificate):
    client.force_login(certificate.user)
    html = client.get(
        reverse("certificates:learner_certificate", args=[certificate.display_code])
    ).content.decode()
    start = html.index("https://www.linkedin.com/profile/add?")
    link = html[start : html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [certificate.course_title]
    assert query["organizationName"] == [settings.WAGTAIL_SITE_NAME]
    assert query["issueYear"] == [str(certificate.issued_on.year)]
    assert query["issueMonth"] == [str(certificate.issued_on.month)]
    assert query["certUrl"] == [certificate.verify_url]
    assert query["certId"] == [certificate.display_code]
    credential = certificate.credentials.get()
    assert configuration.absolute("certificates:credential_public", credential.uuid) in html


def test_the_wallet_address_serves_the_credential_until_it_is_revoked(client, certificate):
    credential = certificate.credentials.get()
    url = reverse("certificates:credential_public", args=[credential.uuid])
    assert client.get(url).json() == credential.document
    services.certificate_revoke(certificate=certificate, reason="x")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (None, "Esta credencial es válida."),
        ("name", "Firma: no válida"),
        ("revoke", "Estado: revocada"),
    ],
)
def test_the_verification_page_says_which_check_failed(client, certificate, change, says):
    document = certificate.credentials.get().document
    if change == "name":
        document["credentialSubject"]["identifier"][1]["identityHash"] = "Otra Persona"
    if change == "revoke":
        services.certificate_revoke(certificate=certificate, reason="x")
    html = client.post(
        reverse("certificates:credential_verify"), {"text": json.dumps(document)}
    ).content.decode()
    assert says in html


@pytest.mark.parametrize("text", ["", "not json", "[]", '{"a": 1}'])
def test_the_verification_page_answers_bad_input_with_a_message(client, db, text):
    response = client.post(reverse("certificates:credential_verify"), {"text": text})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_credential_key_command_rotates_keys_in_the_keys_file(settings, tmp_path):
    from django.core.management import call_command

    settings.CREDENTIAL_SIGNING_KEYS = []
    settings.CREDENTIAL_KEYS_FILE = str(tmp_path / "keys")
    call_command("credential_key", write=True, key_id="key-a")
    call_command("credential_key", write=True, if_missing=True)  # one is there: nothing
    call_command("credential_key", write=True, key_id="key-b")
    assert [k.key_id for k in configuration.signing_keys()] == ["key-b", "key-a"]
    assert identity.public_keys(configuration.did_document())


def test_credential_numbers_are_unique_per_generation(certificate):
    assert Credential.objects.filter(certificate=certificate).count() == 1


def test_the_status_list_is_served_from_the_cache_until_a_bit_changes(client, certificate):
    import time

    url = reverse("certificates:credential_status_list", args=[1])
    first = client.get(url)
    assert "max-age=60" in first["Cache-Control"]
    time.sleep(1.1)
    assert client.get(url).json()["proof"] == first.json()["proof"]  # not signed again
    services.certificate_revoke(certificate=certificate, reason="x")
    assert client.get(url).json()["proof"] != first.json()["proof"]


def test_without_keys_there_is_no_did_document(client, settings, db):
    settings.CREDENTIAL_SIGNING_KEYS = []
    settings.CREDENTIAL_KEYS_FILE = ""
    assert client.get("/.well-known/did.json").status_code == 404
    assert client.get(reverse("certificates:credential_status_list", args=[1])).status_code == 404


def test_the_certificate_verification_page_checks_its_credential_too(client, certificate):
    html = client.get(
        reverse("certificates:verify", args=[certificate.display_code])
    ).content.decode()
    assert "Firma: válida" in html and "Estado: no revocada" in html
    services.certificate_revoke(certificate=certificate, reason="x")
    html = client.get(
        reverse("certificates:verify", args=[certificate.display_code])
    ).content.decode()
    assert "Firma: válida" in html and "Estado: revocada" in html


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d.pop("@context"),
        lambda d: d.__setitem__("@context", 5),
        lambda d: d.__setitem__("@context", ["https://example.org/unknown-context"]),
        lambda d: d.__setitem__("issuer", ["x"]),
        lambda d: d.__setitem__("credentialStatus", [1, 2]),
        lambda d: d["proof"].__setitem__("proofValue", "not-multibase"),
        lambda d: d.__setitem__("validUntil", "yesterday"),
    ],
)
def test_a_mangled_credential_is_reported_invalid_never_a_500(client, certificate, mangle):
    document = certificate.credentials.get().document
    mangle(document)
    response = client.post(
        reverse("certificates:credential_verify"), {"text": json.dumps(document)}
    )
    assert response.status_code == 200
    assert "Esta credencial no es válida." in response.content.decode()
