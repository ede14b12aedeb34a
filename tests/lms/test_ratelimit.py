"""The client address of every limiter, and what each limiter does when its store is down."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from lms import ratelimit

CASES = [
    # (trusted proxy count, trusted networks, REMOTE_ADDR, X-Forwarded-For, expected client)
    (0, [], "203.0.113.7", "", "203.0.113.7"),
    (0, [], "203.0.113.7", "8.8.8.8", "203.0.113.7"),  # unconfigured: the header is ignored
    (1, [], "10.0.0.2", "203.0.113.7", "203.0.113.7"),
    (1, [], "10.0.0.2", "8.8.8.8, 203.0.113.7", "203.0.113.7"),  # spoofed left part ignored
    (2, [], "10.0.0.2", "8.8.8.8, 203.0.113.7, 172.16.0.9", "203.0.113.7"),
    (1, [], "203.0.113.9", "", "203.0.113.9"),  # came around the proxy: the socket is the client
    (1, [], "10.0.0.2", "not-an-address", "10.0.0.2"),
    (0, ["10.0.0.0/8"], "10.0.0.2", "8.8.8.8, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
    (0, ["10.0.0.0/8"], "203.0.113.9", "8.8.8.8", "203.0.113.9"),  # not from a trusted proxy
    (0, [], "", "", "unknown"),
]


@pytest.mark.parametrize(("count", "networks", "remote", "forwarded", "expected"), CASES)
def test_client_ip(settings, count, networks, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXY_NETWORKS = networks
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_ip(request) == expected


@pytest.fixture
def store_down(settings):
    """The limiter's store is a Redis nobody listens on (port 1): every call fails."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    yield
    caches["ratelimit"].close()


def test_a_limiter_failing_closed_refuses_and_logs(store_down, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="lms.ratelimit"),
        pytest.raises(ratelimit.LimiterUnavailable),
    ):
        ratelimit.hit("checkin", "k", limit=5, window_seconds=60, fail_open=False)
    assert "store unavailable" in caplog.text


def test_a_limiter_failing_open_allows_and_logs(store_down, caplog):
    with caplog.at_level(logging.WARNING, logger="lms.ratelimit"):
        assert ratelimit.hit("verify", "k", limit=5, window_seconds=60, fail_open=True) is True
    assert "request allowed" in caplog.text


@pytest.mark.django_db
def test_check_in_by_code_is_refused_while_the_limiter_store_is_down(store_down, client):
    """Fails closed: the six-digit code cannot be guessed without a counter; a clear message."""
    from courses.factories import course_tree
    from courses.services import enrolment_create
    from lms.factories import UserFactory
    from workshops import services
    from workshops.factories import WorkshopSessionFactory, workshop_in_course
    from workshops.models import Registration

    course = course_tree()
    workshop = workshop_in_course(course, capacity=5)
    start = timezone.now() - timedelta(minutes=5)
    session = WorkshopSessionFactory(
        page=workshop, start=start, end=start + timedelta(hours=1), capacity=5
    )
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    services.registration_create(user=learner, session=session, now=start - timedelta(days=1))
    client.force_login(learner)
    from django.urls import reverse

    response = client.post(reverse("workshops:checkin", args=[session.pk]), {"code": "123456"})
    assert response.status_code == 200
    assert "no está disponible" in response.content.decode()
    assert Registration.objects.get(user=learner).attendance != Registration.Attendance.ATTENDED


@pytest.mark.django_db
def test_verification_keeps_working_while_the_limiter_store_is_down(store_down, client):
    response = client.get("/certificados/verificar/ABCD-EFGH-JKLM/")
    assert response.status_code in (200, 404)
