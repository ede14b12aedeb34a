import re

from django.core import mail
from django.utils import timezone

from privacy.models import PrivacyNotice

SIGNUP = {
    "full_name": "Itzel Ku'uyoc Chablé",
    "email": "itzel@example.org",
    "preferred_language": "es",
    "password1": "una-clave-larga-2026",
    "password2": "una-clave-larga-2026",
}


def publish_notice(version: int = 1, *, material: bool = True) -> list[PrivacyNotice]:
    return [
        PrivacyNotice.objects.create(
            language=lang,
            version=version,
            material_change=material,
            title=f"Aviso v{version}",
            short_text=f"<p>Aviso corto {version} ({lang})</p>",
            full_text=f"<p>Aviso integral {version} ({lang})</p>",
            published_at=timezone.now(),
        )
        for lang in ("es", "en")
    ]


def link_in_outbox(pattern: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(r"https?://\S*" + pattern + r"\S*", message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no e-mail with a link matching {pattern!r}")


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
