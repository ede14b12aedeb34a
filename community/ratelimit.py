"""Posting limits per person: fixed windows counted in the Django cache (Redis in production, so
every process shares them; per process with the local-memory cache of a first run or tests)."""

import logging

from django.core.cache import cache
from django.utils import timezone

# (window in seconds, posts allowed in it)
logger = logging.getLogger(__name__)
POST_LIMITS = ((60, 5), (3600, 40))


def allow_post(user_id: int) -> bool:
    """Count one post of this person; False once a window's limit is reached."""
    now = int(timezone.now().timestamp())
    allowed = True
    for window, limit in POST_LIMITS:
        key = f"community:posts:{user_id}:{window}:{now // window}"
        try:
            if cache.add(key, 1, timeout=window + 5):
                continue
            allowed = allowed and cache.incr(key) <= limit
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
        except Exception:  # cache down: posting stays possible
            logger.warning("posting limit not counted: cache unavailable", exc_info=True)
    return allowed
