"""GIFT parser: text in, `GiftQuestion`s out, or `GiftError` naming each problem by line."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .model import (
    BLANK,
    CATEGORY_PREFIX,
    ESSAY,
    FORMAT_TAG,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT,
    SINGLE,
    TRUEFALSE,
    WEIGHT,
    Answer,
    GiftError,
    GiftProblem,
    GiftQuestion,
    MatchPair,
    NumericAnswer,
    _Malformed,
    unescape,
)


def _find(text: str, needle: str, start: int = 0) -> int:
    """Index of the first unescaped `needle` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            return i
        i += 1
    return -1


def _rfind(text: str, needle: str) -> int:
    found, i = -1, 0
    while (i := _find(text, needle, i)) != -1:
        found = i
        i += 1
    return found


def _split_markers(text: str, markers: str) -> list[tuple[str, str]]:
    """Split at unescaped marker characters: [(marker, body), ...]; text before the first marker
    is returned with marker ''."""
    parts: list[tuple[str, str]] = []
    current, marker = [], ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch in markers:
            parts.append((marker, "".join(current)))
            current, marker = [], ch
            i += 1
            continue
        current.append(ch)
        i += 1
    parts.append((marker, "".join(current)))
    return parts


def _number(raw: str) -> float:
    value = float(raw.strip())
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _weight_and_rest(body: str) -> tuple[float | None, str]:
    match = WEIGHT.match(body.strip())
    if not match:
        return None, body.strip()
    weight = float(match.group(1))
    if not -100 <= weight <= 100:
        raise _Malformed(f"weight {match.group(1)}% is outside -100% to 100%")
    return weight, body.strip()[match.end() :]


def _text_and_feedback(body: str) -> tuple[str, str]:
    cut = _find(body, "#")
    if cut == -1:
        return unescape(body.strip()), ""
    return unescape(body[:cut].strip()), unescape(body[cut + 1 :].strip())


@dataclass
class _Block:
    text: str
    line: int
    # line number of each character offset's line start: list of (offset, line)
    starts: list[tuple[int, int]]

    def line_at(self, offset: int | None) -> int:
        if offset is None:
            return self.line
        line = self.line
        for start, number in self.starts:
            if start <= offset:
                line = number
        return line


