"""GIFT exporter: `GiftQuestion`s out as text that the parser reads back identically."""

from __future__ import annotations

from .model import (
    BLANK,
    ESSAY,
    FORMAT_TAG,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT,
    SINGLE,
    TRUEFALSE,
    GiftQuestion,
    as_plain,
    escape,
)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _in(text: str, fmt: str) -> str:
    """Escaped answer or feedback text, tagged ``[plain]`` where the question's format would
    read it otherwise (markup in an HTML question, a leading format tag)."""
    if text and (as_plain(text, fmt) != text or FORMAT_TAG.match(text)):
        return "[plain]" + escape(text)
    return escape(text)


def _fb(feedback: str, fmt: str = "plain") -> str:
    return f"#{_in(feedback, fmt)}" if feedback else ""


def _weighted(marker: str, weight: float, default: float) -> str:
    return marker if weight == default else f"{marker}%{_num(weight)}%"


def export_question(question: GiftQuestion) -> str:
    head = f"::{escape(question.name)}::" if question.name else ""
    text_start = question.text.lstrip()
    if (
        question.text_format != "moodle"
        or FORMAT_TAG.match(text_start)
        # Without a tag these would read as a comment line or a category line.
        or (
            not head
            and (text_start.startswith("//") or text_start.upper().startswith("$CATEGORY:"))
        )
    ):
        head += f"[{question.text_format}]"
    text = question.text
    tail = ""
    if question.qtype in (SINGLE, SHORT, MULTIPLE) and f" {BLANK} " in text:
        text, tail = text.split(f" {BLANK} ", 1)
    lines: list[str] = []
    fmt = question.text_format
    if question.qtype == ESSAY:
        answers = ""
    elif question.qtype == TRUEFALSE:
        right, wrong = (
            (question.feedback_true, question.feedback_false)
            if question.correct
            else (question.feedback_false, question.feedback_true)
        )
        answers = ("TRUE" if question.correct else "FALSE") + (
            f"#{_in(wrong, fmt)}#{_in(right, fmt)}" if (wrong or right) else ""
        )
    elif question.qtype == NUMERICAL:
        for a in question.numeric:
            if a.value is None and not a.is_range:  # any other answer
                lines.append(f"\t~#{_in(a.feedback, fmt)}")
                continue
            value = (
                f"{_num(a.low)}..{_num(a.high)}"
                if a.is_range
                else f"{_num(a.value)}:{_num(a.tolerance)}"
            )
            lines.append(f"\t{_weighted('=', a.weight, 100.0)}{value}{_fb(a.feedback, fmt)}")
        answers = "#\n" + "\n".join(lines) + "\n"
    elif question.qtype == MATCHING:
        answers = (
            "\n"
            + "\n".join(f"\t={_in(p.left, fmt)} -> {escape(p.right)}" for p in question.pairs)
            + "\n"
        )
    elif question.qtype == SHORT:
        answers = (
            "\n"
            + "\n".join(
                f"\t{_weighted('=', a.weight, 100.0)}{_in(a.text, fmt)}{_fb(a.feedback, fmt)}"
                for a in question.answers
            )
            + "\n"
        )
    elif question.qtype == SINGLE:
        for a in question.answers:
            marker = (
                _weighted("=", a.weight, 100.0) if a.weight > 0 else _weighted("~", a.weight, 0.0)
            )
            lines.append(f"\t{marker}{_in(a.text, fmt)}{_fb(a.feedback, fmt)}")
        answers = "\n" + "\n".join(lines) + "\n"
    elif question.qtype == MULTIPLE:
        answers = (
            "\n"
            + "\n".join(
                f"\t{_weighted('~', a.weight, 0.0)}{_in(a.text, fmt)}{_fb(a.feedback, fmt)}"
                for a in question.answers
            )
            + "\n"
        )
    else:
        raise ValueError(f"GIFT has no form for question type {question.qtype!r}")
    if question.general_feedback:
        answers += f"\t####{_in(question.general_feedback, fmt)}\n"
    block = f"{head}{escape(text)} {{{answers}}}"
    if question.idnumber:  # where Moodle writes and reads it
        block = "// [id:" + question.idnumber.replace("]", "\\]") + "]\n" + block
    if tail:
        block += f" {escape(tail)}"
    return block


def export(questions: list[GiftQuestion]) -> str:
    """GIFT text for the questions, with a `$CATEGORY:` line wherever the category changes."""
    chunks: list[str] = []
    category = None
    for question in questions:
        if question.category and question.category != category:
            chunks.append(f"$CATEGORY: {question.category}")
            category = question.category
        chunks.append(export_question(question))
    return "\n\n".join(chunks) + "\n"
