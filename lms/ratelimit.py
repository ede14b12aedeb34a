"""Client addresses and fixed-window request limits, for every limiter of the site.

`client_ip` is the one rule for "who is asking": the socket address, unless settings name the
proxies in front (`TRUSTED_PROXY_COUNT` or `TRUSTED_PROXY_NETWORKS`); then the address those
proxies saw. django-axes (login) uses it through `AXES_CLIENT_IP_CALLABLE`; certificate
verification, check-in codes and reminders through `hit`.

Why not django-ipware's resolver: its default ("modern") engine prefers a publicly routable
address anywhere in X-Forwarded-For, so a client that sends `X-Forwarded-For: 8.8.8.8` through
a proxy on a private network is taken for 8.8.8.8; and its proxy count counts proxies listed *in*
the header, which a single nginx (`$proxy_add_x_forwarded_for`) never lists. The rule here reads
the header from the right, where only trusted proxies write.

The counters live in the `ratelimit` cache (Redis when configured). That cache raises when its
store is down; `hit` then either lets the request through (`fail_open`, logged as a warning) or
raises `LimiterUnavailable` (logged as an error) for the caller to refuse with a clear message.
"""

import hashlib
import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.utils import timezone

logger = logging.getLogger(__name__)


class LimiterUnavailable(Exception):
    """The limiter's store cannot be reached and this limiter fails closed."""


def _parse(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in spec if n.strip())


def client_ip(request) -> str:
    """The client's address as configured (see the module docstring); never raises."""
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "") or "unknown"
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXY_NETWORKS", ()) or ()))
    if not count and not networks:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    hops = [h.strip() for h in forwarded.split(",") if h.strip()] + [remote]  # nearest hop last
    if networks:
        for hop in reversed(hops):
            address = _parse(hop)
            if address is None:
                return remote
            if not any(ipaddress.ip_address(address) in net for net in networks):
                return address
        return _parse(hops[0]) or remote
    if len(hops) <= count:  # not sent through the configured proxies: the socket is the client
        return remote
    return _parse(hops[-1 - count]) or remote


def axes_client_ip(request) -> str | None:
    """`AXES_CLIENT_IP_CALLABLE`: django-axes keys login failures on the same address. None when
    there is no address (a request built in code): axes stores addresses in an IP column."""
    address = client_ip(request)
    return None if address == "unknown" else address


def _store():
    try:
        return caches["ratelimit"]
    except InvalidCacheBackendError:
        return caches["default"]


def hit(scope: str, key: str, *, limit: int, window_seconds: int, fail_open: bool) -> bool:
    """Count one request of `key` in `scope`; True while within `limit` per window.

    Store down: True when `fail_open`, else `LimiterUnavailable`. Both are logged."""
    window = int(timezone.now().timestamp()) // window_seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    store = _store()
    try:
        if store.add(cache_key, 1, timeout=window_seconds + 5):
            return True
        try:
            return store.incr(cache_key) <= limit
        except ValueError:  # expired between add and incr
            store.set(cache_key, 1, timeout=window_seconds + 5)
            return True
    except Exception as error:  # noqa: BLE001 - any store failure is "store down" here
        if fail_open:
            logger.warning(
                "rate limiter %s: store unavailable (%s); request allowed",
                scope,
                error.__class__.__name__,
            )
            return True
        logger.error(
            "rate limiter %s: store unavailable (%s); request refused",
            scope,
            error.__class__.__name__,
        )
        raise LimiterUnavailable(scope) from error
