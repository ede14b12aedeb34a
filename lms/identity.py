"""The one rule for comparing login e-mails: trimmed, Unicode NFKC-normalised, lower-cased.

Used by the user manager and model, sign-up, login (and django-axes' lock-out counter), password
reset and the duplicate check, so `ANA@Example.org`, ` ana@example.org ` and full-width
`ａｎａ@example.org` are one identity.
"""

import unicodedata


def normalise_email(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the lock-out counts the normalised e-mail, whatever its spelling."""
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return normalise_email(data.get("username", ""))
