"""Question import from GIFT or Moodle XML, in two steps: a plan that writes nothing (what the
admin preview and ``--dry-run`` show), then the import itself, which follows the plan.

The plan says, per category path and question type, how many questions the file holds; what is
left out and why (Moodle types this platform does not have, descriptions, embedded files) and
what is kept with a note (hidden flags); and which questions match ones already in the bank: by
ID number within the category, else by name within the category (by text for unnamed ones).
A match is updated, skipped, or imported again as a new question, as the editor chooses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale

from . import gift, moodle_xml
from .gift_bank import question_children_create, question_fields, question_from_gift
from .models import (
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionMatchPair,
    QuestionNumericAnswer,
)

DEFAULT_CATEGORY = "Importadas"
ON_MATCH = ("skip", "update", "new")


@dataclass
class PlannedQuestion:
    item: gift.GiftQuestion
    path: tuple[str, ...]
    match: Question | None = None
    matched_by: str = ""  # "idnumber" | "name" | "text"


@dataclass
class ImportPlan:
    """What an import of one file would do; nothing is written to build it."""

    questions: list[PlannedQuestion]
    left_out: list[str]
    notes: list[str]
    categories: dict[tuple[str, ...], moodle_xml.CategoryInfo] = field(default_factory=dict)
    new_categories: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def matches(self) -> list[PlannedQuestion]:
        return [p for p in self.questions if p.match is not None]

    def summary(self) -> list[tuple[str, list[tuple[str, int]], int]]:
        """Per category path (as text), the count per type label, and the total."""
        labels = dict(Question.Type.choices)
        rows: dict[tuple[str, ...], Counter] = {}
        for planned in self.questions:
            rows.setdefault(planned.path, Counter())[planned.item.qtype] += 1
        return [
            (
                " / ".join(path),
                [(str(labels.get(t, t)), n) for t, n in sorted(counts.items())],
                sum(counts.values()),
            )
            for path, counts in rows.items()
        ]


@dataclass
class ImportResult:
    created: list[Question]
    updated: list[Question]
    skipped: list[Question]
    left_out: list[str]
    notes: list[str]


def _parse(source: str, category_name: str) -> tuple[list[gift.GiftQuestion], list[str], dict]:
    if moodle_xml.looks_like_xml(source):
        parsed = moodle_xml.parse(source, category=category_name)
        return parsed.questions, parsed.skipped, parsed.categories
    items = gift.parse(source, category=category_name)
    left_out = [
        _(
            "“%(name)s” (line %(line)s): a description (text without a question) is not a "
            "question here"
        )
        % {"name": item.name or item.text[:40], "line": item.line}
        for item in items
        if item.qtype == gift.DESCRIPTION
    ]
    questions = [item for item in items if item.qtype != gift.DESCRIPTION]
    if not questions:
        raise gift.GiftError(
            [
                gift.GiftProblem(1, _("the file holds no question that can be imported")),
                *(gift.GiftProblem(1, note) for note in left_out),
            ]
        )
    return questions, left_out, {}


def _path(item: gift.GiftQuestion, category_name: str) -> tuple[str, ...]:
    if category_name:
        return (category_name[:255],)
    return tuple(gift.category_parts(item.category)) or (DEFAULT_CATEGORY,)


def _existing_category(path: tuple[str, ...]) -> QuestionCategory | None:
    parent = None
    for name in path:
        parent = QuestionCategory.objects.filter(parent=parent, name=name).first()
        if parent is None:
            return None
    return parent


def _find_match(
    item: gift.GiftQuestion, category: QuestionCategory | None
) -> tuple[Question | None, str]:
    if category is None:
        return None, ""
    # Translations share the source's ID number and category: match the source questions only.
    questions = Question.objects.filter(category=category, locale=Locale.get_default()).order_by(
        "id"
    )
    if item.idnumber:
        found = questions.filter(idnumber=item.idnumber).first()
        if found:
            return found, "idnumber"
    if item.name:
        found = questions.filter(name=item.name[:255]).first()
        return (found, "name") if found else (None, "")
    found = questions.filter(name="", text=item.text).first()
    return (found, "text") if found else (None, "")


def import_plan(*, source: str, category_name: str = "") -> ImportPlan:
    """Read a GIFT or Moodle XML text and say what importing it would do (GiftError with line
    numbers when the file is malformed). Reads the bank; writes nothing."""
    category_name = category_name.strip()
    items, left_out, infos = _parse(source, category_name)
    plan = ImportPlan(questions=[], left_out=list(left_out), notes=[])
    for path_text, info in infos.items():
        plan.categories[tuple(gift.category_parts(path_text))] = info
    categories: dict[tuple[str, ...], QuestionCategory | None] = {}
    for item in items:
        path = _path(item, category_name)
        if path not in categories:
            categories[path] = _existing_category(path)
            for depth in range(1, len(path) + 1):
                prefix = path[:depth]
                if prefix not in plan.new_categories and _existing_category(prefix) is None:
                    plan.new_categories.append(prefix)
        match, how = _find_match(item, categories[path])
        plan.questions.append(PlannedQuestion(item=item, path=path, match=match, matched_by=how))
        label = item.name or item.text[:40]
        if item.hidden:
            plan.notes.append(
                _("“%(name)s” is hidden in Moodle; it is imported, and quizzes may draw it")
                % {"name": label}
            )
        if item.tags:
            plan.notes.append(
                _("“%(name)s”: its Moodle tags (%(tags)s) are not kept")
                % {"name": label, "tags": ", ".join(item.tags)}
            )
    return plan


def _category_for(path: tuple[str, ...], infos: dict) -> QuestionCategory:
    parent = None
    for depth, name in enumerate(path, start=1):
        info = infos.get(path[:depth])
        category, created = QuestionCategory.objects.get_or_create(parent=parent, name=name)
        if info and (created or not category.description) and (info.description or info.idnumber):
            category.description = category.description or info.description
            category.idnumber = category.idnumber or info.idnumber
            category.save(update_fields=["description", "idnumber"])
        parent = category
    return parent


def _update(question: Question, item: gift.GiftQuestion) -> Question:
    """Replace a bank question's content with the file's (attempts keep their own snapshots)."""
    for name, value in question_fields(item).items():
        setattr(question, name, value)
    question.save()
    QuestionChoice.objects.filter(question=question).delete()
    QuestionNumericAnswer.objects.filter(question=question).delete()
    QuestionMatchPair.objects.filter(question=question).delete()
    question_children_create(question, item)
    return question


@transaction.atomic
def questions_import_apply(
    *, source: str, category_name: str = "", on_match: str = "skip"
) -> ImportResult:
    """Import a GIFT or Moodle XML file as `import_plan` describes it: every question, or none
    when one is malformed (GiftError). Nested categories are created with their descriptions
    and ID numbers; matches are skipped, updated or imported again (`on_match`). Importing the
    same file twice with "skip" or "update" creates nothing the second time."""
    if on_match not in ON_MATCH:
        raise ValueError(on_match)
    plan = import_plan(source=source, category_name=category_name)
    result = ImportResult(
        created=[], updated=[], skipped=[], left_out=plan.left_out, notes=plan.notes
    )
    categories: dict[tuple[str, ...], QuestionCategory] = {}
    for planned in plan.questions:
        if planned.match is not None and on_match == "skip":
            result.skipped.append(planned.match)
            continue
        if planned.match is not None and on_match == "update":
            result.updated.append(_update(planned.match, planned.item))
            continue
        if planned.path not in categories:
            categories[planned.path] = _category_for(planned.path, plan.categories)
        question = question_from_gift(planned.item, categories[planned.path])
        result.created.append(question)
    return result
