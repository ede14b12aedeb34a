"""Moodle XML (Moodle's question bank export, "Moodle XML format"): parse into the same question
dataclasses as GIFT. No database.

Read: categories (``$course$/top/…`` paths), question names, text formats (HTML, Moodle
auto-format, plain text, Markdown), general and per-answer feedback, answer fractions (also
negative), single choice and multiple response (``multichoice``), true/false, short answer
(with its case setting), numerical (tolerances), matching (with distractors), essay, and each
question's default mark. Questions of types this platform does not have (descriptions, cloze,
calculated, drag and drop…) are left out and listed, as are embedded files, which are not
brought in.

A file that is not well-formed XML, or a question that cannot be graded as written, is reported
with its line number and reason (`GiftError`); callers then import nothing of it. The parser
refuses document type declarations, so entity expansion ("billion laughs") and external
entities cannot happen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _

from .gift.model import (
    ESSAY,
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
    category_parts,
    category_path,
)

FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay"}


def _type_label(qtype: str) -> str:
    """Moodle's names for question types this platform does not have, in the editor's words."""
    labels = {
        "description": _("description (text without a question)"),
        "multianswer": _("cloze (embedded answers)"),
        "cloze": _("cloze (embedded answers)"),
        "calculated": _("calculated"),
        "calculatedsimple": _("calculated"),
        "calculatedmulti": _("calculated"),
        "ddwtos": _("drag and drop into text"),
        "ddimageortext": _("drag and drop onto image"),
        "ddmarker": _("drag and drop markers"),
        "gapselect": _("select missing words"),
        "ordering": _("ordering"),
        "randomsamatch": _("random short-answer matching"),
        "random": _("random"),
    }
    return str(labels.get(qtype, qtype or "?"))


_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass
class _Node:
    tag: str
    attrs: dict
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def child(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str, default: str = "") -> str:
        """The text of child `tag`, or of its own <text> child (Moodle wraps most values)."""
        node = self.child(tag)
        if node is None:
            return default
        inner = node.child("text")
        return (inner.text if inner is not None else node.text).strip()


@dataclass(frozen=True)
class CategoryInfo:
    """What Moodle XML says of a category besides its path."""

    description: str = ""
    idnumber: str = ""


@dataclass
class MoodleImport:
    """What a file holds: the questions to import, what was left out (human-readable), and the
    description and ID number of each category path it names."""

    questions: list[GiftQuestion]
    skipped: list[str]
    categories: dict[str, CategoryInfo] = field(default_factory=dict)


class _Malformed(Exception):
    pass


def looks_like_xml(source: str) -> bool:
    return source.lstrip("\ufeff \t\r\n").startswith("<")


def parse(source: str | bytes, *, category: str = "") -> MoodleImport:
    """Questions of a Moodle XML file; `category` overrides the categories the file names."""
    root = _tree(source)
    if root.tag != "quiz":
        raise GiftError(
            [
                GiftProblem(
                    root.line, _("this is not a Moodle XML question file (no <quiz> element)")
                )
            ]
        )
    questions, skipped, problems = [], [], []
    categories: dict[str, CategoryInfo] = {}
    current = category
    for node in root.all("question"):
        qtype = node.attrs.get("type", "")
        if qtype == "category":
            if not category:
                current = _category_name(node.value("category"))
                info = CategoryInfo(_plain(node.child("info"))[:5000], node.value("idnumber")[:100])
                if current and (info.description or info.idnumber):
                    categories[current] = info
            continue
        name = node.value("name") or _("(no name)")
        if qtype not in SUPPORTED:
            skipped.append(
                _("“%(name)s” (line %(line)s): questions of type “%(type)s” are not available here")
                % {"name": name, "line": node.line, "type": _type_label(qtype)}
            )
            continue
        try:
            question = _question(node, qtype)
        except _Malformed as error:
            problems.append(GiftProblem(node.line, f"“{name}”: {error}"))
            continue
        question.category = current
        question.idnumber = node.value("idnumber")[:100]
        question.hidden = node.value("hidden", "0") == "1"
        questions.append(question)
        # <file> in Moodle 2+; <image_base64> beside <image> in files from Moodle 1.9.
        files = sum(
            len(n.all("file")) + len([i for i in n.all("image_base64") if i.text.strip()])
            for n in _walk(node)
        )
        if files:
            skipped.append(
                _("“%(name)s” (line %(line)s): %(n)s embedded file(s) were not imported")
                % {"name": name, "line": node.line, "n": files}
            )
    if problems:
        raise GiftError(problems)
    if not questions:
        raise GiftError(
            [
                GiftProblem(root.line, _("the file holds no question that can be imported")),
                *(GiftProblem(root.line, note) for note in skipped),
            ]
        )
    return MoodleImport(questions, skipped, categories)


def _tree(source: str | bytes) -> _Node:
    parser = expat.ParserCreate()
    stack: list[_Node] = []
    roots: list[_Node] = []

    def start(tag, attrs):
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(tag):
        stack.pop()

    def data(text):
        if stack:
            stack[-1].text += text

    def doctype(*args):
        raise _Malformed(_("document type declarations are not accepted"))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.StartDoctypeDeclHandler = data, doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(source.encode("utf-8") if isinstance(source, str) else source, True)
    except expat.ExpatError as error:
        raise GiftError(
            [
                GiftProblem(
                    error.lineno,
                    _("not well-formed XML: %(reason)s")
                    % {"reason": expat.ErrorString(error.code)},
                )
            ]
        ) from None
    except _Malformed as error:
        raise GiftError([GiftProblem(parser.CurrentLineNumber, str(error))]) from None
    if not roots:
        raise GiftError([GiftProblem(1, _("the file is empty"))])
    return roots[0]


def _walk(node: _Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _category_name(path: str) -> str:
    """The same path rule as GIFT's ``$CATEGORY:`` (`gift.category_parts`)."""
    return category_path(category_parts(path))


