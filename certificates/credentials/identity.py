"""The issuer's did:web identifier and DID document; no database."""

from urllib.parse import quote, urlsplit

from .keys import SigningKey

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def did_web(site_url: str) -> str:
    """did:web for the site's host (a port is percent-encoded, a path becomes ':' segments)."""
    parts = urlsplit(site_url)
    host = quote(parts.netloc, safe="")
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did", "web", host, *segments])


def verification_method_id(did: str, key_id: str) -> str:
    return f"{did}#{key_id}"


def did_document(*, did: str, keys: list[SigningKey]) -> dict:
    """The DID document served at /.well-known/did.json: every configured key as a Multikey
    assertion method, the signing key first and retired keys after it."""
    methods = [
        {
            "id": verification_method_id(did, key.key_id),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_multibase,
        }
        for key in keys
    ]
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
        "authentication": [method["id"] for method in methods],
    }


def public_keys(document: dict) -> dict[str, str]:
    """verification method id → publicKeyMultibase, from a DID document."""
    return {
        method["id"]: method["publicKeyMultibase"]
        for method in document.get("verificationMethod", [])
        if method.get("type") == "Multikey" and "publicKeyMultibase" in method
    }
