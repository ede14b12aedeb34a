"""GIFT (Moodle's plain-text question format): parse into dataclasses and export back. No database.

Supported: question names (``::name::``), ``$CATEGORY:``, ``//`` comment lines, escapes
(``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``), per-answer feedback (``#``), general feedback (``####``),
percentage weights (also negative), single choice, multiple response, true/false, short answer,
numerical (tolerance ``#v:t``, range ``#lo..hi``, several weighted answers), matching
(``=a -> b``), essay (``{}``), missing-word questions (text after the answer block), multi-line
questions and the ``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]`` text formats.

`parse` reports every malformed question with its line number and raises `GiftError`; callers
import nothing from a file that raised (all or nothing).
"""

from .exporter import export, export_question
from .model import (
    BLANK,
    DESCRIPTION,
    ESSAY,
    FORMATS,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT,
    SINGLE,
    TRUEFALSE,
    Answer,
    GiftError,
    GiftProblem,
    GiftQuestion,
    MatchPair,
    NumericAnswer,
    as_plain,
    category_parts,
    category_path,
    escape,
    unescape,
)
from .parser import parse

__all__ = [
    "BLANK",
    "DESCRIPTION",
    "ESSAY",
    "FORMATS",
    "MATCHING",
    "MULTIPLE",
    "NUMERICAL",
    "SHORT",
    "SINGLE",
    "TRUEFALSE",
    "Answer",
    "GiftError",
    "GiftProblem",
    "GiftQuestion",
    "MatchPair",
    "NumericAnswer",
    "as_plain",
    "category_parts",
    "category_path",
    "escape",
    "export",
    "export_question",
    "parse",
    "unescape",
]
