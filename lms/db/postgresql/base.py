"""Django's PostgreSQL backend, with a health check that costs no round trip while the
connection's socket is quiet.

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` before the first query of every request
that uses the database: one round trip of about a dozen in a quiz submission. A server that
ends a connection (a restart, `pg_terminate_backend`, an idle timeout) first sends it a message
and closes it, so the idle socket turns readable; only then is `SELECT 1` worth sending. A
quiet socket with no transaction open is as alive as the round trip would have shown, short
of a network that drops packets silently, where `SELECT 1` would hang as well.
`tests/faults/test_postgres_drop.py` ends the connection under a request and under a task.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._socket_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_quiet(self) -> bool:
        """True when the idle connection has nothing to read (nothing was sent to it)."""
        connection = self.connection
        try:
            if connection.closed or connection.broken or connection.info.transaction_status != TransactionStatus.IDLE:
                return False
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, AttributeError):
            return False
