"""Build the demo site: two programmes, people, cohorts, progress. Idempotent.

Every app adds its part through the ``lms_seed_demo`` hook (see `lms.demo`), in hook order.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks

from lms.demo import DEMO_PASSWORD, demo_logins, seed_people


class Command(BaseCommand):
    help = "Create or update the demo content (a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            type=int,
            default=0,
            help="Extra learners to create for load tests (default 0).",
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, size: int, quiet: bool, **options):
        with transaction.atomic():
            seed_people(stdout=self.stdout, size=size)
        for fn in hooks.get_hooks("lms_seed_demo"):
            with transaction.atomic():
                fn(stdout=self.stdout, size=size)
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo listo. Cuentas de demostración (contraseña: %s):" % DEMO_PASSWORD
            )
        )
        for email, roles in demo_logins():
            self.stdout.write(f"  {email:40} {roles}")
