"""One version number for everything cached from the page tree.

Cached course structures, the course a page belongs to, resolved routes and anonymous page
renders all carry the current content version in their keys. Publishing, moving or deleting a
page (or changing a site, a setting, an image, a document or a view restriction) sets a new
version, so every cached copy is ignored at once, in every process that shares the cache.
"""

import uuid

from django.core.cache import cache

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
