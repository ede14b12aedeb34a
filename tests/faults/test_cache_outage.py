"""`lms.cache.ResilientRedisCache` with no Redis behind it: every operation answers as a cache
miss would, quickly, instead of raising (no server needed: nothing listens on the port)."""

import socket
import time

import pytest

from lms.cache import ResilientRedisCache


@pytest.fixture
def dead_cache():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connections are refused
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1}})


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda c: c.get("k"), None),
        (lambda c: c.get("k", "fallback"), "fallback"),
        (lambda c: c.set("k", 1), None),
        (lambda c: c.add("k", 1), True),
        (lambda c: c.delete("k"), False),
        (lambda c: c.get_many(["a", "b"]), {}),
        (lambda c: c.set_many({"a": 1}), []),
        (lambda c: c.has_key("k"), False),
        (lambda c: c.incr("k", 3), 3),
        (lambda c: c.touch("k"), False),
        (lambda c: c.delete_many(["a"]), None),
        (lambda c: c.clear(), False),
    ],
)
def test_an_unreachable_redis_reads_as_a_miss(dead_cache, call, expected):
    started = time.monotonic()
    assert call(dead_cache) == expected
    assert time.monotonic() - started < 3


def test_get_or_set_falls_back_to_computing_the_value(dead_cache):
    assert dead_cache.get_or_set("k", lambda: "computed") == "computed"
