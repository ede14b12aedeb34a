"""A Redis cache that degrades to "no cache" while Redis is unreachable.

The cache only ever holds copies of what the database knows, so a Redis outage must cost speed,
never a failed request: a learner completing a lesson while Redis restarts still gets a 200 and
their progress saved. Reads miss, writes are dropped, `add` reports success (database
constraints, not cache locks, guard uniqueness), and `incr` counts from zero (rate limits fail
open). Errors are logged; the connection pool reconnects by itself when Redis returns.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method, fallback):
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable (%s): %s skipped", error.__class__.__name__, method.__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = method.__name__
    return call


class ResilientRedisCacheClient(RedisCacheClient):
    add = _tolerant(RedisCacheClient.add, True)
    get = _tolerant(RedisCacheClient.get, lambda key, default: default)
    set = _tolerant(RedisCacheClient.set, None)
    touch = _tolerant(RedisCacheClient.touch, False)
    delete = _tolerant(RedisCacheClient.delete, False)
    get_many = _tolerant(RedisCacheClient.get_many, lambda keys: {})
    has_key = _tolerant(RedisCacheClient.has_key, False)
    incr = _tolerant(RedisCacheClient.incr, lambda key, delta: delta)
    set_many = _tolerant(RedisCacheClient.set_many, lambda data, timeout: [])
    delete_many = _tolerant(RedisCacheClient.delete_many, None)
    clear = _tolerant(RedisCacheClient.clear, False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
