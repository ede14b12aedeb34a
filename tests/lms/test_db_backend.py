"""lms.db.postgresql: the health check sends `SELECT 1` only when the idle connection's socket
has something to read, such as the server ending the connection (the fault tests in
tests/faults/test_postgres_drop.py do the same through gunicorn and a Celery worker)."""

import select
import time

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.services


@pytest.fixture
def postgres_connection(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's own check")  # CI runs the suite on PostgreSQL
    connection.ensure_connection()
    return connection


def _health_check(conn) -> None:
    conn.health_check_done = False  # as at the start of a request
    conn.close_if_health_check_failed()


def test_a_quiet_connection_needs_no_round_trip_and_one_the_server_ended_is_replaced(postgres_connection,
                                                                                     monkeypatch):
    conn = postgres_connection
    checks = []
    real = conn.is_usable
    monkeypatch.setattr(conn, "is_usable", lambda: checks.append(1) or real())
    pid = conn.connection.info.backend_pid

    _health_check(conn)
    assert checks == [] and conn.connection.info.backend_pid == pid

    settings = conn.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
                         port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
                         autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    poller = select.poll()
    poller.register(conn.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 5
    while not poller.poll(50) and time.monotonic() < deadline:
        pass

    _health_check(conn)
    assert checks == [1]  # the socket had the server's goodbye: the real check ran, and failed
    assert conn.connection is None
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_inside_a_transaction_the_check_is_the_real_one(postgres_connection, monkeypatch):
    from django.db import transaction

    conn = postgres_connection
    checks = []
    real = conn.is_usable
    monkeypatch.setattr(conn, "is_usable", lambda: checks.append(1) or real())
    with transaction.atomic():
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
        _health_check(conn)
    assert checks == [1]
