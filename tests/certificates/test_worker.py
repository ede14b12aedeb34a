"""Exactly-once rendering through a REAL Celery worker and Redis (DB 1), on PostgreSQL.

The worker is a subprocess (`celery -A tests.certificates.worker_app worker`) that must see the
rows this test writes, so these tests use `transaction=True` (data is committed, not wrapped in
a rolled-back transaction) and need PostgreSQL: run them with e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_certificates \\
        .venv/bin/python -m pytest tests/certificates/test_worker.py

pytest-django creates `test_lms_certificates`; the worker gets a DATABASE_URL naming that test
database. On SQLite (an in-memory test database no other process can open) they skip, and
under CI=true they fail, as every service test does.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock
from urllib.parse import quote, urlparse

import pytest

from tests.conftest import IN_CI, require_service, stop_process

from .conftest import complete_course

pytestmark = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

ROOT = Path(__file__).resolve().parents[2]


def _redis_db1() -> str:
    url = urlparse(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    return f"redis://{url.hostname or '127.0.0.1'}:{url.port or 6379}/1"


def _database_url(connection) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, *, env: dict, control: Path):
        self.env, self.control, self.process = env, control, None

    def start(self):
        log = open(self.control / "worker.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.certificates.worker_app",
                "worker",
                "--pool=prefork",
                "-c",
                "2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "--pidfile",
                str(self.control / "worker.pid"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in (self.control / "worker.log").read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        pytest.fail(
            "Celery worker did not start:\n" + (self.control / "worker.log").read_text()[-3000:]
        )

    def kill(self):
        """SIGKILL the main process and its children (its own session), as a machine crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        (self.control / "worker.pid").unlink(missing_ok=True)
        log = self.control / "worker.log"
        log.rename(log.with_suffix(f".{time.time_ns()}.log"))

    def stop(self):
        stop_process(self.process)


@pytest.fixture(scope="module")
def control(tmp_path_factory):
    path = tmp_path_factory.mktemp("worker-control")
    (path / "mail").mkdir()
    return path


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, control, tmp_path_factory):
    from django.db import connection

    with django_db_blocker.unblock():
        vendor = connection.vendor
        database_url = _database_url(connection) if vendor == "postgresql" else ""
    if vendor != "postgresql":
        message = "the real-worker tests need PostgreSQL (set DATABASE_URL=postgres://...)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    redis_url = _redis_db1()
    parsed = urlparse(redis_url)
    require_service("Redis", parsed.hostname, parsed.port)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    media = tmp_path_factory.mktemp("worker-media")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "SITE_URL": "https://formacion.example.org",
        "CONN_MAX_AGE": "0",
        "CERT_TEST_CONTROL": str(control),
        "LOG_LEVEL": "INFO",
    }
    running = Worker(env=env, control=control)
    running.media = media
    running.redis_url = redis_url
    running.start()
    yield running
    running.stop()
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def page_root(db):
    """TransactionTestCase flushes the root page and locale Wagtail's migrations made."""
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()


@pytest.fixture
def pending(worker, page_root, learner, settings):
    """A committed pending certificate whose render was not queued (the test sends the task)."""
    from certificates import tasks
    from certificates.models import Certificate
    from courses.factories import course_tree

    settings.MEDIA_ROOT = str(worker.media)
    for leftover in worker.control.glob("*.taken"):
        leftover.unlink()
    for message in (worker.control / "mail").iterdir():
        message.unlink()
    course = course_tree(modules=1, lessons=1, title="Curso con trabajador real", hours=8)
    with mock.patch.object(tasks.render_certificate, "delay"):
        complete_course(learner, course)
    return Certificate.objects.get(user=learner, course=course)


def send_render(worker, certificate_id: int) -> None:
    from lms.celery import app

    with app.connection_for_write(worker.redis_url) as connection:
        app.send_task(
            "certificates.tasks.render_certificate", args=[certificate_id], connection=connection
        )


