"""One version number for everything cached from the page tree.

Cached course structures, the course a page belongs to, resolved routes and anonymous page
renders all carry the current content version in their keys. Publishing, moving or deleting a
page (or changing a site, a setting, an image, a document or a view restriction) sets a new
version, so every cached copy is ignored at once, in every process that shares the cache.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "courses:content-version"


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start: after an eviction of this key, entries of an old version never match.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "0"
    return version


def content_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
