"""Verification's limiter: the site's one limiter (`lms.ratelimit`), failing open.

Verification is public and read-only: while the limiter's store is down, checking a
certificate keeps working (unlimited); the README says so.
"""

from lms.ratelimit import client_ip as client_address
from lms.ratelimit import hit as _hit

__all__ = ["client_address", "hit"]


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    return _hit(scope, key, limit=limit, window_seconds=window_seconds, fail_open=True)
