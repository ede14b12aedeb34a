"""Grading over question snapshots, with no database access.

An attempt stores a *snapshot* of each question it asked (a plain dict, see `Question.snapshot`),
so editing a question in the bank never changes how a past attempt reads or was graded.

Snapshot keys: ``key``, ``type``, ``text``, ``format``, ``points``, ``general_feedback`` and, by
type, ``choices`` [{key, text, weight, feedback}] (single, multiple, likert: weight is the scale
value), ``answers`` [{text, weight, feedback}] with ``case_sensitive``/``ignore_accents``
(short), ``numeric`` [{value, tolerance, low, high, weight, feedback}], ``pairs`` [{left, right}],
``correct``/``feedback_true``/``feedback_false`` (true/false). Weights are percentages.

Responses (what the learner answered, as stored): single/likert/truefalse -> str, multiple ->
list[str], short/numerical/essay -> str, matching -> {left index as str: right text}.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
SHORT = "short"
NUMERICAL = "numerical"
MATCHING = "matching"
ESSAY = "essay"
LIKERT = "likert"

GRADED = "graded"
MANUAL = "manual"  # waits for a trainer (essay)
UNGRADED = "ungraded"  # carries no score (Likert)

CHOICE_TYPES = (SINGLE, MULTIPLE, LIKERT)
MAX_TEXT = 10_000


@dataclass
class Grade:
    status: str
    fraction: float | None = None
    feedback: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return self.status == GRADED and self.fraction is not None and self.fraction >= 0.999

    def as_dict(self) -> dict:
        return {"status": self.status, "fraction": self.fraction, "feedback": self.feedback}


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def normalise_text(text: str, *, case_sensitive: bool = False, ignore_accents: bool = False) -> str:
    text = " ".join(str(text).split())
    if ignore_accents:
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    if not case_sensitive:
        text = text.casefold()
    return unicodedata.normalize("NFC", text)


def parse_number(raw) -> float | None:
    """A number typed by a person: '1.5', '1,5' (decimal comma), '1,000.5', ' -3 '."""
    if raw is None:
        return None
    text = str(raw).strip().replace(" ", "").replace("\u2212", "-")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    else:
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def _pattern(answer: str, *, case_sensitive: bool, ignore_accents: bool) -> re.Pattern:
    """An accepted short answer; `*` stands for any text (as in Moodle)."""
    norm = normalise_text(answer, case_sensitive=case_sensitive, ignore_accents=ignore_accents)
    return re.compile("^" + ".*".join(re.escape(part) for part in norm.split("*")) + "$", re.DOTALL)


def _choice_map(snapshot: dict) -> dict[str, dict]:
    return {c["key"]: c for c in snapshot.get("choices", [])}


def grade(snapshot: dict, response) -> Grade:
    """Grade one response to one question snapshot. Unanswered graded questions score 0."""
    kind = snapshot["type"]
    grader = GRADERS.get(kind)
    if grader is None:
        raise ValueError(f"unknown question type {kind!r}")
    result = grader(snapshot, response)
    if snapshot.get("general_feedback") and result.status != UNGRADED:
        result.feedback.append(snapshot["general_feedback"])
    return result


def _single(snapshot: dict, response) -> Grade:
    choice = _choice_map(snapshot).get(str(response)) if response not in (None, "") else None
    if choice is None:
        return Grade(GRADED, 0.0)
    return Grade(
        GRADED,
        clamp(float(choice["weight"]) / 100),
        [choice["feedback"]] if choice.get("feedback") else [],
    )


def _multiple(snapshot: dict, response) -> Grade:
    choices = _choice_map(snapshot)
    keys = response if isinstance(response, list) else ([response] if response else [])
    selected = [choices[k] for k in dict.fromkeys(str(k) for k in keys) if k in choices]
    total = sum(float(c["weight"]) for c in selected)
    return Grade(GRADED, clamp(total / 100), [c["feedback"] for c in selected if c.get("feedback")])


def _truefalse(snapshot: dict, response) -> Grade:
    if response not in ("true", "false"):
        return Grade(GRADED, 0.0)
    answered_true = response == "true"
    feedback = snapshot.get("feedback_true" if answered_true else "feedback_false") or ""
    return Grade(
        GRADED,
        1.0 if answered_true == bool(snapshot["correct"]) else 0.0,
        [feedback] if feedback else [],
    )


def _short(snapshot: dict, response) -> Grade:
    if not isinstance(response, str) or not response.strip():
        return Grade(GRADED, 0.0)
    options = {
        "case_sensitive": bool(snapshot.get("case_sensitive")),
        "ignore_accents": bool(snapshot.get("ignore_accents")),
    }
    given = normalise_text(response[:MAX_TEXT], **options)
    best = None
    for answer in snapshot.get("answers", []):
        if _pattern(answer["text"], **options).match(given) and (
            best is None or answer["weight"] > best["weight"]
        ):
            best = answer
    if best is None:
        return Grade(GRADED, 0.0)
    return Grade(
        GRADED,
        clamp(float(best["weight"]) / 100),
        [best["feedback"]] if best.get("feedback") else [],
    )


def numeric_matches(answer: dict, value: float) -> bool:
    if answer.get("low") is not None and answer.get("high") is not None:
        return float(answer["low"]) - 1e-9 <= value <= float(answer["high"]) + 1e-9
    if answer.get("value") is None:  # Moodle's "any other answer" (*), kept for its feedback
        return True
    return abs(value - float(answer["value"])) <= float(answer.get("tolerance") or 0) + 1e-9


def _numerical(snapshot: dict, response) -> Grade:
    value = parse_number(response)
    if value is None:
        return Grade(GRADED, 0.0)
    best = None
    for answer in snapshot.get("numeric", []):
        if numeric_matches(answer, value) and (best is None or answer["weight"] > best["weight"]):
            best = answer
    if best is None:
        return Grade(GRADED, 0.0)
    return Grade(
        GRADED,
        clamp(float(best["weight"]) / 100),
        [best["feedback"]] if best.get("feedback") else [],
    )


def _matching(snapshot: dict, response) -> Grade:
    pairs = [p for p in snapshot.get("pairs", []) if p.get("left")]
    if not pairs:
        return Grade(GRADED, 0.0)
    given = response if isinstance(response, dict) else {}
    right = sum(
        1
        for index, pair in enumerate(snapshot["pairs"])
        if pair.get("left") and given.get(str(index)) == pair["right"]
    )
    return Grade(GRADED, right / len(pairs))


def _essay(snapshot: dict, response) -> Grade:
    return Grade(MANUAL, None)


def _likert(snapshot: dict, response) -> Grade:
    return Grade(UNGRADED, None)


GRADERS = {
    SINGLE: _single,
    MULTIPLE: _multiple,
    TRUEFALSE: _truefalse,
    SHORT: _short,
    NUMERICAL: _numerical,
    MATCHING: _matching,
    ESSAY: _essay,
    LIKERT: _likert,
}


def attempt_percent(items: list[tuple[float, dict]]) -> tuple[float | None, bool]:
    """(percent 0-100 over the scored questions, whether any waits for a trainer).

    `items` are (points, grade dict). Ungraded (Likert) questions carry no points; a pending essay
    counts as 0 until graded. None when nothing in the attempt carries points.
    """
    total = earned = 0.0
    pending = False
    for points, result in items:
        if result["status"] == UNGRADED or points <= 0:
            continue
        total += points
        if result["fraction"] is None:
            pending = pending or result["status"] == MANUAL
            continue
        earned += points * float(result["fraction"])
    if total <= 0:
        return None, pending
    return round(100 * earned / total, 2), pending


# ---------------------------------------------------------------- what the browser may see


def public_question(snapshot: dict, order: list[str] | None = None) -> dict:
    """The parts of a question a learner sees before submitting: no weights, no feedback, no key.

    `order` is the attempt's (possibly shuffled) order of choice keys.
    """
    view = {
        "key": snapshot["key"],
        "type": snapshot["type"],
        "text": snapshot["text"],
        "format": snapshot.get("format", "plain"),
        "points": snapshot.get("points", 1),
    }
    if snapshot["type"] in CHOICE_TYPES:
        by_key = _choice_map(snapshot)
        keys = [k for k in (order or []) if k in by_key] or list(by_key)
        view["choices"] = [{"key": k, "text": by_key[k]["text"]} for k in keys]
    elif snapshot["type"] == MATCHING:
        view["lefts"] = [
            {"index": str(i), "text": p["left"]}
            for i, p in enumerate(snapshot["pairs"])
            if p.get("left")
        ]
        view["rights"] = sorted(
            {p["right"] for p in snapshot["pairs"]}, key=lambda t: normalise_text(t)
        )
    return view


def response_from_post(snapshot: dict, data, prefix: str):
    """Read one question's response from submitted form data (anything with `getlist`).

    Unknown choice keys are dropped; texts are cut to a sane length. Returns None when blank.
    """
    kind = snapshot["type"]
    name = f"{prefix}{snapshot['key']}"
    # PostgreSQL JSON cannot hold NUL characters; nobody types them.
    values = [str(v).replace("\x00", "") for v in data.getlist(name)]
    if kind in (SINGLE, LIKERT):
        keys = {c["key"] for c in snapshot.get("choices", [])}
        return next((v for v in values if v in keys), None)
    if kind == MULTIPLE:
        keys = {c["key"] for c in snapshot.get("choices", [])}
        chosen = [v for v in dict.fromkeys(values) if v in keys]
        return chosen or None
    if kind == TRUEFALSE:
        return next((v for v in values if v in ("true", "false")), None)
    if kind == MATCHING:
        rights = {p["right"] for p in snapshot["pairs"]}
        answer = {}
        for index, pair in enumerate(snapshot["pairs"]):
            if not pair.get("left"):
                continue
            value = next((v for v in data.getlist(f"{name}_{index}") if v in rights), None)
            if value is not None:
                answer[str(index)] = value
        return answer or None
    text = (values[0] if values else "").strip()[:MAX_TEXT]
    return text or None


def correct_answers(snapshot: dict) -> list[str]:
    """Human-readable right answers, for the review after submission."""
    kind = snapshot["type"]
    if kind in (SINGLE, MULTIPLE):
        return [c["text"] for c in snapshot["choices"] if float(c["weight"]) > 0]
    if kind == TRUEFALSE:
        return ["true" if snapshot["correct"] else "false"]
    if kind == SHORT:
        return [a["text"] for a in snapshot["answers"] if float(a["weight"]) >= 100] or [
            a["text"] for a in snapshot["answers"] if float(a["weight"]) > 0
        ]
    if kind == NUMERICAL:
        out = []
        for a in snapshot["numeric"]:
            if float(a["weight"]) <= 0:
                continue
            if a.get("low") is not None and a.get("high") is not None:
                out.append(f"{a['low']:g} – {a['high']:g}")
            elif a.get("tolerance"):
                out.append(f"{a['value']:g} ± {a['tolerance']:g}")
            else:
                out.append(f"{a['value']:g}")
        return out
    if kind == MATCHING:
        return [f"{p['left']} → {p['right']}" for p in snapshot["pairs"] if p.get("left")]
    return []


def response_text(snapshot: dict, response) -> str:
    """The learner's response as readable text (review pages, essay queue, survey export)."""
    if response in (None, "", [], {}):
        return ""
    kind = snapshot["type"]
    if kind in CHOICE_TYPES:
        by_key = _choice_map(snapshot)
        keys = response if isinstance(response, list) else [response]
        return "; ".join(by_key[k]["text"] for k in keys if k in by_key)
    if kind == MATCHING and isinstance(response, dict):
        return "; ".join(
            f"{p['left']} → {response.get(str(i), '')}"
            for i, p in enumerate(snapshot["pairs"])
            if p.get("left")
        )
    return str(response)
