"""Figures that other apps own, read through their published selectors.

Reports sits at the top of the dependency order: it imports the selectors of assessments,
workshops and certificates (each documented as "a constant number of queries for a list of
learners") and never their models. An app that does not offer a selector yet yields no data,
which the pages show as "—" rather than a guess.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from courses.models import CoursePage
    from lms.models import User

logger = logging.getLogger(__name__)


def selector(module: str, name: str) -> Callable | None:
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


# Large id lists go in slices: SQLite caps the parameters of one statement (32,766 since 3.32).
CHUNK = 5000


def _chunked(
    fn: Callable[[list[int], CoursePage], dict], user_ids: list[int], course: CoursePage
) -> dict:
    ids = list(user_ids)
    result: dict = {}
    for start in range(0, len(ids), CHUNK):
        result.update(fn(ids[start : start + CHUNK], course) or {})
    return result


def available(module: str, name: str) -> bool:
    return selector(module, name) is not None


def quiz_results(user_ids: list[int], course: CoursePage) -> dict[int, dict]:
    """user id -> {best_score, pre, post, gain, failed_out} (assessments)."""
    fn = selector("assessments.selectors", "quiz_results_for")
    if fn is None or not user_ids:
        return {}
    return _chunked(fn, user_ids, course)


def attendance(user_ids: list[int], course: CoursePage) -> dict[int, dict]:
    """user id -> {registered, attended, absent, excused} (workshops)."""
    fn = selector("workshops.selectors", "attendance_for")
    if fn is None or not user_ids:
        return {}
    return _chunked(fn, user_ids, course)


def certificates(user_ids: list[int], course: CoursePage) -> dict[int, object]:
    """user id -> Certificate (certificates)."""
    fn = selector("certificates.selectors", "certificates_for")
    if fn is None or not user_ids:
        return {}
    return _chunked(fn, user_ids, course)


def offline_items(user_ids: list[int], course: CoursePage) -> list:
    """Items these learners answered without a connection, with the time answered and received
    (offline)."""
    fn = selector("offline.selectors", "items_for")
    if fn is None or not user_ids:
        return []
    return fn(list(user_ids)[:CHUNK], course)


def certificate_issued_at(certificate: object) -> date | datetime | None:
    """When a certificate was issued: a date or a datetime, whichever the model keeps."""
    for name in ("issued_on", "issued_at", "created_at"):
        value = getattr(certificate, name, None)
        if value is not None:
            return value
    return None


def certificate_is_valid(certificate: object) -> bool:
    """A revoked certificate does not count as issued."""
    if getattr(certificate, "revoked_at", None) is not None:
        return False
    state = str(getattr(certificate, "state", "") or getattr(certificate, "status", "") or "")
    return state != "revoked"


def essays_to_grade(user: User) -> int | None:
    """How many submitted attempts wait for this person's grading (assessments)."""
    fn = selector("assessments.selectors", "essay_queue")
    return None if fn is None else fn(user).count()


def sessions_between(user: User, start: datetime, end: datetime) -> list:
    """Workshop sessions this person runs that start in [start, end) (workshops)."""
    fn = selector("workshops.selectors", "sessions_managed_by")
    return [] if fn is None else list(fn(user, since=start).filter(start__lt=end)[:10])
