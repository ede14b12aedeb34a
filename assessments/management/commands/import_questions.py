"""python manage.py import_questions FILE [--category NAME]: a GIFT or Moodle XML file, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.gift import GiftError
from assessments.services import questions_import


class Command(BaseCommand):
    help = "Import questions from a GIFT or Moodle XML file into the question bank (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a UTF-8 GIFT or Moodle XML file, or - for standard input")
        parser.add_argument("--category", default="", help="put every question in this category")

    def handle(self, *args, file, category, **options):
        if file == "-":
            import sys

            source = sys.stdin.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"{file}: no such file")
            try:
                source = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as error:
                raise CommandError(f"{file}: not UTF-8 text ({error})") from None
        try:
            created, skipped = questions_import(source=source, category_name=category)
        except GiftError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}:{problem.line}: {problem.message}")
            raise CommandError(f"nothing imported: {len(error.problems)} problem(s) in {file}") from None
        for note in skipped:
            self.stderr.write(f"left out: {note}")
        categories = sorted({q.category.name for q in created})
        self.stdout.write(self.style.SUCCESS(f"{len(created)} questions imported into {', '.join(categories)}"))
