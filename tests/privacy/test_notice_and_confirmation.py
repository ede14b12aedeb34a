"""The privacy notice at sign-up and after a material change; a confirmed e-mail before
enrolling."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from courses.factories import course_tree
from courses.models import Enrolment
from lms.factories import OrganisationFactory, UserFactory
from lms.models import User
from privacy.models import EmailConfirmation, NoticeAcceptance

from .helpers import SIGNUP, link_in_outbox, path_of, publish_notice

pytestmark = pytest.mark.django_db


def signup(client, **extra):
    org = OrganisationFactory()
    with_org = {**SIGNUP, "organisation": org.pk, **extra}
    return client.post(reverse("signup"), with_org)


def test_signup_shows_the_short_notice_and_links_the_integral_one(client):
    publish_notice()
    html = client.get(reverse("signup")).content.decode()
    assert "Aviso corto 1 (es)" in html
    assert reverse("privacy:notice") in html
    assert "Aviso integral 1 (es)" in client.get(reverse("privacy:notice")).content.decode()


def test_signup_without_accepting_the_notice_creates_nothing(client):
    publish_notice()
    response = signup(client)
    assert response.status_code == 200
    assert "acepte el aviso de privacidad" in response.content.decode()
    assert not User.objects.exists()


def test_signup_records_the_accepted_version_and_time(client, django_capture_on_commit_callbacks):
    publish_notice(version=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert signup(client, accept_notice="on").status_code == 302
    acceptance = NoticeAcceptance.objects.get(user__email="itzel@example.org")
    assert acceptance.version == 3 and acceptance.accepted_at is not None


def test_a_material_change_is_accepted_at_the_next_visit_before_going_on(client):
    publish_notice(version=1)
    user = UserFactory()
    NoticeAcceptance.objects.create(user=user, version=1, language="es")
    client.force_login(user)
    assert client.get(reverse("learner_home")).status_code == 200
    publish_notice(version=2, material=True)
    response = client.get(reverse("learner_home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("privacy:accept_notice")
    )
    assert (
        client.post(reverse("privacy:accept_notice"), {"next": "/mi-aprendizaje/"}).status_code
        == 200
    )
    response = client.post(
        reverse("privacy:accept_notice"), {"accept": "on", "next": "/mi-aprendizaje/"}
    )
    assert response["Location"] == "/mi-aprendizaje/"
    assert client.get(reverse("learner_home")).status_code == 200
    assert NoticeAcceptance.objects.filter(user=user, version=2).exists()


def test_a_minor_change_asks_nobody_again(client):
    publish_notice(version=1)
    user = UserFactory()
    NoticeAcceptance.objects.create(user=user, version=1, language="es")
    publish_notice(version=2, material=False)
    client.force_login(user)
    assert client.get(reverse("learner_home")).status_code == 200


def test_every_page_links_the_notice_in_its_footer(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("privacy:notice")}"' in html


def test_an_unconfirmed_account_cannot_enrol_until_it_follows_its_link(
    client, django_capture_on_commit_callbacks
):
    course = course_tree()
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    user = User.objects.get(email="itzel@example.org")
    client.post(reverse("courses:enrol", args=[course.pk]))
    assert not Enrolment.objects.filter(user=user).exists()
    link = path_of(link_in_outbox("/privacidad/confirmar/"))
    assert client.post(link).status_code == 302
    client.post(reverse("courses:enrol", args=[course.pk]))
    assert Enrolment.objects.filter(user=user).exists()


def test_a_confirmation_link_works_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = path_of(link_in_outbox("/privacidad/confirmar/"))
    assert client.post(link).status_code == 302
    assert client.post(link).status_code == 400
    assert client.get(link).status_code == 400


def test_opening_the_confirmation_link_only_asks(client, django_capture_on_commit_callbacks):
    """A mail scanner that follows the link confirms nothing: the page's button does."""
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = path_of(link_in_outbox("/privacidad/confirmar/"))
    response = client.get(link)
    assert response.status_code == 200 and 'method="post"' in response.content.decode()
    assert EmailConfirmation.objects.get().confirmed_at is None
    assert client.post(link).status_code == 302
    assert EmailConfirmation.objects.get().confirmed_at is not None


def test_a_confirmation_link_expires(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = path_of(link_in_outbox("/privacidad/confirmar/"))
    with override_settings(PRIVACY_LINK_MAX_AGE=-1):
        assert client.get(link).status_code == 400
        assert client.post(link).status_code == 400
    assert EmailConfirmation.objects.get().confirmed_at is None


def test_a_forged_link_is_a_clear_400(client):
    response = client.get(reverse("privacy:confirm_email", args=["no-es-un-token"]))
    assert response.status_code == 400
    assert "no funciona" in response.content.decode()


def test_resending_the_link_is_rate_limited(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    sent = len(mail.outbox)
    client.post(reverse("privacy:resend_confirmation"))
    assert len(mail.outbox) == sent + 1
    response = client.post(reverse("privacy:resend_confirmation"), follow=True)
    assert len(mail.outbox) == sent + 1
    assert "espere un minuto" in response.content.decode().lower()


def test_an_account_made_without_a_password_gets_a_set_your_password_link(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.create_user(email="nueva@example.org", full_name="Nueva Persona")
    assert mail.outbox[-1].to == ["nueva@example.org"]
    assert "/cuenta/recuperar/" in mail.outbox[-1].body


def test_accounts_made_by_staff_or_factories_need_no_confirmation(client):
    from privacy.selectors import email_confirmed

    assert email_confirmed(UserFactory())


def test_a_certificate_waits_for_the_confirmed_address(
    client, django_capture_on_commit_callbacks, settings, tmp_path
):
    """A self-registered learner put in a cohort by staff completes the course before confirming:
    the certificate is issued when the address is confirmed, not before."""
    from certificates.models import Certificate
    from tests.certificates.conftest import complete_course

    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    user = User.objects.get(email="itzel@example.org")
    course = course_tree(modules=1, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(user, course)
    assert not Certificate.objects.filter(user=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(link_in_outbox("/privacidad/confirmar/")))
    assert Certificate.objects.filter(user=user, course=course).exists()
