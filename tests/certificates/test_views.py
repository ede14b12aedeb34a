"""Verification page, learner list and download, manager desk: who sees what, and bad input."""

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def verify_url(certificate):
    return reverse("certificates:verify", args=[certificate.display_code])


def test_verification_shows_only_name_course_hours_date_and_validity(client, certificate):
    response = client.get(verify_url(certificate))
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.learner_name in html
    assert certificate.course_title in html
    assert "<dt>Horas</dt><dd>12</dd>" in html
    assert "válido" in html.lower() or "valid" in html.lower()
    assert certificate.user.email not in html
    assert certificate.pdf.name not in html


def test_the_short_address_on_the_pdf_shows_the_same_verification(client, certificate):
    path = certificate.verify_url.removeprefix("https://formacion.example.org")
    assert path == f"/v/{certificate.display_code}"
    response = client.get(path)
    assert response.status_code == 200
    assert certificate.learner_name in response.content.decode()
    assert client.get("/v/ZZZZZ-ZZZZZ").status_code == 404


def test_verification_accepts_the_code_typed_loosely(client, certificate):
    loose = certificate.code.lower()
    assert client.get(reverse("certificates:verify", args=[loose])).status_code == 200


def test_revoked_certificate_verifies_as_revoked(client, certificate):
    services.certificate_revoke(certificate=certificate, reason="Error de registro")
    html = client.get(verify_url(certificate)).content.decode()
    assert "verify-revoked" in html
    assert "Error de registro" not in html  # the reason is for managers


def test_expired_certificate_verifies_as_expired(client, certificate):
    import datetime

    Certificate.objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2020, 1, 1))
    assert "verify-expired" in client.get(verify_url(certificate)).content.decode()


