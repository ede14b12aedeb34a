"""The issuer as this site configures it: keys, DID, profile, document loader (reads settings)."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from . import contexts, identity
from .badge import Issuer
from .keys import SigningKey, parse_keys


def key_lines() -> list[str]:
    """The configured keys: CREDENTIAL_SIGNING_KEYS, else the lines of CREDENTIAL_KEYS_FILE."""
    if settings.CREDENTIAL_SIGNING_KEYS:
        return list(settings.CREDENTIAL_SIGNING_KEYS)
    path = settings.CREDENTIAL_KEYS_FILE
    if path and Path(path).is_file():
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return []


def signing_keys() -> list[SigningKey]:
    """Every configured key, the signing key first; [] when credentials are not configured."""
    return parse_keys(key_lines())


def issuer_did() -> str:
    return identity.did_web(settings.SITE_URL)


def issuer() -> Issuer:
    return Issuer(did=issuer_did(), name=settings.WAGTAIL_SITE_NAME, url=settings.SITE_URL + "/")


def did_document() -> dict:
    return identity.did_document(did=issuer_did(), keys=signing_keys())


def absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def document_loader(documents: dict[str, dict] | None = None) -> contexts.DocumentLoader:
    return contexts.document_loader(
        contexts.installed_contexts(settings.CREDENTIAL_CONTEXTS_FILE), documents
    )
