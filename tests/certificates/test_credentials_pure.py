"""The pure credential modules: keys, status lists, proofs, documents and checks (no database)."""

import copy
import gzip
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings

from certificates.credentials import badge, checks, contexts, identity, keys, proof, status


@pytest.fixture(scope="module")
def loader():
    return contexts.document_loader(contexts.installed_contexts(settings.CREDENTIAL_CONTEXTS_FILE))


@pytest.fixture(scope="module")
def key():
    return keys.parse_key(keys.generate_key("key-1"))


DID = "did:web:formacion.example.org"
ISSUER = badge.Issuer(did=DID, name="Plataforma de formación", url="https://formacion.example.org/")
ACHIEVEMENT = badge.Achievement(
    url="https://formacion.example.org/certificados/logros/7/",
    name="Masculinidades y cuidados",
    description="Curso en línea.",
    criteria="Concluir el curso (12 horas).",
    criteria_url="https://formacion.example.org/masculinidades/curso/",
    hours=Decimal("12.0"),
    programme="Masculinidades no violentas",
    image_url="https://formacion.example.org/static/badge.svg",
)
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def award(**changes):
    values = {
        "credential_id": "urn:uuid:6f1e9b9e-7c1a-4c5e-9b7a-1a2b3c4d5e6f",
        "learner_email": "Maria@Example.org",
        "learner_name": "María Ꞌuxmal Núñez",
        "salt": "a1b2",
        "completed_on": date(2026, 11, 30),
        "valid_from": NOW,
        "valid_until": None,
        "status_list_url": "https://formacion.example.org/certificados/credenciales/estado/1/",
        "status_index": 42,
        "certificate_url": "https://formacion.example.org/v/ABCDE-FGH23",
    }
    return badge.Award(**{**values, **changes})


def signed(key, loader, **changes):
    document = badge.credential_document(
        issuer=ISSUER, achievement=ACHIEVEMENT, award=award(**changes)
    )
    return proof.sign(
        document, key=key, verification_method=f"{DID}#{key.key_id}", created=NOW, loader=loader
    )


@pytest.mark.parametrize(
    ("site_url", "did"),
    [
        ("https://formacion.example.org", "did:web:formacion.example.org"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("https://example.org/lms", "did:web:example.org:lms"),
    ],
)
def test_did_web_names_the_sites_host(site_url, did):
    assert identity.did_web(site_url) == did


def test_a_generated_key_reads_back_and_publishes_an_ed25519_multikey(key):
    again = keys.parse_key(f"key-1={keys.secret_multibase(key.private_key)}")
    assert again.public_multibase == key.public_multibase
    assert key.public_multibase.startswith("z6Mk")  # Ed25519 Multikey public keys always do


@pytest.mark.parametrize("line", ["", "no-secret", "bad id=z123", "key=zzzz", "key=uAAAA"])
def test_a_malformed_key_is_refused_with_a_message(line):
    with pytest.raises(keys.InvalidKey):
        keys.parse_keys([line or "="])


@pytest.mark.parametrize("positions", [[], [0], [7, 8, 131_071], list(range(0, 400, 3))])
def test_status_list_round_trip_sets_exactly_the_given_bits(positions):
    encoded = status.encode(positions)
    assert encoded.startswith("u")
    bits = status.decode(encoded)
    assert len(bits) == status.LIST_SIZE // 8
    assert [i for i in range(status.LIST_SIZE) if status.is_set(bits, i)] == sorted(positions)


def test_status_list_is_gzip_with_the_first_index_as_the_left_most_bit():
    data = status.decode(status.encode([0, 9]))
    assert gzip.compress(data, mtime=0)  # decodes as gzip
    assert data[0] == 0x80 and data[1] == 0x40


def test_status_numbers_map_to_lists_of_131072():
    assert status.locate(5) == (1, 5)
    assert status.locate(131_072) == (2, 0)


def test_credential_is_an_open_badge_with_hashed_email_and_vc2_contexts(key, loader):
    document = signed(key, loader, valid_until=datetime(2027, 12, 1, tzinfo=UTC))
    assert document["@context"] == [contexts.VC_V2, contexts.OB_V3]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    email = document["credentialSubject"]["identifier"][0]
    assert email["identityHash"] == badge.identity_hash("maria@example.org", "a1b2")
    assert "maria" not in str(email).lower()
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["id"] == ACHIEVEMENT.url and achievement["creditsAvailable"] == 12
    assert document["validUntil"] == "2027-12-01T00:00:00Z"
    assert document["credentialStatus"]["statusListIndex"] == "42"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_no_term_of_the_credential_is_dropped_by_json_ld_expansion(key, loader):
    """Every property maps to an IRI in the installed contexts (a verifier's safe mode)."""
    from pyld import jsonld

    document = signed(key, loader)
    compacted = jsonld.compact(
        jsonld.expand(document, {"documentLoader": loader}),
        document["@context"],
        {"documentLoader": loader},
    )
    assert set(compacted) - {"@context"} == set(document) - {"@context"}
    assert set(compacted["credentialSubject"]) == set(document["credentialSubject"])


def test_signature_verifies_and_any_change_breaks_it(key, loader):
    document = signed(key, loader)
    public = {f"{DID}#key-1": key.public_multibase}
    assert proof.verify(document, public_keys=public, loader=loader)
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["identifier"][1]["identityHash"] = "Otra Persona"
    assert not proof.verify(tampered, public_keys=public, loader=loader)
    renamed = copy.deepcopy(document)
    renamed["name"] = "Otro curso"
    assert not proof.verify(renamed, public_keys=public, loader=loader)


def test_a_key_not_in_the_did_document_does_not_verify(key, loader):
    other = keys.parse_key(keys.generate_key("key-1"))
    assert not proof.verify(
        signed(key, loader), public_keys={f"{DID}#key-1": other.public_multibase}, loader=loader
    )


def test_the_loader_refuses_anything_not_installed(loader):
    from pyld.jsonld import JsonLdError

    with pytest.raises(JsonLdError):
        loader("https://example.org/context.json", {})


@pytest.mark.parametrize(
    ("revoked", "now", "expect"),
    [
        (False, NOW + timedelta(days=1), (True, True, True, True)),
        (True, NOW + timedelta(days=1), (True, False, True, False)),
        (False, NOW + timedelta(days=800), (True, True, False, False)),
        (False, NOW - timedelta(days=1), (True, True, False, False)),
    ],
)
def test_checks_say_which_of_signature_status_and_dates_failed(key, loader, revoked, now, expect):
    document = signed(key, loader, valid_until=NOW + timedelta(days=365))
    outcome = checks.check(
        document,
        issuer_did=DID,
        public_keys={f"{DID}#key-1": key.public_multibase},
        revoked=revoked,
        now=now,
        loader=loader,
    )
    assert (outcome.signature, outcome.status, outcome.expiry, outcome.valid) == expect


def test_a_credential_of_another_issuer_is_not_checked_here(key, loader):
    document = signed(key, loader)
    document["issuer"] = {"id": "did:web:elsewhere.example", "type": ["Profile"], "name": "Otro"}
    outcome = checks.check(
        document, issuer_did=DID, public_keys={}, revoked=False, now=NOW, loader=loader
    )
    assert not outcome.issued_here and not outcome.valid
