import io

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_gives_maria_a_rendered_certificate_and_a_second_run_changes_nothing(django_capture_on_commit_callbacks):
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
    assert CertificateTemplate.objects.count() == 2
    before = list(Certificate.objects.values_list("pk", "generation", "pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        seed(stdout=out, size=0)
    assert list(Certificate.objects.values_list("pk", "generation", "pdf")) == before
    assert CertificateTemplate.objects.count() == 2
