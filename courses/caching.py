"""One version number for everything cached from the page tree.

Cached course structures, the course a page belongs to, resolved routes and anonymous page
renders all carry the current content version in their keys. Publishing, moving or deleting a
page (or changing a site, a setting, an image, a document or a view restriction) sets a new
version, so every cached copy is ignored at once, in every process that shares the cache.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "courses:content-version"
# A process-local cache (no REDIS_URL) cannot hear another process's new version: keep what it
# holds briefly, so several workers without a shared cache disagree for a minute at most.
LOCAL_CACHE_SECONDS = 60


def cache_seconds(seconds: int) -> int:
    """How long to keep an entry: as asked with a shared cache, briefly with a local one."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return min(seconds, LOCAL_CACHE_SECONDS) if isinstance(caches["default"], LocMemCache) else seconds


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start: after an eviction of this key, entries of an old version never match.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "0"
    return version


def content_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


# ------------------------------------------------------------------ per-learner versions
#
# A logged-in learner's render of a lesson (courses.middleware) is stored under the content
# version *and* the learner's own version, which changes whenever something that page shows
# about them may have changed: their progress, enrolments, account, roles or cohorts.

LEARNER_KEY = "courses:learner-version:{}"


def learner_key(user_id) -> str:
    return LEARNER_KEY.format(user_id)


def learner_version(user_id, found: str | None = None) -> str:
    """The learner's current version (`found`: the value already read with other keys)."""
    if found is not None:
        return found
    key = learner_key(user_id)
    cache.add(key, uuid.uuid4().hex, timeout=None)
    return cache.get(key) or "0"


class _PendingBump:
    """The after-commit bump of one transaction, with the learners it covers."""

    def __init__(self):
        self.ids: set = set()

    def __call__(self):
        _bump(self.ids)


def _bump(user_ids) -> None:
    cache.set_many({learner_key(uid): uuid.uuid4().hex for uid in user_ids}, timeout=None)


def learners_changed(user_ids) -> None:
    """New versions for these learners, now and again after the commit.

    Now, so that this process never reads a stale page (tests run inside a transaction that
    never commits); after the commit, because a reader in another process may render the old
    rows between this change and the commit and store that render under the version set now.
    One after-commit bump per transaction covers every learner it changed.
    """
    ids = {uid for uid in user_ids if uid is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    _bump(ids)
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "_courses_learner_bump", None)
    # A rolled-back savepoint drops its on-commit callbacks: then register a new one.
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = connection._courses_learner_bump = _PendingBump()
        transaction.on_commit(pending)
    pending.ids |= ids