@pytest.mark.parametrize("code", ["ZZZZZ-ZZZZZ", "nope", "<script>", "A" * 60])
def test_unknown_or_malformed_codes_get_a_clear_not_found(client, db, code):
    response = client.get(reverse("certificates:verify", args=[code]))
    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_verify_form_redirects_to_the_certificate(client, certificate):
    response = client.get(reverse("certificates:verify_form"), {"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response.url == verify_url(certificate)


def test_verify_form_reports_a_malformed_code(client, db):
    response = client.get(reverse("certificates:verify_form"), {"code": "123"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_verification_is_rate_limited_per_address(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATE = 3
    url = verify_url(certificate)
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    other = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_learner_lists_and_downloads_own_certificate(client, certificate):
    client.force_login(certificate.user)
    listing = client.get(reverse("certificates:mine")).content.decode()
    download = reverse("certificates:download", args=[certificate.display_code])
    assert download in listing
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_another_users_certificate_answers_404(client, certificate, other_learner):
    client.force_login(other_learner)
    assert (
        client.get(reverse("certificates:download", args=[certificate.display_code])).status_code
        == 404
    )


def test_anonymous_download_goes_to_login(client, certificate):
    response = client.get(reverse("certificates:download", args=[certificate.display_code]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_revoked_certificate_cannot_be_downloaded(client, certificate):
    services.certificate_revoke(certificate=certificate, reason="x")
    client.force_login(certificate.user)
    assert (
        client.get(reverse("certificates:download", args=[certificate.display_code])).status_code
        == 404
    )


def test_learner_home_shows_the_certificates_panel(client, certificate):
    client.force_login(certificate.user)
    html = client.get(reverse("learner_home")).content.decode()
    assert 'id="my-certificates"' in html
    assert certificate.course_title in html


def test_footer_links_to_verification(client, db):
    html = client.get(reverse("certificates:verify_form")).content.decode()
    assert html.count(reverse("certificates:verify_form")) >= 2  # the form and the footer


def test_manager_sees_pipeline_state_of_their_programme(client, certificate, manager):
    client.force_login(manager)
    index = client.get(reverse("certificates:manage"))
    assert index.status_code == 200 and certificate.course_title in index.content.decode()
    page = client.get(reverse("certificates:manage_course", args=[certificate.course_id]))
    html = page.content.decode()
    assert certificate.learner_name in html and certificate.display_code in html
    detail = client.get(
        reverse("certificates:manage_certificate", args=[certificate.pk])
    ).content.decode()
    assert "badge-ready" in detail


def test_manager_of_another_programme_gets_404(client, certificate):
    from courses.factories import course_tree
    from lms.factories import UserFactory
    from lms.models import ProgrammeManager

    other = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(
        user=other, programme=course_tree(modules=1, lessons=1).get_programme()
    )
    client.force_login(other)
    for url in (
        reverse("certificates:manage_course", args=[certificate.course_id]),
        reverse("certificates:manage_certificate", args=[certificate.pk]),
        reverse("certificates:manage_download", args=[certificate.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_cannot_use_the_manager_desk(client, certificate, role):
    from lms.factories import UserFactory

    client.force_login(UserFactory(roles=(role,)))
    assert client.get(reverse("certificates:manage")).status_code == 404
    assert (
        client.post(
            reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"}
        ).status_code
        == 404
    )


def test_manager_revokes_with_a_reason(client, certificate, manager):
    client.force_login(manager)
    url = reverse("certificates:revoke", args=[certificate.pk])
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY  # no reason: nothing changed
    client.post(url, {"reason": "Duplicado"})
    certificate.refresh_from_db()
    assert (
        certificate.state == Certificate.State.REVOKED and certificate.revoked_reason == "Duplicado"
    )


def test_manager_reissues_with_corrected_name_and_same_code(
    client, certificate, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    code = certificate.code
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates:reissue", args=[certificate.pk]), {"learner_name": "Ñeri Kuꞌuyoc"}
        )
    certificate.refresh_from_db()
    assert certificate.code == code
    assert certificate.learner_name == "Ñeri Kuꞌuyoc"
    assert certificate.state == Certificate.State.READY and certificate.generation == 2


def test_manager_retries_a_failed_certificate(
    client, certificate, manager, django_capture_on_commit_callbacks
):
    Certificate.objects.filter(pk=certificate.pk).update(
        state=Certificate.State.FAILED, failure_reason="boom"
    )
    client.force_login(manager)
    assert (
        "boom"
        in client.get(
            reverse("certificates:manage_certificate", args=[certificate.pk])
        ).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:retry", args=[certificate.pk]))
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY


def test_bulk_issue_and_zip_for_a_cohort(
    client, small_course, manager, django_capture_on_commit_callbacks
):
    from lms.factories import CohortFactory, UserFactory
    from lms.services import cohort_add_member

    from .conftest import complete_course

    cohort = CohortFactory(programme=small_course.get_programme())
    member = UserFactory()
    cohort_add_member(cohort=cohort, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(member, small_course, cohort=cohort)
    Certificate.objects.all().delete()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates:bulk_issue", args=[small_course.pk]), {"cohort": cohort.pk}
        )
    assert response.status_code == 302
    progress = client.get(response.url).content.decode()
    assert "1 de 1" in progress or "1 of 1" in progress
    assert Certificate.objects.get().state == Certificate.State.READY
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates:archive_request", args=[small_course.pk]), {"cohort": cohort.pk}
        )
    page = client.get(
        reverse("certificates:manage_course", args=[small_course.pk]), {"cohort": cohort.pk}
    )
    archive = small_course.certificate_archives.get()
    link = reverse("certificates:archive_download", args=[archive.pk])
    assert link in page.content.decode()
    assert client.get(link)["Content-Type"] == "application/zip"


def test_bulk_issue_for_a_cohort_of_another_programme_changes_nothing(
    client, small_course, manager
):
    from courses.factories import course_tree
    from lms.factories import CohortFactory

    foreign = CohortFactory(programme=course_tree(modules=1, lessons=1).get_programme())
    client.force_login(manager)
    response = client.post(
        reverse("certificates:bulk_issue", args=[small_course.pk]), {"cohort": foreign.pk}
    )
    assert response.status_code == 302
    assert not small_course.certificate_batches.exists()


def test_manager_filters_with_bad_parameters_do_not_fail(client, certificate, manager):
    client.force_login(manager)
    url = reverse("certificates:manage_course", args=[certificate.course_id])
    assert client.get(url, {"cohort": "abc", "state": "nonsense"}).status_code == 200


def test_admin_preview_renders_the_edited_template_as_a_sample_pdf(admin_client, db):
    from certificates.models import CertificateTemplate

    from .conftest import pdf_text

    template = CertificateTemplate.objects.create(name="Vista", title="Constancia")
    template.save_revision()
    url = reverse(
        "wagtailsnippets_certificates_certificatetemplate:preview_on_edit", args=[template.pk]
    )
    form = {
        "name": "Vista",
        "title": "Constancia editada",
        "body": "{learner_name}",
        "language": "es",
        "orientation": "landscape",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "4",
    }
    assert admin_client.post(url, form).json()["is_valid"] is True
    response = admin_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "Constancia editada" in pdf_text(response.content)


def test_template_snippet_is_registered_in_the_admin(admin_client, db):
    response = admin_client.get(reverse("wagtailsnippets_certificates_certificatetemplate:add"))
    assert response.status_code == 200


def test_profile_links_to_my_certificates(client, learner):
    client.force_login(learner)
    assert reverse("certificates:mine") in client.get(reverse("profile")).content.decode()


def test_completing_the_last_lesson_with_the_broker_down_is_a_normal_page(
    client, learner, small_course, django_capture_on_commit_callbacks
):
    from unittest import mock

    from certificates import tasks
    from courses.models import LessonPage
    from courses.services import enrolment_create

    enrolment_create(user=learner, course=small_course, check_rules=False)
    lesson = LessonPage.objects.descendant_of(small_course).get()
    client.force_login(learner)
    with (
        mock.patch.object(
            tasks.render_certificate, "delay", side_effect=ConnectionError("Redis is down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("courses:complete", args=[lesson.pk]))
    assert response.status_code == 302
    certificate = Certificate.objects.get(user=learner)
    assert certificate.state == Certificate.State.PENDING and certificate.queued_at is None
