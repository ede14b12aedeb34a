"""Editing a certificate template is safe: saving (as the admin's autosave does) writes a draft;
only publishing changes what certificates render."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certificates import services
from certificates.models import Certificate, CertificateTemplate, Signatory
from lms.factories import UserFactory

from .conftest import complete_course, needs_tool, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(small_course):
    template = CertificateTemplate(name="Plantilla", title="Título publicado", is_default=True)
    template.signatories = [Signatory(name="Ana Pérez", role="Coordinación")]
    template.save()
    template.save_revision().publish()
    return template


def edit(client, template, *, title: str, publish: bool):
    data = nested_form_data(
        {
            "name": template.name,
            "title": title,
            "body": template.body,
            "language": "es",
            "orientation": "landscape",
            "logo_left": "",
            "logo_right": "",
            "is_default": "on",
            "signatories": inline_formset(
                [
                    {"id": s.pk, "name": s.name, "role": s.role, "signature": ""}
                    for s in template.signatories.all()
                ],
                initial=1,
            ),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    return client.post(url, data)


@needs_tool("pdftotext")
def test_a_draft_does_not_change_what_renders_until_published(
    client, template, learner, small_course, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = edit(client, template, title="Título a medio escribir", publish=False)
    assert response.status_code == 302, response.content.decode()[:3000]
    template.refresh_from_db()
    assert template.title == "Título publicado" and template.has_unpublished_changes
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get(user=learner)
    assert "Título publicado" in pdf_text(certificate.pdf.path)

    response = edit(client, template, title="Título nuevo", publish=True)
    assert response.status_code == 302, response.content.decode()[:3000]
    template.refresh_from_db()
    assert template.title == "Título nuevo" and not template.has_unpublished_changes
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(certificate=certificate, use_current_template=True)
    certificate.refresh_from_db()
    assert "Título nuevo" in pdf_text(certificate.pdf.path)


def test_an_unpublished_template_is_not_used(small_course):
    draft = CertificateTemplate(name="Nueva", is_default=True, live=False)
    draft.save()
    assert services.template_for(small_course) is None
