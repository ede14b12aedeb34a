"""The daily digest reaches each person exactly once through a REAL Celery worker (prefork, two
children) and Redis, on PostgreSQL: when the periodic task runs twice at once, when a person's
task is delivered twice, and after a crash between claiming a message and sending it.

The worker (`celery -A lms worker`) must see the rows this test writes, so the tests commit
(`transaction=True`) and need PostgreSQL; the broker is REDIS_URL's database. The worker delivers
through the platform's e-mail backend (privacy.mail.LoggingEmailBackend, which logs each message
in EmailLog) onto the console backend, whose output goes into the worker's log: both are
counted. On SQLite these tests skip, and under CI=true they fail, as every service test does.
"""

import os
import re
import time
from datetime import timedelta
from urllib.parse import quote, urlparse

import pytest

from tests.cluster.harness import ClusterError, celery_worker
from tests.conftest import IN_CI, require_service

pytestmark = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

LEASE_SECONDS = 4  # the worker's COMMUNITY_MESSAGE_CLAIM_SECONDS: a crashed claim is retaken soon


def _database_url(connection) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            message = "the real-worker tests need PostgreSQL (set DATABASE_URL=postgres://...)"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        database_url = _database_url(connection)
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parsed = urlparse(redis_url)
    require_service("Redis", parsed.hostname or "127.0.0.1", parsed.port or 6379)
    from lms.celery import app

    with app.connection_for_write(redis_url) as broker:
        app.control.purge(connection=broker)  # nothing left over from an earlier run
    folder = tmp_path_factory.mktemp("digest-worker")
    log_path = folder / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "COMMUNITY_MESSAGE_CLAIM_SECONDS": str(LEASE_SECONDS),
        "SITE_URL": "https://formacion.example.org",
        "CONN_MAX_AGE": "0",
    }
    try:
        service = celery_worker(folder, env)
    except ClusterError as error:
        pytest.fail(f"Celery worker did not start: {error}")
    running = type("Worker", (), {"process": service.process, "log": log_path, "url": redis_url})
    yield running
    service.stop()


def send(worker, name: str, *args) -> None:
    from lms.celery import app

    with app.connection_for_write(worker.url) as connection:
        app.send_task(name, args=list(args), connection=connection)


def wait_for(predicate, timeout: float = 90, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {message}")


def finished(worker, task: str) -> int:
    log = worker.log.read_text(errors="replace")
    return sum(1 for line in log.splitlines() if f"{task}[" in line and "succeeded" in line)


@pytest.fixture
def subscribers(worker, request):
    """The world of tests/community/conftest.py, committed, with yesterday's thread in the
    programme forum; the four people who read it and not its author asked for a daily digest."""
    from django.utils import timezone

    from community import services
    from community.models import Post, Thread
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    world = request.getfixturevalue("world")
    thread = services.thread_create(
        user=world.a1, space=world.forum, title="Lo que aprendimos ayer", body="Compartan"
    )
    services.post_create(user=world.a2, thread=thread, body="Gracias por compartir")
    yesterday = timezone.localtime() - timedelta(days=1)
    yesterday = yesterday.replace(hour=12, minute=0, second=0, microsecond=0)
    Post.objects.filter(thread=thread).update(created_at=yesterday)
    Thread.objects.filter(pk=thread.pk).update(created_at=yesterday, last_post_at=yesterday)
    people = [world.a2, world.b1, world.trainer, world.manager]
    for person in people:
        services.preferences_update(user=person, replies=True, mentions=True, digest="daily")
    return people


def log_since(worker, offset: int) -> str:
    return worker.log.read_text(errors="replace")[offset:]


def digests_of(worker, person, offset: int) -> tuple[int, int, int]:
    """(stamped claims, e-mail log rows, messages printed by the worker since `offset`)."""
    from community.models import MessageSent
    from privacy.models import EmailLog

    printed = len(re.findall(rf"To: {re.escape(person.email)}$", log_since(worker, offset), re.M))
    return (
        MessageSent.objects.filter(recipient=person, kind="digest", sent_at__isnull=False).count(),
        EmailLog.objects.filter(user=person, kind="community_digest").count(),
        printed,
    )


def test_the_digest_run_twice_at_once_and_a_task_delivered_twice_send_one_each(worker, subscribers):
    offset = len(log_since(worker, 0))
    before = finished(worker, "community.tasks.send_digest")
    send(worker, "community.tasks.send_digests", "daily")
    send(worker, "community.tasks.send_digests", "daily")  # both children fan out at once
    send(worker, "community.tasks.send_digest", subscribers[1].pk, "daily")
    send(worker, "community.tasks.send_digest", subscribers[1].pk, "daily")
    expected = before + 2 * len(subscribers) + 2
    wait_for(
        lambda: finished(worker, "community.tasks.send_digest") >= expected,
        message="every digest task to finish",
    )
    time.sleep(1)
    for person in subscribers:
        assert digests_of(worker, person, offset) == (1, 1, 1), person.email


def test_a_claim_left_by_a_crash_between_claim_and_send_is_sent_once_after_its_lease(
    worker, subscribers
):
    """A worker died after claiming two people's digests and before sending them: one claim is
    already older than its lease, the other was made just now. The next runs (twice, at once)
    take the first over at once and the second when its lease ends (the task waits by retrying):
    each person ends with one digest, the others too."""
    from django.utils import timezone

    from community.models import MessageSent
    from community.notifications import digest_period_key

    key, _since, _until = digest_period_key("daily", timezone.now())
    stale, fresh = subscribers[0], subscribers[2]
    MessageSent.objects.create(recipient=stale, kind="digest", key=key)
    MessageSent.objects.filter(recipient=stale).update(
        claimed_at=timezone.now() - timedelta(seconds=LEASE_SECONDS + 5)
    )
    MessageSent.objects.create(recipient=fresh, kind="digest", key=key)
    offset = len(log_since(worker, 0))
    send(worker, "community.tasks.send_digests", "daily")
    send(worker, "community.tasks.send_digests", "daily")
    wait_for(
        lambda: all(digests_of(worker, p, offset)[0] == 1 for p in subscribers),
        message="every digest to be sent",
    )
    wait_for(
        lambda: "Retry in" in log_since(worker, offset),
        message="the task that met a live claim to wait by retrying",
    )
    time.sleep(LEASE_SECONDS + 2)  # any late retry has run
    for person in subscribers:
        assert digests_of(worker, person, offset) == (1, 1, 1), person.email
    assert MessageSent.objects.filter(kind="digest").count() == len(subscribers)
