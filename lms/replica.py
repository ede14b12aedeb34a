"""Reading at scale from a PostgreSQL streaming replica.

With `DATABASE_REPLICA_URL` set, the `replica` database alias exists and `ReplicaRouter` sends
reads there, but only inside `reading_from_replica()` — the dashboards, exports and survey results
that a view marks with `@replica_reads`. Everything else, every write and every read that decides
a write, stays on the primary (`default`). A replica that cannot be reached is skipped: the page
reads from the primary and says so. A replica that lags is tolerated: the page says how fresh its
data are (`replica_freshness`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
_reading = contextvars.ContextVar("lms_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Reads go to the replica inside `reading_from_replica()`; writes always to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data: an object read from the replica may point at one
        # read from the primary.
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints
    ) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_reachable() -> bool:
    if not replica_configured():
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        logger.warning("Read replica unreachable: reading from the primary instead")
        connections[REPLICA].close()
        return False
    return True


@contextlib.contextmanager
def reading_from_replica() -> Iterator[bool]:
    """Within the block, ORM reads go to the replica when it answers; yields whether they do."""
    use = replica_reachable()
    token = _reading.set(use)
    try:
        yield use
    finally:
        _reading.reset(token)


@dataclass(frozen=True)
class Freshness:
    """How current a page's data are: from the primary (live), or a replica `lag_seconds` behind."""

    source: str
    lag_seconds: float = 0.0

    @property
    def from_replica(self) -> bool:
        return self.source == REPLICA

    @property
    def live(self) -> bool:
        return self.lag_seconds < 1

    @property
    def known(self) -> bool:
        return math.isfinite(self.lag_seconds)

    @property
    def seconds(self) -> int:
        return round(self.lag_seconds) if self.known else -1


def replica_freshness() -> Freshness:
    """Compare the primary's WAL position with what the replica has replayed.

    Equal positions mean the replica is current, whatever the age of its last transaction
    (an idle primary writes none); otherwise the lag is the age of the last replayed one.
    """
    if not replica_configured():
        return Freshness(DEFAULT_DB_ALIAS)
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            primary_lsn = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, "
                "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)",
                [primary_lsn],
            )
            caught_up, age = cursor.fetchone()
    except DatabaseError:
        logger.warning("Could not measure the read replica's lag", exc_info=True)
        return Freshness(REPLICA, float("inf"))
    return Freshness(REPLICA, 0.0 if caught_up else max(float(age), 0.0))


def replica_reads(view: Callable) -> Callable:
    """Serve a read-only view (dashboards, exports, results) from the replica when there is one.

    The view finds `request.data_freshness` for the page to show. Use it only on GET views that
    write nothing: a POST, and every service it calls, keeps reading from the primary.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Who is asking is read from the primary: a person created a moment ago may not have
        # reached the replica yet.
        bool(getattr(request, "user", None))
        with reading_from_replica() as used:
            request.data_freshness = replica_freshness() if used else Freshness(DEFAULT_DB_ALIAS)
            return view(request, *args, **kwargs)

    return wrapper
