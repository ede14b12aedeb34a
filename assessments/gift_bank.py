"""Between the parsed-question dataclasses (GIFT, Moodle XML) and bank models: import creates
rows, export reads them."""

from decimal import Decimal

from wagtail.models import Locale

from . import gift, grading
from .models import (
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionMatchPair,
    QuestionNumericAnswer,
)


def question_fields(item: gift.GiftQuestion) -> dict:
    """The bank question's own fields for a parsed question (not its choices, numbers or pairs)."""
    fields = {
        "name": item.name[:255],
        "qtype": item.qtype,
        "text": item.text,
        "text_format": item.text_format,
        "general_feedback": item.general_feedback,
    }
    if item.idnumber:
        fields["idnumber"] = item.idnumber[:100]
    if item.qtype == gift.TRUEFALSE:
        fields.update(
            correct_answer=bool(item.correct),
            feedback_true=item.feedback_true,
            feedback_false=item.feedback_false,
        )
    if item.qtype == gift.SHORT:
        fields["ignore_accents"] = False  # GIFT says nothing: keep Moodle's exact matching
        if item.case_sensitive is not None:
            fields["case_sensitive"] = item.case_sensitive
    if item.points is not None:
        fields["points"] = Decimal(str(round(item.points, 2)))
    return fields


def question_children_create(question: Question, item: gift.GiftQuestion) -> None:
    """Create the choices, numerical answers or pairs of a saved question from a parsed one, in
    the question's locale (bulk_create skips the signal that would set it)."""
    locale_id = question.locale_id
    QuestionChoice.objects.bulk_create(
        [
            QuestionChoice(
                question=question,
                locale_id=locale_id,
                sort_order=i,
                text=a.text[:1000],
                weight=Decimal(str(a.weight)),
                feedback=a.feedback[:1000],
            )
            for i, a in enumerate(item.answers)
        ]
    )
    QuestionNumericAnswer.objects.bulk_create(
        [
            QuestionNumericAnswer(
                question=question,
                locale_id=locale_id,
                sort_order=i,
                value=a.value,
                tolerance=a.tolerance,
                minimum=a.low,
                maximum=a.high,
                weight=Decimal(str(a.weight)),
                feedback=a.feedback[:1000],
            )
            for i, a in enumerate(item.numeric)
        ]
    )
    QuestionMatchPair.objects.bulk_create(
        [
            QuestionMatchPair(
                question=question,
                locale_id=locale_id,
                sort_order=i,
                left=p.left[:500],
                right=p.right[:500],
            )
            for i, p in enumerate(item.pairs)
        ]
    )


def question_from_gift(item: gift.GiftQuestion, category: QuestionCategory) -> Question:
    """Create one bank question (with its choices, numbers or pairs) from a parsed GIFT question,
    in the default locale: translations are made from it with wagtail-localize."""
    question = Question.objects.create(
        category=category, locale=Locale.get_default(), **question_fields(item)
    )
    question_children_create(question, item)
    return question


def question_to_gift(question: Question) -> gift.GiftQuestion | None:
    """The GIFT form of a bank question; None for Likert items, which GIFT cannot express."""
    if question.qtype == grading.LIKERT:
        return None
    item = gift.GiftQuestion(
        qtype=question.qtype,
        text=question.text,
        name=question.name,
        text_format=question.text_format if question.text_format in gift.FORMATS else "plain",
        category=gift.category_path(question.category.path),
        idnumber=question.idnumber,
        general_feedback=question.general_feedback,
    )
    if question.qtype in (gift.SINGLE, gift.MULTIPLE, gift.SHORT):
        item.answers = [
            gift.Answer(c.text, float(c.weight), c.feedback) for c in question.choices.all()
        ]
    elif question.qtype == gift.NUMERICAL:
        item.numeric = [
            gift.NumericAnswer(
                value=a.value,
                tolerance=a.tolerance,
                low=a.minimum,
                high=a.maximum,
                weight=float(a.weight),
                feedback=a.feedback,
            )
            for a in question.numeric_answers.all()
        ]
    elif question.qtype == gift.MATCHING:
        item.pairs = [gift.MatchPair(p.left, p.right) for p in question.pairs.all()]
    elif question.qtype == gift.TRUEFALSE:
        item.correct = question.correct_answer
        item.feedback_true = question.feedback_true
        item.feedback_false = question.feedback_false
    return item


def category_to_gift(category: QuestionCategory) -> tuple[str, int]:
    """GIFT text of a category's questions in the default locale (translations share their
    source's ID number: the file would import them as duplicates), and how many (Likert) could
    not be exported."""
    questions = (
        category.questions.filter(locale=Locale.get_default())
        .select_related("category")
        .prefetch_related("choices", "numeric_answers", "pairs")
        .order_by("id")
    )
    items, skipped = [], 0
    for question in questions:
        item = question_to_gift(question)
        if item is None:
            skipped += 1
        else:
            items.append(item)
    header = f"// {category}\n// {len(items)} questions\n\n"
    return header + (gift.export(items) if items else ""), skipped
