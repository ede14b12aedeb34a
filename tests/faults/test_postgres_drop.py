"""PostgreSQL drops the application's connections (a restart, a failover, an idle-connection
reaper) between requests: the next request succeeds on a fresh connection (CONN_HEALTH_CHECKS)
and nothing is lost or written twice. The application runs in gunicorn with persistent
connections, as in production."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import stop_process

from .conftest import ROOT, database_url, wait_for

pytestmark = [pytest.mark.services, pytest.mark.slow]

CSRF = "f" * 32


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def app_server(postgres, tmp_path):
    """gunicorn, one sync worker, persistent connections to the test database."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": database_url(postgres),
        "CONN_MAX_AGE": "600",
        "AXES_ENABLED": "false",
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

    def up():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        wait_for(up, 30, "gunicorn")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def terminate_app_connections(connection) -> int:
    """pg_terminate_backend on every connection to the test database but this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def request(base, path, cookie, data=None) -> int:
    opener = urllib.request.build_opener(NoRedirect())
    body = (
        urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
        if data is not None
        else None
    )
    req = urllib.request.Request(base + path, data=body, headers={"Cookie": cookie})
    try:
        with opener.open(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_requests_after_the_database_drops_connections_succeed_and_lose_nothing(
    app_server, site_tree, postgres
):
    from django.conf import settings
    from django.test import Client

    from courses.factories import course_tree
    from courses.models import ActivityProgress, Enrolment, LessonPage
    from courses.services import enrolment_create
    from lms.factories import UserFactory

    course = course_tree(modules=2, lessons=3, title="Curso con conexiones cortadas")
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"csrftoken={CSRF}"
    )

    assert request(app_server, "/mi-aprendizaje/", cookie) == 200
    statuses = []
    for lesson in lessons:
        killed = terminate_app_connections(postgres)
        assert killed >= 1, "the server held no connection to drop"
        statuses.append(
            request(app_server, f"/aprendizaje/actividades/{lesson.id}/completar/", cookie, {})
        )
        statuses.append(request(app_server, lesson.url, cookie))
    assert statuses == [302, 200] * len(lessons)
    assert ActivityProgress.objects.filter(
        user=learner, course=course, state="complete"
    ).count() == len(lessons)
    assert ActivityProgress.objects.filter(user=learner, course=course).count() == len(lessons)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None and enrolment.progress_percent == 100


def test_a_request_cut_off_mid_transaction_leaves_nothing_half_written(
    app_server, site_tree, postgres
):
    """Connections dropped while requests run: each request either fully happened or not at all,
    and the learner can finish afterwards."""
    import threading

    from django.conf import settings
    from django.test import Client

    from courses.factories import course_tree
    from courses.models import ActivityProgress, Enrolment, LessonPage
    from courses.services import enrolment_create
    from lms.factories import UserFactory

    course = course_tree(modules=1, lessons=4, title="Curso con cortes en vuelo")
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"csrftoken={CSRF}"
    )
    stop = threading.Event()
    thread = threading.Thread(target=reaper_loop, args=(stop,))
    thread.start()
    try:
        for lesson in lessons:
            request(app_server, f"/aprendizaje/actividades/{lesson.id}/completar/", cookie, {})
            request(app_server, "/mi-aprendizaje/", cookie)
    finally:
        stop.set()
        thread.join(timeout=10)
    postgres.close()  # the reaper cut this thread's connection too
    # After the storm: every lesson completes (again) cleanly, once.
    for lesson in lessons:
        assert (
            request(app_server, f"/aprendizaje/actividades/{lesson.id}/completar/", cookie, {})
            == 302
        )
    rows = ActivityProgress.objects.filter(user=learner, course=course)
    assert rows.count() == len(lessons)
    assert all(r.state == "complete" and r.completed_at for r in rows)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.progress_percent == 100 and enrolment.completed_at is not None


def reaper_loop(stop):
    """Cut every other connection to the database every 50 ms, from a connection of its own."""
    from django.db import connections

    connection = connections.create_connection("default")
    try:
        while not stop.is_set():
            terminate_app_connections(connection)
            time.sleep(0.05)
    finally:
        connection.close()


def test_a_worker_keeps_its_database_connection_and_replaces_one_the_database_dropped(
    worker_env, tmp_path, postgres
):
    """Celery's Django fixup would close the connection around every task (a new PostgreSQL
    session per task); the worker keeps it by Django's CONN_MAX_AGE rule instead, and checks it
    before use, so a connection the server dropped between tasks costs no task."""
    import uuid

    from django.core.cache import cache

    from lms.celery import app

    from .conftest import CeleryWorker

    worker = CeleryWorker({**worker_env, "CONN_MAX_AGE": "600"}, tmp_path, concurrency=1)
    worker.start()

    def session_of_a_task() -> int:
        token = uuid.uuid4().hex
        app.send_task("lms.tasks.ping", args=[token])
        return wait_for(lambda: cache.get(f"celery-ping:{token}"), 30, "the ping task")[
            "database_session"
        ]

    try:
        first = session_of_a_task()
        assert session_of_a_task() == first
        assert session_of_a_task() == first
        assert terminate_app_connections(postgres) >= 1
        replaced = session_of_a_task()
        assert replaced != first
        assert session_of_a_task() == replaced
    finally:
        worker.stop()
