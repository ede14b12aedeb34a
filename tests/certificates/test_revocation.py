"""Revocation is told: the holder is e-mailed with the reason, once; a manager can reinstate."""

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_holder_is_emailed_the_reason_once(
    certificate, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certificate, reason="Registro duplicado")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certificate, reason="Otra razón")
    assert services.certificate_email_revocation(certificate_id=certificate.pk) is False
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [certificate.user.email]
    assert "Registro duplicado" in message.body and certificate.display_code in message.body
    assert "revoc" in message.subject.lower()


def test_a_manager_reinstates_a_revoked_certificate(
    client, certificate, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certificate, reason="Error")
    client.force_login(manager)
    page = client.get(
        reverse("certificates:manage_certificate", args=[certificate.pk])
    ).content.decode()
    assert reverse("certificates:reinstate", args=[certificate.pk]) in page
    client.post(reverse("certificates:reinstate", args=[certificate.pk]))
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY and certificate.revoked_reason == ""
    verify = client.get(
        reverse("certificates:verify", args=[certificate.display_code])
    ).content.decode()
    assert "verify-revoked" not in verify


def test_a_learner_cannot_reinstate(client, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certificate, reason="Error")
    client.force_login(certificate.user)
    response = client.post(reverse("certificates:reinstate", args=[certificate.pk]))
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REVOKED


def test_reinstating_without_a_pdf_renders_it_again(
    certificate, django_capture_on_commit_callbacks
):
    Certificate.objects.filter(pk=certificate.pk).update(state=Certificate.State.REVOKED, pdf="")
    certificate.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reinstate(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY and certificate.pdf
