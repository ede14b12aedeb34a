"""Fault tests start their OWN Redis (ports 6390+) and Celery worker, and stop them by PID,
so killing them disturbs nothing else. They need PostgreSQL (the worker and the live server
must see committed rows): on SQLite they skip locally and fail under CI=true."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import IN_CI, stop_process

ROOT = Path(__file__).resolve().parents[2]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(predicate, timeout: float = 30, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {message}")


class RedisServer:
    """A throwaway redis-server on its own port; `stop()` and `start()` simulate an outage."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = next(p for p in range(6390, 6490) if _port_free(p))
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: _answers(self.port), 10, f"redis-server on port {self.port}")

    def pause(self):
        """Freeze the server (SIGSTOP): clients time out, and what it holds survives."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)
        wait_for(
            lambda: _answers(self.port), 10, f"redis-server on port {self.port} to answer again"
        )

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot handle SIGTERM
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        wait_for(lambda: not _answers(self.port), 10, "redis-server to stop")


class CeleryWorker:
    def __init__(self, env: dict, workdir: Path, concurrency: int = 2):
        self.env, self.workdir, self.process = env, workdir, None
        self.concurrency = concurrency
        self.log = workdir / "worker.log"

    def start(self):
        out = open(self.log, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool=prefork",
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "--pidfile",
                str(self.workdir / "worker.pid"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        pytest.fail("Celery worker did not start:\n" + self.log.read_text()[-3000:])

    def stop(self):
        stop_process(self.process)


def database_url(connection) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def postgres(transactional_db):
    """The test database, which must be PostgreSQL here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        message = "fault tests need PostgreSQL (set DATABASE_URL=postgres://...)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return connection


@pytest.fixture
def site_tree(postgres):
    """Root page, locale, roles and home page (a transactional test flushed them)."""
    from courses.factories import site_home
    from lms.services import roles_ensure
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    roles_ensure()
    return site_home()


@pytest.fixture
def redis_server(tmp_path):
    if not any((Path(d) / "redis-server").exists() for d in os.environ.get("PATH", "").split(":")):
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """Point this process's cache and Celery app at the throwaway Redis, as production would."""
    from lms.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "lms:faults",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = redis_server.url
    app.conf.task_always_eager = False
    reset_connections(app)
    yield redis_server
    app.conf.update(saved)
    reset_connections(app)


def reset_connections(app) -> None:
    """Forget pooled broker connections so the next publish uses the current broker_url.

    kombu also keeps its pools in a registry keyed by broker URL; a later test whose throwaway
    Redis got the same port would be handed the closed pool ("Acquire on closed pool")."""
    import kombu.pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    kombu.pools.reset()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def worker_env(postgres, broker, tmp_path, settings):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url(postgres),
        "REDIS_URL": broker.url,
        "RELEASE_ID": "faults",  # the cache key prefix this process uses too (broker)
        "MEDIA_ROOT": str(media),
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "INFO",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
