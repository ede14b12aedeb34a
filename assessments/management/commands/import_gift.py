"""python manage.py import_gift FILE [--category NAME]: the GIFT import (import_questions also takes
Moodle XML)."""

from .import_questions import Command as ImportQuestions


class Command(ImportQuestions):
    help = (
        "Import questions from a GIFT file into the question bank (all or nothing); Moodle XML "
        "works too."
    )
