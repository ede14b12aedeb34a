"""The demo's credential key: made once (never committed), before the demo's certificates render."""

from django.conf import settings
from django.core.management import call_command

from .contexts import ContextsMissing, installed_contexts


def seed(*, stdout, size: int = 0) -> None:
    try:
        installed_contexts(settings.CREDENTIAL_CONTEXTS_FILE)
    except ContextsMissing:
        stdout.write(
            "Credenciales digitales: faltan los contextos JSON-LD (make js-deps); se omiten."
        )
        return
    if settings.CREDENTIAL_SIGNING_KEYS or not settings.CREDENTIAL_KEYS_FILE:
        return
    call_command("credential_key", write=True, if_missing=True, stdout=stdout)
