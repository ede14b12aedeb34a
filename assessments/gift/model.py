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
# Text without an answer block: Moodle imports it as a "description" shown between questions.
DESCRIPTION = "description"

FORMATS = ("moodle", "html", "markdown", "plain")
BLANK = "_____"
SPECIAL = "~=#{}:"
FORMAT_TAG = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
CATEGORY_PREFIX = re.compile(r"^(\$(course|system|module|cat\d*)\$/)?(top/)?", re.IGNORECASE)
# How Moodle names a course's default category, in English and Spanish.
DEFAULT_CATEGORY_PREFIXES = (
    "default for ",
    "por defecto en ",
    "por defecto para ",
    "predeterminada para ",
)
_MARKUP = re.compile(r"<[A-Za-z/!]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_MARKDOWN = re.compile(r"[*`]")


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
    idnumber: str = ""
    hidden: bool = False
    tags: list[str] = field(default_factory=list)
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


def category_parts(path: str) -> list[str]:
    """The nested category names of a Moodle category path, by one rule for GIFT and Moodle XML.

    ``$course$/top/Default for X/A/B`` gives ``["A", "B"]``: the context prefix and ``top`` go,
    as does a leading "Default for …" / "Por defecto en …" (the course's own default category)
    when more follows it;
    ``//`` is Moodle's escape for a slash inside a name.
    """
    path = CATEGORY_PREFIX.sub("", path.strip(), count=1)
    parts = [p.replace("\0", "/").strip() for p in path.replace("//", "\0").split("/")]
    parts = [p[:255] for p in parts if p]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    if len(parts) > 1 and parts[0].lower().startswith(DEFAULT_CATEGORY_PREFIXES):
        parts = parts[1:]
    return parts


def category_path(parts: list[str]) -> str:
    """The path string of nested names (the inverse of `category_parts` for plain names)."""
    return "/".join(p.replace("/", "//") for p in parts)


def as_plain(text: str, text_format: str) -> str:
    """An answer's or feedback's text as the plain text the platform shows and compares, read in
    its format (Moodle's per-answer ``[html]``, ``[moodle]``, ``[markdown]``, ``[plain]``).

    HTML, Moodle auto-format and Markdown (both of which allow HTML) lose their markup; Markdown
    also its emphasis marks. Text with no markup of its format is returned unchanged.
    """
    if text_format == "markdown" and _MARKDOWN.search(text):
        text = re.sub(
            r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`", lambda m: next(g for g in m.groups() if g), text
        )
    if text_format in ("html", "moodle", "markdown") and _MARKUP.search(
        text
    ):  # Markdown allows HTML too
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for br in soup.find_all("br"):
            br.replace_with("\n")
        for block in soup.find_all(["p", "div", "li", "tr"]):
            block.append("\n")
        lines = [
            " ".join(line.split()) for line in soup.get_text().replace("\xa0", " ").splitlines()
        ]
        return "\n".join(line for line in lines if line)
    return text


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
