"""python manage.py import_questions FILE [--category NAME] [--dry-run] [--on-match
skip|update|new]: a GIFT or Moodle XML file, all or nothing, with the same preview and choices as
the admin."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.gift import GiftError
from assessments.imports import ON_MATCH, ImportPlan, import_plan, questions_import_apply


class Command(BaseCommand):
    help = (
        "Import questions from a GIFT or Moodle XML file into the question bank (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="path to a UTF-8 GIFT or Moodle XML file, or - for standard input"
        )
        parser.add_argument("--category", default="", help="put every question in this category")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be imported; write nothing"
        )
        parser.add_argument(
            "--on-match",
            choices=ON_MATCH,
            default="skip",
            help="questions already in the bank (same ID number, else same name in the category): "
            "skip them (default), update them, or import them again as new questions",
        )

    def handle(self, *args, file, category, dry_run, on_match, **options):
        source = self._read(file)
        try:
            if dry_run:
                self._show(import_plan(source=source, category_name=category), on_match)
                return
            result = questions_import_apply(
                source=source, category_name=category, on_match=on_match
            )
        except GiftError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}:{problem.line}: {problem.message}")
            raise CommandError(
                f"nothing imported: {len(error.problems)} problem(s) in {file}"
            ) from None
        for note in result.left_out:
            self.stderr.write(f"left out: {note}")
        for note in result.notes:
            self.stderr.write(f"note: {note}")
        categories = sorted({str(q.category) for q in result.created + result.updated})
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} questions imported into {', '.join(categories) or '-'}; "
                f"{len(result.updated)} updated, {len(result.skipped)} already in the bank skipped"
            )
        )

    def _read(self, file: str) -> str:
        if file == "-":
            return sys.stdin.read().lstrip("\ufeff")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 text ({error})") from None

    def _show(self, plan: ImportPlan, on_match: str) -> None:
        self.stdout.write("Dry run: nothing was written.")
        for path, counts, total in plan.summary():
            detail = ", ".join(f"{label} {n}" for label, n in counts)
            self.stdout.write(f"  {path}: {total} ({detail})")
        for path in plan.new_categories:
            self.stdout.write(f"new category: {' / '.join(path)}")
        for planned in plan.matches:
            self.stdout.write(
                f"match ({planned.matched_by}): {planned.item.name or planned.item.text[:40]} "
                f"-> bank question {planned.match.pk}: would {on_match}"
            )
        for note in plan.left_out:
            self.stdout.write(f"left out: {note}")
        for note in plan.notes:
            self.stdout.write(f"note: {note}")
