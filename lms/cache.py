"""A Redis cache that degrades to "no cache" while Redis is unreachable.

The cache only ever holds copies of what the database knows, so a Redis outage must cost speed,
never a failed request: a learner completing a lesson while Redis restarts still gets a 200 and
their progress saved. Reads miss, writes are dropped, `add` reports success (database
constraints, not cache locks, guard uniqueness), and `incr` counts from zero (rate limits fail
open). Errors are logged; the connection pool reconnects by itself when Redis returns.

A dropped write may have been an invalidation (a new content or learner version), so a process
that dropped one calls the `on_recovery` callbacks after its first successful call once Redis
answers again; the courses app registers a new content version there, which makes every page,
route and learner render stored before the outage unreachable.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


on_recovery: list = []  # callables, run once after writes were dropped and Redis answers again
_state = {"lost_writes": False}


def _recovered() -> None:
    _state["lost_writes"] = False  # first: the callbacks' own writes must not recurse here
    for callback in on_recovery:
        try:
            callback()
        except Exception:
            logger.exception("cache recovery callback failed")


def _tolerant(method, fallback, *, write=False):
    def call(self, *args, **kwargs):
        if _state["lost_writes"]:
            _recovered()  # before this call, so that it already reads the new versions
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable (%s): %s skipped", error.__class__.__name__, method.__name__)
            if write:
                _state["lost_writes"] = True
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = method.__name__
    return call


class ResilientRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        """One redis-py client per connection pool, reused: Django builds a new one for every
        cache call, which costs more than a round trip to Redis on loopback (the client copies
        its table of ~170 response callbacks each time). Clients are thread-safe."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _tolerant(RedisCacheClient.add, True, write=True)
    get = _tolerant(RedisCacheClient.get, lambda key, default: default)
    set = _tolerant(RedisCacheClient.set, None, write=True)
    touch = _tolerant(RedisCacheClient.touch, False, write=True)
    delete = _tolerant(RedisCacheClient.delete, False, write=True)
    get_many = _tolerant(RedisCacheClient.get_many, lambda keys: {})
    has_key = _tolerant(RedisCacheClient.has_key, False)
    incr = _tolerant(RedisCacheClient.incr, lambda key, delta: delta, write=True)
    set_many = _tolerant(RedisCacheClient.set_many, lambda data, timeout: [], write=True)
    delete_many = _tolerant(RedisCacheClient.delete_many, None, write=True)
    clear = _tolerant(RedisCacheClient.clear, False, write=True)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
