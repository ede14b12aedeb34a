"""A task travels through Redis to a real Celery worker process and runs there."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.services
def test_a_task_sent_through_redis_runs_in_a_real_worker(redis_url, tmp_path):
    import redis
    from celery import Celery

    url = redis_url.rsplit("/", 1)[0] + "/6"
    client = redis.Redis.from_url(url)
    client.flushdb()
    env = {
        **os.environ,
        "REDIS_URL": url,
        "RELEASE_ID": "worker-test",
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
    }
    pidfile = tmp_path / "worker.pid"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "celery",
            f"--pidfile={pidfile}",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        token = uuid.uuid4().hex
        sender = Celery(broker=url)
        sender.send_task("lms.tasks.ping", args=[token])
        key = f"lms:worker-test:1:celery-ping:{token}"  # the release id prefixes every key
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.exists(key):
            time.sleep(0.2)
        assert client.exists(key), "the worker did not run the task within 60 s"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.flushdb()
