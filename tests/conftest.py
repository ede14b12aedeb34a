"""Shared fixtures. Service checks fail under CI=true instead of skipping."""

import os
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip locally when a service is down; under CI a missing service is a failure."""
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if IN_CI:
        pytest.fail(message + " (CI=true: services are required)")
    pytest.skip(message)


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    from urllib.parse import urlparse

    parsed = urlparse(url)
    require_service("Redis", parsed.hostname or "127.0.0.1", parsed.port or 6379)
    return url


def page_tree_after_flush() -> None:
    """A transactional test starts from a flushed database: Wagtail's default locale and root
    page again (migrations made them; the flush removed them)."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture(autouse=True)
def _isolated_cache():
    from django.core.cache import caches

    from lms.caching import content_changed

    for cache in caches.all():  # the page and content cache, and the rate limiters' counters
        cache.clear()
    content_changed()  # what this process kept from an earlier test is not read again
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def learner(db):
    from lms.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_learner(db):
    from lms.factories import UserFactory

    return UserFactory()


@pytest.fixture
def trainer(db):
    from lms.factories import UserFactory

    return UserFactory(roles=("trainer",))


@pytest.fixture
def course(db):
    """An open course: 2 modules x 2 lessons."""
    from courses.factories import course_tree

    return course_tree()


def stop_process(process) -> None:
    """Stop a subprocess we started in its own session: SIGTERM, then SIGKILL the group
    after 20 s."""
    import signal
    import subprocess

    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
