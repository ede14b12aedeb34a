"""One version number for everything cached from the page tree.

Cached course structures, the course a page belongs to, resolved routes and anonymous page
renders all carry the current content version in their keys. Publishing, moving or deleting a
page (or changing a site, a setting, an image, a document or a view restriction) sets a new
version, so every cached copy is ignored at once, in every process that shares the cache.
"""

import copy
import threading
import uuid
from contextlib import contextmanager

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


_local = threading.local()


@contextmanager
def request_scope():
    """Within one request, read the content version from the cache once (courses.middleware
    opens this scope around every request; tasks and commands read it every time)."""
    _local.scoped, _local.version = True, None
    try:
        yield
    finally:
        _local.scoped, _local.version = False, None


def content_version(found: str | None = None) -> str:
    """The current content version (`found`: the value already read with other keys)."""
    scoped = getattr(_local, "scoped", False)
    if scoped and _local.version is not None:
        return _local.version
    version = found or cache.get(VERSION_KEY)
    if version is None:
        # A random start: after an eviction of this key, entries of an old version never match.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "0"
    if scoped:
        _local.version = version
    return version


def content_changed() -> None:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    if getattr(_local, "scoped", False):
        _local.version = version


# What is keyed by the content version never changes under its key, so each process may also
# keep it in memory (course structures, the course of a page): no cache round trip, no unpickling.
_memo: dict = {}
MEMO_ENTRIES = 2000


def _memo_on() -> bool:
    # Without a shared cache another process's new version goes unseen here, so an entry kept
    # in memory under the old version would live on: keep nothing then.
    from django.conf import settings

    return getattr(settings, "CACHE_SHARED", False)


def memo_get(key: str):
    return _memo.get(key) if _memo_on() else None


def memo_set(key: str, value) -> None:
    if not _memo_on():
        return
    if len(_memo) >= MEMO_ENTRIES:
        _memo.clear()  # old versions' entries go with it
    _memo[key] = value


_MISSING = "missing"


def content_cached(name: str, build):
    """What `build()` returns (a page or other content, or None), kept under the content
    version in this process and in the cache. A copy is returned: callers may set attributes."""
    key = f"courses:content:{content_version()}:{name}"
    found = memo_get(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            value = build()
            found = _MISSING if value is None else value
            cache.set(key, found, cache_seconds(60 * 60))
        memo_set(key, found)
    return None if found == _MISSING else copy.copy(found)


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
    if len(user_ids) == 1:  # one command; set_many wraps even one key in MULTI/EXEC
        (uid,) = user_ids
        cache.set(learner_key(uid), uuid.uuid4().hex, timeout=None)
        return
    cache.set_many({learner_key(uid): uuid.uuid4().hex for uid in user_ids}, timeout=None)


@contextmanager
def learner_changes():
    """Collect learners_changed() calls within the block and bump each learner once, at its end
    (a service that writes several rows of one learner)."""
    if getattr(_local, "batch", None) is not None:  # nested: the outer block bumps
        yield
        return
    _local.batch = set()
    try:
        yield
    finally:
        ids, _local.batch = _local.batch, None
        if ids:
            learners_changed(ids)


def learners_changed(user_ids) -> None:
    """New versions for these learners when the change commits (at once outside a transaction).

    Not before the commit: a reader in another process may render the old rows until then and
    store that render under a version set earlier. Within a test case's transaction, which never
    commits, the bump happens at once. One after-commit bump per transaction covers every
    learner it changed.
    """
    ids = {uid for uid in user_ids if uid is not None}
    if not ids:
        return
    batch = getattr(_local, "batch", None)
    if batch is not None:
        batch |= ids
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(ids)
        return
    if any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        _bump(ids)  # a test's transaction never commits, so its on-commit bump never runs
    pending = getattr(connection, "_courses_learner_bump", None)
    # A rolled-back savepoint drops its on-commit callbacks: then register a new one.
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = connection._courses_learner_bump = _PendingBump()
        transaction.on_commit(pending)
    pending.ids |= ids
