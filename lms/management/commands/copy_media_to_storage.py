"""Copy the files of a local media folder into the configured storage (the S3 bucket).

Run once when moving a site that kept its files on local disk to object storage; safe to run
again: a file already in the storage with the same size is left as it is.
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Copy local media files (uploads, certificates, images, documents) into the configured "
        "storage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(settings.MEDIA_ROOT), help="local folder (default MEDIA_ROOT)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be copied, copy nothing"
        )

    def handle(self, *args, source: str, dry_run: bool, **options):
        root = Path(source)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        copied = skipped = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if default_storage.exists(name) and default_storage.size(name) == path.stat().st_size:
                skipped += 1
                continue
            if not dry_run:
                if default_storage.exists(name):
                    default_storage.delete(name)
                with path.open("rb") as handle:
                    saved = default_storage.save(name, File(handle, name=name))
                if saved != name:
                    raise CommandError(
                        f"the storage renamed {name} to {saved}; nothing else was copied"
                    )
            copied += 1
            self.stdout.write(("would copy " if dry_run else "copied ") + name)
        verb = "would copy" if dry_run else "copied"
        self.stdout.write(self.style.SUCCESS(f"{verb} {copied} file(s); {skipped} already there"))
