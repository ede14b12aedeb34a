"""A connection dropped without a FIN: a load balancer or a failover forgets an idle connection
to PostgreSQL and answers its next packet with a reset, so the application's idle socket looks
alive until it is used. The next request still succeeds on a fresh connection: Django's
CONN_HEALTH_CHECKS tries the connection before the request's first query."""

import os
import socket
import struct
import subprocess
import sys
import threading
import urllib.request

import pytest

from tests.conftest import stop_process

from .conftest import ROOT, wait_for

pytestmark = [pytest.mark.services, pytest.mark.slow]


class ForgetfulProxy:
    """A TCP proxy to PostgreSQL that can forget its connections silently: nothing reaches the
    client when it forgets, and the client's next packet gets a reset."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs: list[tuple[socket.socket, socket.socket, threading.Event]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            forgotten = threading.Event()
            with self.lock:
                self.pairs.append((client, server, forgotten))
            threading.Thread(
                target=self._pump, args=(client, server, forgotten, True), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(server, client, forgotten, False), daemon=True
            ).start()

    @staticmethod
    def _pump(source, target, forgotten, from_client: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if forgotten.is_set():
                if from_client:  # the client speaks on a forgotten connection: reset it
                    source.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    source.close()
                return
            if not data:
                target.close()
                return
            try:
                target.sendall(data)
            except OSError:
                return

    def forget_all(self) -> int:
        """Drop every connection upstream; tell the clients nothing."""
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for _client, server, forgotten in pairs:
            forgotten.set()
            server.close()
        return len(pairs)

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize("pool", [False, True], ids=["persistent", "pool"])
def test_a_connection_dropped_without_a_fin_is_replaced_not_a_500(
    postgres, site_tree, tmp_path, pool
):
    """Both connection modes (README, "Database connections"): persistent connections with
    CONN_HEALTH_CHECKS, and Django's psycopg pool (DATABASE_POOL)."""
    settings_dict = postgres.settings_dict
    proxy = ForgetfulProxy(
        (settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{settings_dict['NAME']}",
        "CONN_MAX_AGE": "600",
        "AXES_ENABLED": "false",
        "DATABASE_POOL": "true" if pool else "false",
    }
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    try:
        wait_for(lambda: status("/healthz") == 200, 30, "gunicorn")
        assert status("/aprendizaje/cursos/") == 200  # opens the persistent connection
        statuses = []
        for _ in range(3):
            assert proxy.forget_all() >= 1, "the application held no connection"
            statuses.append(status("/aprendizaje/cursos/"))
        assert statuses == [200, 200, 200], (tmp_path / "gunicorn.log").read_text()[-3000:]
    finally:
        stop_process(process)
        proxy.close()
