"""GIFT parser: text in, `GiftQuestion`s out, or `GiftError` naming each problem by line."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .model import (
    BLANK,
    DESCRIPTION,
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
    as_plain,
    category_parts,
    category_path,
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
        raise _Malformed(
            _("weight %(weight)s%% is outside -100%% to 100%%") % {"weight": match.group(1)}
        )
    return weight, body.strip()[match.end() :]


def _formatted(raw: str, default_format: str) -> str:
    """Unescaped text read in its own format tag (``[html]…``), else in the question's format."""
    raw = raw.strip()
    text_format = default_format
    tag = FORMAT_TAG.match(raw)
    if tag:
        text_format, raw = tag.group(1).lower(), raw[tag.end() :]
    return as_plain(unescape(raw.strip()), text_format)


def _text_and_feedback(body: str, default_format: str = "plain") -> tuple[str, str]:
    cut = _find(body, "#")
    if cut == -1:
        return _formatted(body, default_format), ""
    return _formatted(body[:cut], default_format), _formatted(body[cut + 1 :], default_format)


@dataclass
class _Block:
    text: str
    line: int
    # line number of each character offset's line start: list of (offset, line)
    starts: list[tuple[int, int]]
    # The question's own comment lines (above it, no blank line between): Moodle keeps its
    # ID number and tags there, as "// [id:…] [tag:…]".
    comments: str = ""

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
    comments: list[str] = []
    depth = 0

    def close():
        if lines:
            text, starts, offset = "", [], 0
            for number, content in lines:
                starts.append((offset, number))
                text += content + "\n"
                offset = len(text)
            blocks.append(
                _Block(
                    text=text.rstrip("\n"),
                    line=lines[0][0],
                    starts=starts,
                    comments="\n".join(comments),
                )
            )
        lines.clear()
        comments.clear()

    for number, raw in enumerate(source.splitlines(), start=1):
        raw = raw.lstrip("\ufeff")
        stripped = raw.strip()
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not stripped:
            if depth <= 0:
                close()
                comments.clear()
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
    return category_path(category_parts(raw.split(":", 1)[1])) or "Default"


def parse(source: str, *, category: str = "") -> list[GiftQuestion]:
    """Every item of a GIFT text as Moodle's importer reads it, or GiftError naming each
    malformed one by line (in the active language). Text without an answer block comes back as
    a `DESCRIPTION` item; callers decide what to do with it."""
    source = source.lstrip("\ufeff")
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
        question.idnumber, question.tags = _id_and_tags(block.comments)
        questions.append(question)
    if problems:
        raise GiftError(problems)
    if not questions:
        raise GiftError([GiftProblem(1, _("the file holds no question"))])
    return questions


_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]\x00-\x1f])+)\]")


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's "// [id:…]" and "// [tag:…]" (a ']' inside written '\\]')."""
    found = _ID.search(comments)
    idnumber = found.group(1).replace("\\]", "]").strip()[:100] if found else ""
    return idnumber, [t.replace("\\]", "]").strip() for t in _TAG.findall(comments)]


def _parse_question(text: str) -> GiftQuestion:
    rest, offset, name = text.strip(), len(text) - len(text.lstrip()), ""
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end == -1:
            raise _Malformed(_("the question name opened with '::' is not closed"), offset)
        name = unescape(rest[2:end].strip())
        offset += end + 2
        rest = rest[end + 2 :]
        offset += len(rest) - len(rest.lstrip())
        rest = rest.lstrip()
    open_at = _find(rest, "{")
    if open_at == -1:
        if _find(rest, "}") != -1:
            raise _Malformed(_("'}' without an opening '{'"), offset + _find(rest, "}"))
        return _description(rest, name, offset)
    close_at = _find(rest, "}", open_at + 1)
    if close_at == -1:
        raise _Malformed(_("the answer block '{' is not closed with '}'"), offset + open_at)
    nested = _find(rest, "{", open_at + 1)
    if nested != -1 and nested < close_at:
        raise _Malformed(_("an answer block cannot contain an unescaped '{'"), offset + nested)
    before, inside, after = rest[:open_at], rest[open_at + 1 : close_at], rest[close_at + 1 :]
    if _find(after, "{") != -1 or _find(after, "}") != -1:
        raise _Malformed(_("a question can have only one answer block"), offset + close_at + 1)
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
        raise _Malformed(_("the question has no text"), offset)
    question = GiftQuestion(qtype="", text=body.strip(), name=name, text_format=text_format)
    try:
        _parse_answers(question, inside)
    except _Malformed as error:
        error.offset = (
            offset + open_at if error.offset is None else offset + open_at + 1 + error.offset
        )
        raise
    return question


def _description(rest: str, name: str, offset: int) -> GiftQuestion:
    text_format = "moodle"
    format_match = FORMAT_TAG.match(rest)
    if format_match:
        text_format, rest = format_match.group(1).lower(), rest[format_match.end() :]
    body = unescape(rest.strip())
    if not body:
        raise _Malformed(_("the question has no text"), offset)
    return GiftQuestion(qtype=DESCRIPTION, text=body, name=name, text_format=text_format)


