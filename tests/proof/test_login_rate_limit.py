"""Login rate limiting (django-axes): repeated failures lock the account+address pair out."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post("/cuenta/entrar/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_after_the_failure_limit_even_the_right_password_is_refused(client, learner):
    """The lockout holds for the correct password too, and nobody is logged in."""
    statuses = [attempt(client, learner.email, "wrong-password").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
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
