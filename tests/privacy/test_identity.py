"""Login identity is one normalised e-mail: sign-up, login, lock-out, password reset, uniqueness."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from lms.factories import UserFactory
from lms.identity import normalise_email
from lms.models import User
from privacy.checks import duplicate_login_identities

pytestmark = pytest.mark.django_db

VARIANTS = [
    "ANA.Perez@Example.org",
    "  ana.perez@example.org  ",
    "ａｎａ.ｐｅｒｅｚ@ｅｘａｍｐｌｅ.ｏｒｇ",
]


@pytest.fixture
def ana(db):
    return UserFactory(email="ana.perez@example.org")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ANA@Example.ORG", "ana@example.org"),
        ("  ana@example.org\t", "ana@example.org"),
        ("ａｎａ@ｅｘａｍｐｌｅ.ｏｒｇ", "ana@example.org"),
        (None, ""),
    ],
)
def test_an_email_is_trimmed_nfkc_normalised_and_lower_cased(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize("spelling", VARIANTS[:3])
def test_every_spelling_of_the_email_logs_in(client, ana, spelling):
    response = client.post(reverse("login"), {"username": spelling, "password": "clave-segura-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ana.pk)


def test_failures_under_case_and_unicode_variants_count_towards_one_lock(client, ana):
    """Each spelling used to have its own counter; now five failures in any spellings lock all of
    them."""
    spellings = VARIANTS[:3]
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": spellings[i % 3], "password": "mala"},
            REMOTE_ADDR="203.0.113.5",
        )
    for spelling in spellings:
        response = client.post(
            reverse("login"),
            {"username": spelling, "password": "clave-segura-123"},
            REMOTE_ADDR="203.0.113.5",
        )
        assert response.status_code in (403, 429), spelling
        assert "_auth_user_id" not in client.session


def test_a_case_variant_cannot_sign_up_again(client, ana):
    response = client.post(
        reverse("signup"),
        {
            "full_name": "Otra Ana",
            "email": "ＡＮＡ.perez@example.org",
            "organisation": ana.organisation_id,
            "preferred_language": "es",
            "password1": "una-clave-larga-2026",
            "password2": "una-clave-larga-2026",
        },
    )
    assert response.status_code == 200
    assert User.objects.count() == 1


def test_the_database_refuses_a_case_variant_duplicate(ana):
    """Even a write that skips the model's normalisation cannot create one."""
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="ANA.PEREZ@example.org", full_name="Copia")])


def test_password_reset_finds_the_account_under_any_spelling(client, ana):
    client.post(reverse("password_reset"), {"email": " ＡＮＡ.Perez@example.org "})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.perez@example.org"]


def test_the_system_check_reports_accounts_that_are_one_identity(ana):
    User.objects.bulk_create([User(email="ａｎａ.perez@example.org", full_name="Vieja copia")])
    warnings = duplicate_login_identities(databases=["default"])
    assert [w.id for w in warnings] == ["privacy.W001"]
    assert "ana.perez@example.org" in warnings[0].msg
    call_command("check", databases=["default"])  # a warning, not an error: the site still starts


def test_model_forms_refuse_a_case_variant_with_a_message_not_a_server_error(ana):
    """The constraint is validated by every ModelForm (the Wagtail user editor included)."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User(email="ANA.Perez@example.org", full_name="Copia").validate_constraints()