_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(#|$)")


def _parse_answers(question: GiftQuestion, inside: str) -> None:
    fmt = question.text_format
    general = _rfind(inside, "####")
    if general != -1:
        question.general_feedback = _formatted(inside[general + 4 :], fmt)
        inside = inside[:general]
    body = inside.strip()
    if not body:
        question.qtype = ESSAY
        return
    if body.startswith("#"):
        question.qtype = NUMERICAL
        question.numeric = _numeric_answers(body[1:], fmt)
        return
    if _find(body, "~") == -1 and (tf := _TRUE_FALSE.match(body)):
        # Moodle's own test is case-sensitive: {true} is a short answer "true".
        question.qtype = TRUEFALSE
        question.correct = tf.group(1).startswith("T")
        parts = [_formatted(p, fmt) for _m, p in _split_markers(body, "#")[1:]]
        if len(parts) > 2:
            raise _Malformed(_("a true/false question takes at most two feedbacks"))
        wrong, right = (parts + ["", ""])[:2]
        if question.correct:
            question.feedback_true, question.feedback_false = right, wrong
        else:
            question.feedback_true, question.feedback_false = wrong, right
        return
    if _find(body, "~") == -1:
        parts = _answer_parts(body, head_marker="=")
        # Matching: '=' answers written with '->' ('->' inside choice answers is just text).
        if any(_find(_before_feedback(raw), "->") != -1 for _m, raw in parts):
            question.qtype = MATCHING
            question.pairs = _pairs(parts, fmt)
            return
        question.qtype = SHORT
        question.answers = _answers(parts, fmt)
        if any(not a.text for a in question.answers):
            raise _Malformed(_("a short answer cannot be empty"))
        if not any(a.weight > 0 for a in question.answers):
            raise _Malformed(_("no accepted answer has a positive weight"))
        return
    parts = _answer_parts(body, head_marker="~")
    question.qtype = SINGLE if any(marker == "=" for marker, _r in parts) else MULTIPLE
    question.answers = _answers(parts, fmt)
    if len(question.answers) < 2:
        raise _Malformed(_("a choice question needs at least two choices"))
    if any(not a.text for a in question.answers):
        raise _Malformed(_("a choice cannot be empty"))
    if not any(a.weight > 0 for a in question.answers):
        raise _Malformed(
            _("no choice has a positive weight: mark the right one with '=' or a '%n%' weight")
        )


def _before_feedback(raw: str) -> str:
    cut = _find(raw, "#")
    return raw if cut == -1 else raw[:cut]


def _answer_parts(body: str, *, head_marker: str) -> list[tuple[str, str]]:
    """Answers split at '~' and '='. Text before the first marker is an answer too, as Moodle
    reads it (``{One}`` is a short answer; ``{a ~b =c}`` a choice "a" worth nothing)."""
    parts = _split_markers(body, "~=")
    _marker, head = parts[0]
    if head.strip():
        return [(head_marker, head), *parts[1:]]
    return parts[1:]


def _answers(parts: list[tuple[str, str]], fmt: str) -> list[Answer]:
    answers = []
    for marker, raw in parts:
        weight, rest = _weight_and_rest(raw)
        text, feedback = _text_and_feedback(rest, fmt)
        if weight is None:
            weight = 100.0 if marker == "=" else 0.0
        answers.append(Answer(text=text, weight=weight, feedback=feedback))
    return answers


def _pairs(parts: list[tuple[str, str]], fmt: str) -> list[MatchPair]:
    pairs = []
    for _marker, raw in parts:
        cut = _find(raw, "->")
        if cut == -1:
            raise _Malformed(_("the pair %(pair)r has no '->'") % {"pair": raw.strip()[:30]})
        left, right = _formatted(raw[:cut], fmt), unescape(raw[cut + 2 :].strip())
        if not right:
            raise _Malformed(_("a matching pair needs text on the right of '->'"))
        pairs.append(MatchPair(left=left, right=right))
    if len([p for p in pairs if p.left]) < 2:
        raise _Malformed(_("a matching question needs at least two pairs"))
    return pairs


def _numeric_answers(body: str, fmt: str = "plain") -> list[NumericAnswer]:
    """Numerical answers; everything from the first '~' on is the feedback for any other
    answer (``~#…``, as Moodle's exporter writes it), kept as an answer with no value."""
    body = body.strip()
    other = None
    wrong_at = _find(body, "~")
    if wrong_at != -1:
        _ignored, feedback = _text_and_feedback(body[wrong_at + 1 :], fmt)
        other = NumericAnswer(weight=0.0, feedback=feedback)
        body = body[:wrong_at].strip()
    if not body:
        raise _Malformed(_("a numerical question needs a number after '#'"))
    answers = []
    for _marker, raw in _answer_parts(body, head_marker="="):
        weight, rest = _weight_and_rest(raw)
        value_part, feedback = _text_and_feedback(rest, fmt)
        answers.append(_numeric_value(value_part, 100.0 if weight is None else weight, feedback))
    if not any(a.weight > 0 for a in answers):
        raise _Malformed(_("no numerical answer has a positive weight"))
    return answers + ([other] if other else [])


def _numeric_value(raw: str, weight: float, feedback: str) -> NumericAnswer:
    raw = raw.strip()
    try:
        if ".." in raw:
            low, high = (_number(x) for x in raw.split("..", 1))
            if low > high:
                raise _Malformed(_("the range %(range)s runs backwards") % {"range": raw})
            return NumericAnswer(low=low, high=high, weight=weight, feedback=feedback)
        if ":" in raw:
            value, tolerance = (_number(x) for x in raw.split(":", 1))
            if tolerance < 0:
                raise _Malformed(_("a tolerance cannot be negative"))
            return NumericAnswer(value=value, tolerance=tolerance, weight=weight, feedback=feedback)
        return NumericAnswer(value=_number(raw), weight=weight, feedback=feedback)
    except ValueError:
        raise _Malformed(
            _("%(value)r is not a number, 'value:tolerance' or 'low..high'") % {"value": raw}
        ) from None
