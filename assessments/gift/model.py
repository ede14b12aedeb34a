"""GIFT question model: the dataclasses, question types, errors and escaping. No database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
SHORT = "short"
NUMERICAL = "numerical"
MATCHING = "matching"
ESSAY = "essay"

FORMATS = ("moodle", "html", "markdown", "plain")
BLANK = "_____"
SPECIAL = "~=#{}:"
FORMAT_TAG = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
CATEGORY_PREFIX = re.compile(r"^(\$(course|system|module|cat\d*)\$/)?(top/)?", re.IGNORECASE)


@dataclass
class Answer:
    """A choice (single, multiple) or an accepted answer (short); weight in percent, -100..100."""

    text: str
    weight: float = 0.0
    feedback: str = ""


@dataclass
class NumericAnswer:
    """An accepted number: `value` ± `tolerance`, or the range `low`..`high`."""

    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None
    weight: float = 100.0
    feedback: str = ""

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass
class MatchPair:
    left: str
    right: str


@dataclass
class GiftQuestion:
    qtype: str
    text: str
    name: str = ""
    text_format: str = "moodle"
    category: str = ""
    general_feedback: str = ""
    answers: list[Answer] = field(default_factory=list)
    numeric: list[NumericAnswer] = field(default_factory=list)
    pairs: list[MatchPair] = field(default_factory=list)
    correct: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    # Not in GIFT; set by other formats (Moodle XML): the question's marks and short-answer case.
    points: float | None = None
    case_sensitive: bool | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class GiftProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class GiftError(ValueError):
    """The file is malformed; `problems` lists each one with its line number."""

    def __init__(self, problems: list[GiftProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class _Malformed(Exception):
    def __init__(self, message: str, offset: int | None = None):
        self.message = message
        self.offset = offset
        super().__init__(message)




def unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in SPECIAL or nxt == "\\":
                out.append(nxt)
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def escape(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\" or ch in SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)