def wait_for(predicate, timeout: float = 60, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {message}")


def state_of(certificate):
    certificate.refresh_from_db()
    return certificate.state


def pdf_files(worker) -> list[Path]:
    folder = worker.media / "certificates" / "pdf"
    return sorted(folder.iterdir()) if folder.exists() else []


def renders_finished(worker) -> int:
    log = (worker.control / "worker.log").read_text(errors="replace")
    return sum(
        1 for line in log.splitlines() if "render_certificate[" in line and "succeeded" in line
    )


def sent_mail(worker) -> int:
    """Messages the worker wrote (the file backend puts a connection's messages in one file)."""
    return sum(
        f.read_text(errors="replace").count("\nSubject: ")
        + f.read_text(errors="replace").startswith("Subject: ")
        for f in (worker.control / "mail").iterdir()
    )


def test_duplicate_tasks_leave_one_ready_certificate_one_file_one_email(worker, pending):
    (worker.control / "slow").write_text("1.5")
    finished_before = renders_finished(worker)
    try:
        send_render(worker, pending.pk)
        send_render(worker, pending.pk)  # both children take one: they render concurrently
        wait_for(lambda: state_of(pending) == "ready", message="ready")
        wait_for(
            lambda: renders_finished(worker) >= finished_before + 2, message="both tasks to finish"
        )
    finally:
        (worker.control / "slow").unlink()
    pending.refresh_from_db()
    assert [p.name for p in pdf_files(worker)] == [Path(pending.pdf.name).name]
    assert pending.generation == 1
    wait_for(lambda: sent_mail(worker) >= 1, message="e-mail")
    time.sleep(1)
    assert sent_mail(worker) == 1
    # One credential, signed by the worker with this test run's key, and it verifies here.
    from certificates.credentials import publishing

    assert pending.credentials.count() == 1
    assert publishing.credential_check(pending.credentials.get().document).valid


def test_transient_error_is_retried_by_the_worker(worker, pending):
    for n in (1, 2):
        (worker.control / f"fail-{n}").write_text("")
    files_before = pdf_files(worker)
    send_render(worker, pending.pk)
    wait_for(lambda: state_of(pending) == "ready", message="ready after retries")
    assert (worker.control / "fail-1.taken").exists() and (worker.control / "fail-2.taken").exists()
    new_files = [p for p in pdf_files(worker) if p not in files_before]
    assert [p.name for p in new_files] == [Path(pending.pdf.name).name]
    assert "Retry in" in (worker.control / "worker.log").read_text()


def test_worker_child_killed_mid_render_is_rendered_after_redelivery(worker, pending):
    (worker.control / "kill-once").write_text("")
    files_before = pdf_files(worker)
    send_render(worker, pending.pk)
    pid = int(
        wait_for(
            lambda: (
                (worker.control / "killed.pid").exists()
                and (worker.control / "killed.pid").read_text()
            ),
            message="render to start",
        )
    )
    assert state_of(pending) == "pending"
    os.kill(pid, signal.SIGKILL)
    (worker.control / "killed.pid").unlink()
    # acks_late + reject_on_worker_lost: the message goes back to Redis and another child takes it.
    wait_for(lambda: state_of(pending) == "ready", message="ready after the child was killed")
    new_files = [p for p in pdf_files(worker) if p not in files_before]
    assert [p.name for p in new_files] == [Path(pending.pdf.name).name]
    from certificates.models import Certificate

    assert Certificate.objects.filter(user=pending.user).count() == 1


def test_whole_worker_killed_mid_render_is_finished_by_the_sweep(worker, pending):
    from certificates import services, tasks

    (worker.control / "kill-once").write_text("")
    files_before = pdf_files(worker)
    send_render(worker, pending.pk)
    wait_for(lambda: (worker.control / "killed.pid").exists(), message="render to start")
    worker.kill()  # the message stays unacknowledged in Redis until the visibility timeout
    (worker.control / "killed.pid").unlink()
    assert state_of(pending) == "pending"
    worker.start()
    with mock.patch.object(
        tasks.render_certificate, "delay", side_effect=lambda pk: send_render(worker, pk)
    ):
        assert services.certificates_sweep(older_than_seconds=0) == 1
    wait_for(lambda: state_of(pending) == "ready", message="ready after the sweep")
    new_files = [p for p in pdf_files(worker) if p not in files_before]
    assert [p.name for p in new_files] == [Path(pending.pdf.name).name]


def test_a_group_whose_child_is_killed_mid_render_ends_with_one_pdf_and_one_email_each(
    worker, page_root, settings
):
    """A bulk issue's group of renders (render_certificates) loses its child on the first
    certificate: the group is delivered again, renders the others first and the interrupted one
    last, and every certificate ends ready with one file and one e-mail."""
    from django.utils import timezone

    from certificates import services, tasks
    from certificates.models import Certificate
    from courses.factories import course_tree
    from courses.models import Enrolment
    from lms.factories import UserFactory

    settings.MEDIA_ROOT = str(worker.media)
    for leftover in worker.control.glob("*.taken"):
        leftover.unlink()
    for message in (worker.control / "mail").iterdir():
        message.unlink()
    course = course_tree(modules=1, lessons=1, title="Curso de un grupo", hours=8)
    users = [UserFactory() for _ in range(3)]
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course, completed_at=timezone.now()) for u in users]
    )
    with mock.patch.object(tasks.render_certificates, "delay"):
        services.certificate_issue_missing(course=course)
    ids = sorted(Certificate.objects.filter(course=course).values_list("pk", flat=True))
    files_before = pdf_files(worker)
    (worker.control / "kill-once").write_text("")
    from lms.celery import app

    with app.connection_for_write(worker.redis_url) as connection:
        app.send_task("certificates.tasks.render_certificates", args=[ids], connection=connection)
    pid = int(
        wait_for(
            lambda: (
                (worker.control / "killed.pid").exists()
                and (worker.control / "killed.pid").read_text()
            ),
            message="the group's first render",
        )
    )
    interrupted = Certificate.objects.get(pk=ids[0])
    assert interrupted.state == "pending" and interrupted.attempts == 1
    os.kill(pid, signal.SIGKILL)
    (worker.control / "killed.pid").unlink()
    certificates = Certificate.objects.filter(pk__in=ids)
    wait_for(
        lambda: all(c.state == "ready" for c in certificates.all()), message="the whole group ready"
    )
    new_files = sorted(p.name for p in pdf_files(worker) if p not in files_before)
    assert new_files == sorted(Path(c.pdf.name).name for c in certificates.all())
    wait_for(lambda: sent_mail(worker) >= 3, message="three e-mails")
    time.sleep(1)
    assert sent_mail(worker) == 3
    assert (
        certificates.order_by("-rendered_at").first().pk == ids[0]
    )  # the interrupted one went last
