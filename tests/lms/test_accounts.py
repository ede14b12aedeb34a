import pytest
from django.core import mail
from django.urls import reverse

from lms.factories import OrganisationFactory
from lms.models import User

pytestmark = pytest.mark.django_db


def test_signup_creates_a_learner_with_the_name_as_written(client):
    org = OrganisationFactory()
    response = client.post(
        reverse("signup"),
        {
            "full_name": "  Tomás   Ku'uyoc Chablé ",
            "email": "Tomas@Example.org",
            "organisation": org.pk,
            "preferred_language": "es",
            "password1": "una-clave-larga-2026",
            "password2": "una-clave-larga-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "tomas@example.org"
    assert user.full_name == "Tomás Ku'uyoc Chablé"
    assert user.groups.filter(name="Participantes").exists()


def test_signup_with_a_taken_email_says_so_in_spanish_and_creates_nothing(client, learner):
    response = client.post(
        reverse("signup"),
        {
            "full_name": "Otra Persona",
            "email": learner.email.upper(),
            "organisation": learner.organisation_id,
            "preferred_language": "es",
            "password1": "una-clave-larga-2026",
            "password2": "una-clave-larga-2026",
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    assert "Ya existe una cuenta con este correo" in response.content.decode()
    assert User.objects.count() == 1


def test_password_reset_sends_an_email(client, learner):
    client.post(reverse("password_reset"), {"email": learner.email})
    assert len(mail.outbox) == 1
    assert "/cuenta/recuperar/" in mail.outbox[0].body


def test_login_is_locked_after_five_failures(client, learner):
    for _ in range(5):
        client.post(reverse("login"), {"username": learner.email, "password": "mala"})
    response = client.post(
        reverse("login"), {"username": learner.email, "password": "clave-segura-123"}
    )
    assert response.status_code == 429
