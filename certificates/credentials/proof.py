"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite; no database.

The W3C algorithm: canonicalise the proof options (with the document's @context) and the
document without its proof using RDF Dataset Canonicalization (pyld's URDNA2015, which
RDFC-1.0 standardised), hash each with SHA-256, sign the proof-options hash followed by the
document hash with Ed25519, and write the signature as multibase base58btc.
"""

import hashlib
from datetime import UTC, datetime

from pyld import jsonld

from .contexts import DocumentLoader
from .keys import (
    SigningKey,
    multibase_decode,
    multibase_encode,
    public_key_from_multibase,
    verify_signature,
)

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


def canonical_nquads(document: dict, loader: DocumentLoader) -> str:
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
    )


def _hash_data(document: dict, proof_options: dict, loader: DocumentLoader) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {
        **{k: v for k, v in proof_options.items() if k != "proofValue"},
        "@context": unsecured["@context"],
    }
    config_hash = hashlib.sha256(canonical_nquads(config, loader).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured, loader).encode("utf-8")).digest()
    return config_hash + document_hash


def xsd_datetime(moment: datetime) -> str:
    """A timestamp as xsd:dateTimeStamp in UTC, to the second (as VC 2.0 writes them)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: dict,
    *,
    key: SigningKey,
    verification_method: str,
    created: datetime,
    loader: DocumentLoader,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """The document with an eddsa-rdfc-2022 DataIntegrityProof added (a new dict)."""
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = key.sign(_hash_data(document, options, loader))
    return {**document, "proof": {**options, "proofValue": multibase_encode(signature)}}


def verify(document: dict, *, public_keys: dict[str, str], loader: DocumentLoader) -> bool:
    """Whether the document's proof is a valid eddsa-rdfc-2022 proof by one of `public_keys`
    (verification method id → publicKeyMultibase). A malformed proof is simply invalid."""
    proof = document.get("proof")
    if (
        not isinstance(proof, dict)
        or proof.get("type") != PROOF_TYPE
        or proof.get("cryptosuite") != CRYPTOSUITE
    ):
        return False
    public = public_keys.get(proof.get("verificationMethod", ""))
    if public is None or proof.get("proofPurpose") != "assertionMethod":
        return False
    try:
        signature = multibase_decode(proof.get("proofValue", ""))
        data = _hash_data(document, proof, loader)
        return verify_signature(public_key_from_multibase(public), signature, data)
    except (ValueError, jsonld.JsonLdError):
        return False
