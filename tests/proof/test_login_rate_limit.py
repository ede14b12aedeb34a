"""Login rate limiting (django-axes): repeated failures lock the account+address pair out."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post("/cuenta/entrar/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_after_the_failure_limit_even_the_right_password_is_refused(client, learner):
    """The lockout holds for the correct password too, and nobody is logged in."""
    statuses = [
        attempt(client, learner.email, "wrong-password").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    response = attempt(client, learner.email, "clave-segura-123")
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert client.get("/mi-aprendizaje/").status_code == 302


def test_failures_below_the_limit_do_not_lock(client, learner):
    """A learner who mistypes a few times still gets in."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, learner.email, "wrong-password")
    response = attempt(client, learner.email, "clave-segura-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_a_lockout_of_one_address_does_not_lock_the_learner_elsewhere(client, learner):
    """Locks apply to the account+address pair, so an attacker cannot lock a learner out."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attempt(client, learner.email, "wrong-password", ip="198.51.100.66")
    response = attempt(client, learner.email, "clave-segura-123", ip="203.0.113.9")
    assert response.status_code == 302


# ---------------------------------------------------------------- the client address behind a proxy

PROXY = "10.0.0.2"


def through_proxy(client, email, password, *, real_ip, spoofed):
    """A request as the production TLS proxy forwards it: the client's own (spoofed) header, then
    the address the proxy saw appended; the socket address is the proxy's."""
    return client.post(
        "/cuenta/entrar/",
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{spoofed}, {real_ip}",
    )


def test_without_a_configured_proxy_a_spoofed_header_does_not_escape_the_lockout(client, learner):
    """No proxy configured: X-Forwarded-For is ignored, a new spoofed address every try changes
    nothing."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/cuenta/entrar/",
            {"username": learner.email, "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        "/cuenta/entrar/",
        {"username": learner.email, "password": "clave-segura-123"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_behind_a_configured_proxy_the_lockout_follows_the_real_client(client, learner, settings):
    """One trusted proxy: the address it appended counts, the client's own spoofed part does not;
    and another person behind the same proxy is not locked out."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(
            client, learner.email, "wrong", real_ip="203.0.113.7", spoofed=f"198.51.100.{n}"
        )
    locked = through_proxy(
        client, learner.email, "clave-segura-123", real_ip="203.0.113.7", spoofed="198.51.100.99"
    )
    assert locked.status_code in (403, 429)
    elsewhere = through_proxy(
        client, learner.email, "clave-segura-123", real_ip="203.0.113.50", spoofed="203.0.113.7"
    )
    assert elsewhere.status_code == 302


def test_behind_a_proxy_without_the_setting_everyone_would_share_one_address(client, learner):
    """Documents why the setting exists: unconfigured, the proxy's address is everyone's, so one
    attacker's failures lock the account for every visitor coming through the proxy."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(
            client, learner.email, "wrong", real_ip="203.0.113.7", spoofed=f"198.51.100.{n}"
        )
    other = through_proxy(
        client, learner.email, "clave-segura-123", real_ip="203.0.113.50", spoofed="x"
    )
    assert other.status_code in (403, 429)
