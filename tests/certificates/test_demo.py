import io

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_gives_maria_a_rendered_certificate_and_a_second_run_changes_nothing(
    django_capture_on_commit_callbacks,
):
    from certificates.demo import seed
    from certificates.models import Certificate, CertificateTemplate
    from courses.demo import seed as seed_courses
    from lms.demo import seed_people

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        seed_people(stdout=out, size=0)
        seed_courses(stdout=out, size=0)
        seed(stdout=out, size=0)
    certificate = Certificate.objects.get(user__email="maria.lopez@example.org")
    assert certificate.state == Certificate.State.READY and certificate.pdf
    assert certificate.template.name == "Masculinidades · constancia"
    # One per programme, and the English course's own (courses/demo_en.py).
    assert CertificateTemplate.objects.count() == 3
    english = CertificateTemplate.objects.get(language="en")
    assert [c.slug for c in english.courses.all()] == ["introduction-business-human-rights"]
    before = list(Certificate.objects.values_list("pk", "generation", "pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        seed(stdout=out, size=0)
    assert list(Certificate.objects.values_list("pk", "generation", "pdf")) == before
    assert CertificateTemplate.objects.count() == 3


def test_every_demo_certificate_has_a_standing_credential(django_capture_on_commit_callbacks):
    from certificates.credentials import publishing
    from certificates.credentials.selectors import certificate_credential
    from certificates.demo import seed
    from certificates.models import Certificate
    from courses.demo import seed as seed_courses
    from lms.demo import seed_people

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        seed_people(stdout=out, size=0)
        seed_courses(stdout=out, size=0)
        seed(stdout=out, size=0)
    certificates = list(Certificate.objects.all())
    assert certificates
    for certificate in certificates:
        credential = certificate_credential(certificate)
        assert credential.generation == certificate.generation
        assert publishing.credential_check(credential.document).valid


def test_the_demo_makes_its_own_key_once_when_none_is_configured(settings, tmp_path):
    from certificates.credentials import configuration
    from certificates.credentials.demo import seed

    settings.CREDENTIAL_SIGNING_KEYS = []
    settings.CREDENTIAL_KEYS_FILE = str(tmp_path / "var" / "credential-keys")
    seed(stdout=io.StringIO())
    keys = configuration.key_lines()
    seed(stdout=io.StringIO())
    assert len(keys) == 1 and configuration.key_lines() == keys


@pytest.mark.django_db
def test_seed_renders_demo_certificates_again_for_the_address_the_site_is_served_on(
    certificate, settings, django_capture_on_commit_callbacks
):
    """PORT=8001 make demo after a demo on 8000: the PDFs must point at the new address."""
    from io import StringIO

    from certificates import demo
    from certificates.models import Certificate

    from .conftest import pdf_text

    demo.render_for_this_address(StringIO())
    generation = Certificate.objects.get(pk=certificate.pk).generation
    settings.SITE_URL = "http://127.0.0.1:8001"
    with django_capture_on_commit_callbacks(execute=True):
        demo.render_for_this_address(StringIO())
    again = Certificate.objects.get(pk=certificate.pk)
    assert again.generation == generation + 1 and again.state == Certificate.State.READY
    assert "http://127.0.0.1:8001/v/" in pdf_text(again.pdf.path)
    assert again.code == certificate.code
