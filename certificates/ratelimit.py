"""A fixed-window request counter per client address in the Django cache (Redis in production).

Shared by every process through the cache, so it holds with many gunicorn workers; with the
local-memory cache (first run, tests) it is per process, which is enough there.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request; True while the client is within `limit` requests per window."""
    window = int(timezone.now().timestamp()) // window_seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    try:
        if cache.add(cache_key, 1, timeout=window_seconds + 5):
            return True
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        return True
    except Exception:  # cache down: do not lock the public out
        return True
