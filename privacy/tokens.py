"""Signed, expiring links sent by e-mail (Django's signing: no token table to keep or purge)."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "privacy.email-confirm"
DELETE_SALT = "privacy.deletion-confirm"
UNSUBSCRIBE_SALT = "privacy.unsubscribe"


def make(salt: str, **payload) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def read(salt: str, token: str, *, max_age: int | None = None) -> dict | None:
    """The payload, or None when the token is forged, malformed or older than `max_age` seconds."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def link_max_age() -> int:
    return int(getattr(settings, "PRIVACY_LINK_MAX_AGE", 3 * 24 * 3600))
