"""Make an Ed25519 key for signing credentials; with --write, make it the signing key.

Printed as ``<key-id>=<secretKeyMultibase>`` for CREDENTIAL_SIGNING_KEYS (put it first, keep the
old ones after it: they stay in did.json so what they signed still verifies). With --write the
line goes first in CREDENTIAL_KEYS_FILE, which keeps the older keys below it. Never commit a key.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates.credentials.configuration import key_lines
from certificates.credentials.keys import InvalidKey, generate_key


class Command(BaseCommand):
    help = "Make an Ed25519 credential signing key (and, with --write, rotate to it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--id", dest="key_id", default="", help="Key id (default: key-<date-time>)."
        )
        parser.add_argument(
            "--write", action="store_true", help="Put it first in CREDENTIAL_KEYS_FILE."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="With --write: only when no key is configured.",
        )

    def handle(self, *args, key_id: str, write: bool, if_missing: bool, **options):
        if write and if_missing and key_lines():
            self.stdout.write("A credential key is already configured.")
            return
        key_id = key_id or "key-" + timezone.now().strftime("%Y%m%d%H%M%S")
        try:
            line = generate_key(key_id)
        except InvalidKey as error:
            raise CommandError(str(error)) from error
        if not write:
            self.stdout.write(line)
            return
        if settings.CREDENTIAL_SIGNING_KEYS:
            raise CommandError(
                "CREDENTIAL_SIGNING_KEYS is set: put the printed key first in it instead of "
                "--write."
            )
        if not settings.CREDENTIAL_KEYS_FILE:
            raise CommandError("Set CREDENTIAL_KEYS_FILE to write the key to a file.")
        path = Path(settings.CREDENTIAL_KEYS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        older = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(line + "\n" + older, encoding="utf-8")
        path.chmod(0o600)
        self.stdout.write(f"Credential key {key_id} now signs; older keys kept in {path}.")