def _blocks(source: str) -> list[_Block | GiftProblem]:
    """Group lines into question blocks separated by blank lines; drop comment lines. A blank
    line inside an open answer block does not end the question."""
    blocks: list[_Block | GiftProblem] = []
    lines: list[tuple[int, str]] = []
    depth = 0

    def close():
        if lines:
            text, starts, offset = "", [], 0
            for number, content in lines:
                starts.append((offset, number))
                text += content + "\n"
                offset = len(text)
            blocks.append(_Block(text=text.rstrip("\n"), line=lines[0][0], starts=starts))
        lines.clear()

    for number, raw in enumerate(source.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if depth <= 0:
                close()
                depth = 0
            continue
        if stripped.upper().startswith("$CATEGORY:") and depth <= 0:
            close()
            lines.append((number, stripped))
            close()
            continue
        lines.append((number, raw.rstrip()))
        i = 0
        while i < len(raw):
            if raw[i] == "\\":
                i += 2
                continue
            if raw[i] == "{":
                depth += 1
            elif raw[i] == "}":
                depth -= 1
            i += 1
    close()
    return blocks


def _category_name(raw: str) -> str:
    name = raw.split(":", 1)[1].strip()
    return CATEGORY_PREFIX.sub("", name, count=1).strip().strip("/") or "Default"


def parse(source: str, *, category: str = "") -> list[GiftQuestion]:
    """Every question of a GIFT text, or GiftError naming each malformed one by line."""
    if source.startswith("\ufeff"):
        source = source[1:]
    questions: list[GiftQuestion] = []
    problems: list[GiftProblem] = []
    current_category = category
    for block in _blocks(source):
        if block.text.upper().startswith("$CATEGORY:"):
            current_category = category or _category_name(block.text)
            continue
        try:
            question = _parse_question(block.text)
        except _Malformed as error:
            problems.append(GiftProblem(block.line_at(error.offset), error.message))
            continue
        question.category = current_category
        question.line = block.line
        questions.append(question)
    if problems:
        raise GiftError(problems)
    if not questions:
        raise GiftError([GiftProblem(1, "the file holds no question")])
    return questions


def _parse_question(text: str) -> GiftQuestion:
    rest, offset, name = text.strip(), len(text) - len(text.lstrip()), ""
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end == -1:
            raise _Malformed("the question name opened with '::' is not closed", offset)
        name = unescape(rest[2:end].strip())
        offset += end + 2
        rest = rest[end + 2 :]
        offset += len(rest) - len(rest.lstrip())
        rest = rest.lstrip()
    open_at = _find(rest, "{")
    if open_at == -1:
        if _find(rest, "}") != -1:
            raise _Malformed("'}' without an opening '{'", offset + _find(rest, "}"))
        raise _Malformed("the question has no answer block {...} (description items are not supported)", offset)
    close_at = _find(rest, "}", open_at + 1)
    if close_at == -1:
        raise _Malformed("the answer block '{' is not closed with '}'", offset + open_at)
    nested = _find(rest, "{", open_at + 1)
    if nested != -1 and nested < close_at:
        raise _Malformed("an answer block cannot contain an unescaped '{'", offset + nested)
    before, inside, after = rest[:open_at], rest[open_at + 1 : close_at], rest[close_at + 1 :]
    if _find(after, "{") != -1 or _find(after, "}") != -1:
        raise _Malformed("a question can have only one answer block", offset + close_at + 1)
    text_format = "moodle"
    format_match = FORMAT_TAG.match(before)
    if format_match:
        text_format = format_match.group(1).lower()
        before = before[format_match.end() :]
    if after.strip():
        body = unescape(before.strip()) + " " + BLANK + " " + unescape(after.strip())
    else:
        body = unescape(before.strip())
    if not body.strip():
        raise _Malformed("the question has no text", offset)
    question = GiftQuestion(qtype="", text=body.strip(), name=name, text_format=text_format)
    try:
        _parse_answers(question, inside)
    except _Malformed as error:
        error.offset = offset + open_at if error.offset is None else offset + open_at + 1 + error.offset
        raise
    return question


def _parse_answers(question: GiftQuestion, inside: str) -> None:
    general = _rfind(inside, "####")
    if general != -1:
        question.general_feedback = unescape(inside[general + 4 :].strip())
        inside = inside[:general]
    body = inside.strip()
    if not body:
        question.qtype = ESSAY
        return
    if body.startswith("#"):
        question.qtype = NUMERICAL
        question.numeric = _numeric_answers(body[1:])
        return
    tf = re.match(r"^(T|TRUE|F|FALSE)\s*(#|$)", body, re.IGNORECASE)
    if tf:
        question.qtype = TRUEFALSE
        question.correct = tf.group(1).upper().startswith("T")
        parts = [unescape(p.strip()) for _m, p in _split_markers(body, "#")[1:]]
        if len(parts) > 2:
            raise _Malformed("a true/false question takes at most two feedbacks")
        wrong, right = (parts + ["", ""])[:2]
        if question.correct:
            question.feedback_true, question.feedback_false = right, wrong
        else:
            question.feedback_true, question.feedback_false = wrong, right
        return
    parts = _answer_parts(body)
    # Matching: only '=' answers, written with '->' ('->' inside choice answers is just text).
    if all(marker == "=" for marker, _ in parts) and any(_find(_before_feedback(raw), "->") != -1 for _m, raw in parts):
        question.qtype = MATCHING
        question.pairs = _pairs(body)
        return
    if all(marker == "=" for marker, _ in parts):
        question.qtype = SHORT
        question.answers = _answers(parts, default_right=100.0)
        if any(not a.text for a in question.answers):
            raise _Malformed("a short answer cannot be empty")
        if not any(a.weight > 0 for a in question.answers):
            raise _Malformed("no accepted answer has a positive weight")
        return
    question.qtype = SINGLE if any(marker == "=" for marker, _ in parts) else MULTIPLE
    question.answers = _answers(parts, default_right=100.0)
    if len(question.answers) < 2:
        raise _Malformed("a choice question needs at least two choices")
    if any(not a.text for a in question.answers):
        raise _Malformed("a choice cannot be empty")
    if not any(a.weight > 0 for a in question.answers):
        raise _Malformed("no choice has a positive weight: mark the right one with '=' or a '%n%' weight")


def _before_feedback(raw: str) -> str:
    cut = _find(raw, "#")
    return raw if cut == -1 else raw[:cut]


def _answer_parts(body: str) -> list[tuple[str, str]]:
    parts = _split_markers(body, "~=")
    _marker, head = parts[0]
    if head.strip():
        raise _Malformed(f"answers must start with '~' or '=', found {head.strip()[:20]!r}")
    return parts[1:]


def _answers(parts: list[tuple[str, str]], *, default_right: float) -> list[Answer]:
    answers = []
    for marker, raw in parts:
        weight, rest = _weight_and_rest(raw)
        text, feedback = _text_and_feedback(rest)
        if weight is None:
            weight = default_right if marker == "=" else 0.0
        answers.append(Answer(text=text, weight=weight, feedback=feedback))
    return answers


def _pairs(body: str) -> list[MatchPair]:
    parts = _answer_parts(body)
    pairs = []
    for marker, raw in parts:
        if marker != "=":
            raise _Malformed("matching pairs are written '=left -> right'")
        cut = _find(raw, "->")
        if cut == -1:
            raise _Malformed(f"the pair {raw.strip()[:30]!r} has no '->'")
        left, right = unescape(raw[:cut].strip()), unescape(raw[cut + 2 :].strip())
        if not right:
            raise _Malformed("a matching pair needs text on the right of '->'")
        pairs.append(MatchPair(left=left, right=right))
    if len([p for p in pairs if p.left]) < 2:
        raise _Malformed("a matching question needs at least two pairs")
    return pairs


def _numeric_answers(body: str) -> list[NumericAnswer]:
    body = body.strip()
    if not body:
        raise _Malformed("a numerical question needs a number after '#'")
    if body[0] not in "=~":
        value_part, feedback = _text_and_feedback(body)
        return [_numeric_value(value_part, 100.0, feedback)]
    answers = []
    for marker, raw in _answer_parts(body):
        weight, rest = _weight_and_rest(raw)
        value_part, feedback = _text_and_feedback(rest)
        if weight is None:
            weight = 100.0 if marker == "=" else 0.0
        answers.append(_numeric_value(value_part, weight, feedback))
    if not any(a.weight > 0 for a in answers):
        raise _Malformed("no numerical answer has a positive weight")
    return answers


def _numeric_value(raw: str, weight: float, feedback: str) -> NumericAnswer:
    raw = raw.strip()
    try:
        if ".." in raw:
            low, high = (_number(x) for x in raw.split("..", 1))
            if low > high:
                raise _Malformed(f"the range {raw} runs backwards")
            return NumericAnswer(low=low, high=high, weight=weight, feedback=feedback)
        if ":" in raw:
            value, tolerance = (_number(x) for x in raw.split(":", 1))
            if tolerance < 0:
                raise _Malformed("a tolerance cannot be negative")
            return NumericAnswer(value=value, tolerance=tolerance, weight=weight, feedback=feedback)
        return NumericAnswer(value=_number(raw), weight=weight, feedback=feedback)
    except ValueError:
        raise _Malformed(f"{raw!r} is not a number, 'value:tolerance' or 'low..high'") from None