def _number(raw: str, what: str) -> float:
    try:
        return float(raw.strip().replace(",", "."))
    except ValueError:
        raise _Malformed(
            _("%(what)s “%(raw)s” is not a number") % {"what": what, "raw": raw.strip()[:30]}
        ) from None


def _fraction(node: _Node) -> float:
    value = _number(node.attrs.get("fraction", "0"), _("the fraction"))
    if not -100 <= value <= 100:
        raise _Malformed(_("the fraction %(value)s is outside -100 to 100") % {"value": value})
    return value


def _plain(node: _Node | None) -> str:
    """The <text> of an answer, feedback or item as plain text: HTML loses its markup, keeps its
    lines."""
    if node is None:
        return ""
    inner = node.child("text")
    raw = inner.text if inner is not None else node.text
    if node.attrs.get("format", "html") == "html" or "<" in raw:
        soup = BeautifulSoup(raw, "html.parser")
        for br in soup.find_all("br"):
            br.replace_with("\n")
        for block in soup.find_all(["p", "div", "li", "tr"]):
            block.append("\n")
        raw = soup.get_text()
    lines = [_SPACES.sub(" ", line).strip() for line in raw.replace("\xa0", " ").splitlines()]
    return "\n".join(line for line in lines if line)


def _feedback(node: _Node) -> str:
    return _plain(node.child("feedback"))


def _weighted(answers: list[_Node], *, empty: str, no_credit: str) -> list[Answer]:
    """Choices or accepted answers with their fractions; none empty, and one at least giving
    credit."""
    items = [Answer(_plain(a)[:1000], _fraction(a), _feedback(a)[:1000]) for a in answers]
    if any(not a.text for a in items):
        raise _Malformed(empty)
    if not any(a.weight > 0 for a in items):
        raise _Malformed(no_credit)
    return items


def _question(node: _Node, qtype: str) -> GiftQuestion:
    text_node = node.child("questiontext")
    text = text_node.value("text") if text_node is not None else ""
    text_format = FORMATS.get(
        text_node.attrs.get("format", "html") if text_node is not None else "html", "html"
    )
    if not text.strip() and qtype != MATCHING:
        raise _Malformed(_("the question has no text"))
    question = GiftQuestion(
        qtype="",
        text=text,
        name=node.value("name")[:255],
        text_format=text_format,
        general_feedback=_plain(node.child("generalfeedback")),
        line=node.line,
    )
    points = _number(node.value("defaultgrade", "1") or "1", _("the default mark"))
    question.points = points if 0 < points < 1000 else 1.0  # Moodle's 0 marks a non-question
    answers = node.all("answer")
    if qtype == "multichoice":
        single = node.value("single", "true").lower() in ("true", "1")
        question.qtype = SINGLE if single else MULTIPLE
        if len(answers) < 2:
            raise _Malformed(_("a choice question needs at least two choices"))
        question.answers = _weighted(
            answers,
            empty=_("a choice cannot be empty"),
            no_credit=_("no choice has a positive fraction"),
        )
    elif qtype == "truefalse":
        question.qtype = TRUEFALSE
        by_value = {_plain(a).lower(): a for a in answers}
        if set(by_value) != {"true", "false"}:
            raise _Malformed(_("a true/false question needs the answers “true” and “false”"))
        question.correct = _fraction(by_value["true"]) > _fraction(by_value["false"])
        question.feedback_true, question.feedback_false = (
            _feedback(by_value["true"]),
            _feedback(by_value["false"]),
        )
    elif qtype == "shortanswer":
        question.qtype = SHORT
        question.case_sensitive = node.value("usecase", "0") == "1"
        question.answers = _weighted(
            answers,
            empty=_("a short answer cannot be empty"),
            no_credit=_("no accepted answer has a positive fraction"),
        )
    elif qtype == "numerical":
        question.qtype = NUMERICAL
        for a in answers:
            raw = _plain(a)
            if raw in ("*", ""):  # Moodle's "any other answer": kept for its feedback
                question.numeric.append(NumericAnswer(weight=0.0, feedback=_feedback(a)[:1000]))
                continue
            tolerance = _number(a.value("tolerance", "0") or "0", _("the tolerance"))
            question.numeric.append(
                NumericAnswer(
                    value=_number(raw, _("the answer")),
                    tolerance=abs(tolerance),
                    weight=_fraction(a),
                    feedback=_feedback(a)[:1000],
                )
            )
        if not any(a.weight > 0 for a in question.numeric):
            raise _Malformed(_("no numerical answer has a positive fraction"))
    elif qtype == "matching":
        question.qtype = MATCHING
        for sub in node.all("subquestion"):
            right = _plain(sub.child("answer"))
            if not right:
                raise _Malformed(_("a matching item needs an answer"))
            question.pairs.append(
                MatchPair(_plain(sub)[:500], right[:500])
            )  # no left: a distractor
        if len([p for p in question.pairs if p.left]) < 2:
            raise _Malformed(_("a matching question needs at least two pairs"))
        if not question.text.strip():
            question.text = _("Match each item with its answer.")
    elif qtype == "essay":
        question.qtype = ESSAY
    return question
