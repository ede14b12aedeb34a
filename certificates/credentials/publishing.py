"""What the issuer publishes: the signed status list credentials (cached) and credential checks.

Cache policy for status lists: the key is ``credentials:status-list:v1:<list>:<fingerprint>``,
where the fingerprint hashes the list's set bits, the signing key and the site; the bits are
derived from the database on every request (one indexed query), so a revocation or a reinstate
changes the key at once and nothing needs invalidating. Lifetime: a day. A deploy changes
nothing (the content decides the key; ``v1`` changes with the document's shape). With the
cache store down, each request signs the list afresh: slower, never wrong (bench/README.md,
"Why the code is shaped this way").
"""

import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, resolve
from django.utils import timezone

from ..models import Credential
from . import badge, checks, configuration, identity, proof, selectors, status

STATUS_LIST_SECONDS = 24 * 3600


def status_list_credential(list_number: int) -> dict | None:
    """The signed BitstringStatusListCredential of a list; None when no key is configured."""
    keys = configuration.signing_keys()
    if not keys:
        return None
    positions = selectors.revoked_positions(list_number)
    fingerprint = hashlib.sha256(
        json.dumps(
            [keys[0].key_id, keys[0].public_multibase, settings.SITE_URL, positions]
        ).encode()
    ).hexdigest()[:32]
    key = f"credentials:status-list:v1:{list_number}:{fingerprint}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    did = configuration.issuer_did()
    url = configuration.absolute("certificates:credential_status_list", list_number)
    document = badge.status_list_document(
        issuer_did=did, url=url, encoded_list=status.encode(positions), valid_from=timezone.now()
    )
    signed = proof.sign(
        document,
        key=keys[0],
        verification_method=identity.verification_method_id(did, keys[0].key_id),
        created=timezone.now(),
        loader=configuration.document_loader(),
    )
    cache.set(key, signed, STATUS_LIST_SECONDS)
    return signed


def credential_check(document: dict) -> checks.Outcome:
    """Check any credential document against this issuer: signature, status, dates."""
    did = configuration.issuer_did()
    revoked = _revoked(document)
    return checks.check(
        document,
        issuer_did=did,
        public_keys=identity.public_keys(configuration.did_document()),
        revoked=revoked,
        now=timezone.now(),
        loader=configuration.document_loader(),
    )


def _revoked(document: dict) -> bool | None:
    """What our status list says of the credential; None when it names no list of ours."""
    found = checks.status_position(document)
    if found is None or not found[0].startswith(settings.SITE_URL + "/"):
        return None
    url, index = found
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.url_name != "credential_status_list" or match.namespace != "certificates":
        return None
    number = (match.kwargs["list_number"] - 1) * status.LIST_SIZE + index
    credential = Credential.objects.filter(number=number).first()
    if credential is None or document.get("id") != f"urn:uuid:{credential.uuid}":
        return True  # not a credential we issued at that position
    return selectors.credential_revoked(credential)


def credential_verification(certificate) -> dict:
    """For a certificate's verification page: its newest credential and what checking it says."""
    credential = selectors.certificate_credential(certificate)
    if credential is None:
        return {}
    return {"credential": credential, "outcome": credential_check(credential.document)}
