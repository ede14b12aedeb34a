"""The content version: one number for everything cached from the page tree (docs/caching.md).

Course structures and small lookups derived from pages are cached under the current content
version. Publishing, moving or deleting a page, or changing a site, a setting, an image, a
document or a view restriction sets a new version in the shared cache, so every copy made
before is ignored. Each process also keeps what it derived in memory, and asks the shared cache
for the version at most every `CONTENT_VERSION_CHECK_SECONDS`: another process's change shows
within that delay. While the cache is unreachable there is no version: nothing is kept and
everything is read from the database, and the cache is asked again after the same delay. A
change made then is announced again by its process as soon as the cache answers, so copies made
before it are not read once the cache is back.
"""

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "courses:content-version"
CACHE_SECONDS = 60 * 60
MEMO_ENTRIES = 2000

_lock = threading.Lock()
_process: dict[str, Any] = {"version": None, "checked": None, "memo": {}, "unannounced": None}


def content_version() -> str | None:
    """The current content version, or None while the shared cache does not answer. Either
    answer is kept for `CONTENT_VERSION_CHECK_SECONDS`: while Redis hangs, a request does not
    wait for its timeouts once per cached lookup."""
    now = time.monotonic()
    with _lock:
        if _process["checked"] is not None and now - _process["checked"] < _check_seconds():
            return _process["version"]
    if _process["unannounced"] is not None:
        _announce(_process["unannounced"])
    # Still unannounced: the cache did not answer just now, no need to ask it again.
    version = _read_version() if _process["unannounced"] is None else None
    _remember(version, time.monotonic())  # from the answer: asking may have taken timeouts
    return version


def _read_version() -> str | None:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start: after an eviction of this key, entries of an old version never match.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed() -> None:
    """A new content version, for every process (this one at once, others within seconds)."""
    version = uuid.uuid4().hex
    _announce(version)
    _remember(version, time.monotonic())


def _announce(version: str) -> None:
    cache.set(VERSION_KEY, version, timeout=None)
    # Read back: with the cache down the write was dropped (django-redis IGNORE_EXCEPTIONS).
    _process["unannounced"] = None if cache.get(VERSION_KEY) == version else version


def _check_seconds() -> float:
    return getattr(settings, "CONTENT_VERSION_CHECK_SECONDS", 2.0)


def _remember(version: str | None, now: float) -> None:
    with _lock:
        if version != _process["version"]:
            _process["memo"] = {}
        _process["version"], _process["checked"] = version, now


def content_cached_many(
    names: list[str], build: Callable[[list[str]], dict[str, Any]], *, language: str = ""
) -> dict[str, Any]:
    """name -> value for every name, each kept under the content version in this process and
    in the shared cache; `build(missing_names)` makes the missing ones at once. Values must be
    plain (no model instances); `language`: the language of any text they hold."""
    version = content_version()
    if version is None:
        return build(names)
    keys = {f"courses:{name}:{language}:{version}": name for name in names}
    memo = _process["memo"]
    result = {keys[k]: memo[k] for k in keys if k in memo}
    wanted = [k for k in keys if k not in memo]
    found = cache.get_many(wanted) if wanted else {}
    missing = [keys[k] for k in wanted if k not in found]
    built = build(missing) if missing else {}
    fresh = {k: built[name] for k, name in keys.items() if name in built}
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    if len(memo) + len(wanted) > MEMO_ENTRIES:
        memo.clear()
    for key, value in {**found, **fresh}.items():
        memo[key] = value
        result[keys[key]] = value
    return result


def content_cached(name: str, build: Callable[[], Any], *, language: str = "") -> Any:
    """What `build()` returns, kept like `content_cached_many` does."""
    return content_cached_many([name], lambda missing: {name: build()}, language=language)[name]
