"""The independent check: the Digital Credentials Consortium's verifier (npm, run with Node)
accepts the credentials we issue and rejects a tampered or a revoked one.

The test host has no public HTTPS, so the verifier gets our DID document and status list
credential through its document loader (scripts/verify-credential.mjs); the JSON-LD contexts
come from the installed npm context packages.
"""

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from certificates import services
from certificates.credentials import configuration

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify-credential.mjs"
VERIFIER = Path(settings.BASE_DIR) / "node_modules" / "@digitalcredentials" / "vc"

pytestmark = pytest.mark.skipif(
    (shutil.which("node") is None or not VERIFIER.exists()) and not os.environ.get("CI"),
    reason="node or the npm verifier packages are missing (make js-deps)",
)


def dcc_verify(client, document: dict) -> dict:
    status_url = document["credentialStatus"]["statusListCredential"]
    status_list = client.get(status_url.removeprefix(settings.SITE_URL)).json()
    payload = {
        "credential": document,
        "documents": {
            configuration.issuer_did(): client.get("/.well-known/did.json").json(),
            status_url: status_list,
        },
    }
    run = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_the_dcc_verifier_accepts_our_credential(client, certificate):
    result = dcc_verify(client, certificate.credentials.get().document)
    assert result["verified"], result
    assert {entry["id"] for entry in result["log"] if entry["valid"]} == {
        "valid_signature",
        "issuer_did_resolves",
        "revocation_status",
        "expiration",
    }


def test_the_dcc_verifier_rejects_a_credential_whose_name_was_changed(client, certificate):
    tampered = copy.deepcopy(certificate.credentials.get().document)
    tampered["credentialSubject"]["identifier"][1]["identityHash"] = "Otra Persona"
    result = dcc_verify(client, tampered)
    assert not result["verified"]
    assert "Invalid signature." in result["errors"]


def test_the_dcc_verifier_rejects_a_revoked_credential(client, certificate):
    document = certificate.credentials.get().document
    services.certificate_revoke(certificate=certificate, reason="Emitido por error")
    result = dcc_verify(client, document)
    assert not result["verified"]
    assert {"id": "valid_signature", "valid": True} in result["log"]
    assert {"id": "revocation_status", "valid": False} in result["log"]


def test_the_dcc_verifier_accepts_an_expiring_credential_and_one_signed_before_a_key_rotation(
    client, settings, learner, django_capture_on_commit_callbacks
):
    from certificates.credentials.keys import generate_key
    from certificates.models import Certificate
    from courses.factories import course_tree

    from .conftest import complete_course

    course = course_tree(
        modules=1, lessons=1, title="Debida diligencia", hours=8, certificate_validity_months=12
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    document = Certificate.objects.get(user=learner, course=course).credentials.get().document
    assert "validUntil" in document
    settings.CREDENTIAL_SIGNING_KEYS = [generate_key("key-new"), *settings.CREDENTIAL_SIGNING_KEYS]
    result = dcc_verify(client, document)
    assert result["verified"], result
    assert (
        reverse("certificates:credential_status_list", args=[1])
        in document["credentialStatus"]["id"]
    )


@pytest.mark.slow
def test_the_dcc_verifier_accepts_every_demo_credential(
    client, db, django_capture_on_commit_callbacks
):
    import io

    from certificates.credentials.selectors import certificate_credential
    from certificates.demo import seed
    from certificates.models import Certificate
    from courses.demo import seed as seed_courses
    from lms.demo import seed_people

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        seed_people(stdout=out, size=0)
        seed_courses(stdout=out, size=0)
        seed(stdout=out, size=0)
    documents = [certificate_credential(c).document for c in Certificate.objects.all()]
    assert documents
    status_urls = {d["credentialStatus"]["statusListCredential"] for d in documents}
    payload = {
        "credentials": documents,
        "documents": {
            configuration.issuer_did(): client.get("/.well-known/did.json").json(),
            **{url: client.get(url.removeprefix(settings.SITE_URL)).json() for url in status_urls},
        },
    }
    run = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    results = json.loads(run.stdout)
    assert len(results) == len(documents)
    assert all(result["verified"] for result in results), results
