"""Issuance, idempotent rendering, failures, re-issue, revoke, expiry, batches, archives, sweep."""

import datetime
import zipfile
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from certificates import rendering, services, tasks
from certificates.models import (
    Certificate,
    CertificateArchive,
    CertificateBatch,
    CertificateTemplate,
    Signatory,
)
from certificates.selectors import certificates_for
from courses.models import Enrolment

from .conftest import complete_course, needs_tool, pdf_text

pytestmark = pytest.mark.django_db


def test_completing_a_course_creates_and_renders_one_certificate(
    certificate, learner, small_course
):
    assert certificate.state == Certificate.State.READY
    assert certificate.learner_name == learner.full_name
    assert certificate.course_title == small_course.title
    assert certificate.hours == small_course.hours
    assert certificate.pdf.name.endswith(".pdf")
    assert certificate.queued_at and certificate.rendered_at and certificate.emailed_at
    assert Certificate.objects.count() == 1


def test_the_certificate_row_is_part_of_the_completing_transaction(learner, small_course):
    with pytest.raises(RuntimeError), transaction.atomic():
        complete_course(learner, small_course)
        assert Certificate.objects.filter(user=learner).exists()
        raise RuntimeError("roll back")
    assert not Certificate.objects.exists()
    assert not Enrolment.objects.filter(user=learner, completed_at__isnull=False).exists()


def test_render_is_queued_only_after_commit(
    learner, small_course, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.render_certificate, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:  # noqa: SIM117
            complete_course(learner, small_course)
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    certificate = Certificate.objects.get()
    delay.assert_called_once_with(certificate.pk)
    assert certificate.state == Certificate.State.PENDING and certificate.queued_at


def test_broker_down_at_commit_leaves_a_pending_row_for_the_sweep(
    learner, small_course, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            tasks.render_certificate, "delay", side_effect=ConnectionError("redis down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete_course(learner, small_course)  # no exception reaches the learner
    certificate = Certificate.objects.get()
    assert certificate.state == Certificate.State.PENDING
    assert certificate.queued_at is None
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep() == 1
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY


def test_sweep_leaves_recently_queued_certificates_alone(
    learner, small_course, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.render_certificate, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete_course(learner, small_course)
        assert services.certificates_sweep() == 0


def test_second_render_of_a_ready_certificate_does_nothing(certificate):
    pdf_name = certificate.pdf.name
    assert services.certificate_render(certificate_id=certificate.pk) is False
    assert tasks.render_certificate.apply(args=[certificate.pk]).get() is False
    certificate.refresh_from_db()
    assert certificate.pdf.name == pdf_name
    assert len(mail.outbox) == 1


def test_render_of_a_missing_certificate_returns_quietly(db):
    assert tasks.render_certificate.apply(args=[987654]).get() is False


def test_a_render_that_lost_the_race_discards_its_file(certificate, settings):
    """Two renders of one generation: the later one finds the row ready and deletes its own file."""
    from pathlib import Path

    Certificate.objects.filter(pk=certificate.pk).update(state=Certificate.State.PENDING)
    real_render = rendering.render_certificate_pdf

    def render_and_let_the_other_win(context):
        pdf = real_render(context)
        Certificate.objects.filter(pk=certificate.pk).update(state=Certificate.State.READY)
        return pdf

    with mock.patch.object(rendering, "render_certificate_pdf", render_and_let_the_other_win):
        assert services.certificate_render(certificate_id=certificate.pk) is False
    files = list(Path(settings.MEDIA_ROOT, "certificates", "pdf").iterdir())
    assert [f.name for f in files] == [Path(certificate.pdf.name).name]


def test_transient_storage_error_is_retried_then_succeeds(
    learner, small_course, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    real_save = default_storage.save
    calls = []

    def flaky_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    with (
        mock.patch.object(default_storage, "save", flaky_save),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get()
    assert len(calls) == 2
    assert certificate.state == Certificate.State.READY
    assert len(mail.outbox) == 1


def test_transient_errors_beyond_the_retry_limit_mark_the_certificate_failed(
    learner, small_course, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    with (
        mock.patch.object(default_storage, "save", side_effect=OSError("disk full")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get()
    assert certificate.state == Certificate.State.FAILED
    assert "disk full" in certificate.failure_reason
    assert certificate.failed_at is not None
    assert mail.outbox == []


def test_permanent_render_error_marks_failed_and_retry_renders(
    learner, small_course, django_capture_on_commit_callbacks
):
    template = CertificateTemplate.objects.create(
        name="Larga", is_default=True, body="Texto\n" * 90
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get()
    assert certificate.state == Certificate.State.FAILED
    assert "one page" in certificate.failure_reason
    template.body = "{learner_name}"
    template.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_retry(certificate=certificate) is True
        assert services.certificate_retry(certificate=certificate) is False
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY
    assert certificate.generation == 2


def test_a_certificate_interrupted_too_often_is_given_up(
    learner, small_course, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.render_certificate, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete_course(learner, small_course)
    Certificate.objects.update(attempts=services.MAX_RENDER_ATTEMPTS)
    assert services.certificate_render(certificate_id=Certificate.objects.get().pk) is False
    assert Certificate.objects.get().state == Certificate.State.FAILED


def test_issue_is_idempotent(certificate, learner, small_course):
    again = services.certificate_issue(user=learner, course=small_course)
    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1


def test_database_allows_one_certificate_per_learner_and_course(certificate):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            user=certificate.user,
            course=certificate.course,
            code="ZZZZZZZZZZ",
            learner_name="x",
            course_title="x",
            hours=1,
            completed_on=certificate.completed_on,
            issued_on=certificate.issued_on,
        )


@needs_tool("pdftotext")
def test_reissue_after_name_correction_keeps_the_code_and_renders_a_new_pdf(
    certificate, learner, django_capture_on_commit_callbacks
):
    old_pdf = certificate.pdf.name
    learner.full_name = "Xóchitl Ꞌuxmal Peñaloza"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY
    assert certificate.learner_name == "Xóchitl Ꞌuxmal Peñaloza"
    assert certificate.pdf.name != old_pdf
    assert "Xóchitl Ꞌuxmal Peñaloza" in pdf_text(certificate.pdf.path)
    assert certificate.display_code in pdf_text(certificate.pdf.path)
    assert len(mail.outbox) == 2


def test_reissue_keeps_the_template_revision_unless_asked(
    learner, small_course, django_capture_on_commit_callbacks
):
    template = CertificateTemplate(name="Plantilla", title="Título original", is_default=True)
    template.signatories = [Signatory(name="Ana Pérez", role="Coordinación")]
    template.save()
    first = template.save_revision()
    first.publish()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get()
    assert certificate.template_revision_id == first.pk
    template.title = "Título nuevo"
    template.save()
    second = template.save_revision()
    second.publish()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.template_revision_id == first.pk
    assert "Título original" in pdf_text(certificate.pdf.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(certificate=certificate, use_current_template=True)
    certificate.refresh_from_db()
    assert certificate.template_revision_id == second.pk
    assert "Título nuevo" in pdf_text(certificate.pdf.path)


def test_template_named_by_the_course_wins_over_the_default(small_course):
    CertificateTemplate.objects.create(name="Por defecto", is_default=True)
    named = CertificateTemplate.objects.create(name="Del curso")
    named.courses.add(small_course)
    named.save()
    assert services.template_for(small_course) == named


def test_revoke_requires_a_reason_and_blocks_reissue(certificate):
    from certificates.exceptions import CertificateActionRefused

    with pytest.raises(CertificateActionRefused):
        services.certificate_revoke(certificate=certificate, reason="  ")
    services.certificate_revoke(certificate=certificate, reason="Datos falsos")
    services.certificate_revoke(certificate=certificate, reason="Otra razón")
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REVOKED
    assert certificate.revoked_reason == "Datos falsos"
    assert certificate.validity == "revoked"
    with pytest.raises(CertificateActionRefused):
        services.certificate_reissue(certificate=certificate)
    assert services.certificate_render(certificate_id=certificate.pk) is False


def test_validity_period_sets_expiry_and_expired_certificates_verify_as_expired(
    learner, small_course, django_capture_on_commit_callbacks
):
    small_course.certificate_validity_months = 12
    small_course.save()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get()
    assert certificate.expires_on == services.add_months(certificate.issued_on, 12)
    assert certificate.validity == "valid"
    certificate.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    assert certificate.validity == "expired"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 25), 12, datetime.date(2027, 11, 25)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert services.add_months(day, months) == expected


def test_learners_are_reminded_once_before_expiry(certificate):
    mail.outbox.clear()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=10)
    )
    assert services.certificate_remind_expiring() == 1
    assert services.certificate_remind_expiring() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [certificate.user.email]


def test_ready_email_goes_to_the_learner_once(certificate):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [certificate.user.email]
    assert certificate.display_code in message.body
    assert "https://formacion.example.org/certificados/mis-certificados/" in message.body
    assert services.certificate_email(certificate_id=certificate.pk) is False


def test_failed_email_releases_its_claim_for_a_retry(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None, email_sent_at=None)
    with (
        mock.patch("django.core.mail.send_mail", side_effect=ConnectionError("smtp down")),
        pytest.raises(ConnectionError),
    ):
        services.certificate_email(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.emailed_at is None and certificate.email_sent_at is None


def test_issue_missing_creates_certificates_for_completed_enrolments_only(
    small_course, learner, other_learner, django_capture_on_commit_callbacks
):
    from courses.services import enrolment_create

    with (
        mock.patch.object(tasks.render_certificate, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete_course(learner, small_course)
    Certificate.objects.all().delete()
    enrolment_create(user=other_learner, course=small_course, check_rules=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_issue_missing(course=small_course) == 1
        assert services.certificate_issue_missing(course=small_course) == 0
    assert list(Certificate.objects.values_list("user_id", "state")) == [(learner.pk, "ready")]


def test_bulk_issue_for_a_cohort_issues_each_member_its_own_certificate(
    small_course, manager, django_capture_on_commit_callbacks
):
    from certificates.selectors import batch_progress
    from lms.factories import CohortFactory, UserFactory
    from lms.services import cohort_add_member

    cohort = CohortFactory(programme=small_course.get_programme())
    members = [UserFactory() for _ in range(3)]
    with (
        mock.patch.object(tasks.render_certificate, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for member in members:
            cohort_add_member(cohort=cohort, user=member)
            complete_course(member, small_course, cohort=cohort)
    Certificate.objects.all().delete()
    with (
        mock.patch.object(tasks.render_certificates, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        batch = services.certificate_batch_create(
            cohort=cohort, course=small_course, requested_by=manager
        )
    ids = sorted(Certificate.objects.values_list("pk", flat=True))
    delay.assert_called_once_with(ids)  # one task renders the group
    assert {c.user for c in Certificate.objects.all()} == set(members)
    batch.refresh_from_db()
    assert batch.eligible == 3 and batch.created_count == 3 and batch.finished_at
    assert batch_progress(batch)["pending"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.render_certificates.apply(args=[ids]).get() == 3
    assert batch_progress(batch) | {} == batch_progress(batch)
    assert batch_progress(batch)["percent"] == 100


def test_cohort_zip_contains_the_ready_pdfs(
    certificate, small_course, manager, django_capture_on_commit_callbacks
):
    from lms.factories import CohortFactory
    from lms.services import cohort_add_member

    cohort = CohortFactory(programme=small_course.get_programme())
    cohort_add_member(cohort=cohort, user=certificate.user)
    with django_capture_on_commit_callbacks(execute=True):
        archive = services.certificate_archive_create(
            cohort=cohort, course=small_course, requested_by=manager
        )
    archive.refresh_from_db()
    assert archive.state == CertificateArchive.State.READY and archive.count == 1
    with zipfile.ZipFile(archive.file.path) as bundle:
        names = bundle.namelist()
        assert len(names) == 1 and names[0].endswith(f"{certificate.code}.pdf")
        assert bundle.read(names[0])[:5] == b"%PDF-"
    assert services.certificate_archive_build(archive_id=archive.pk) is False


def test_certificates_for_maps_user_ids_in_one_query(
    certificate, learner, other_learner, small_course, django_assert_num_queries
):
    with django_assert_num_queries(1):
        result = certificates_for([learner.pk, other_learner.pk], small_course)
    assert result == {learner.pk: certificate}


def test_sample_pdf_renders_an_unsaved_template():
    template = CertificateTemplate(name="Borrador", title="Constancia de muestra")
    pdf = services.template_sample_pdf(template=template)
    assert pdf[:5] == b"%PDF-"
    assert "Constancia de muestra" in pdf_text(pdf)


def test_unknown_placeholder_is_a_validation_error():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        CertificateTemplate(name="x", body="Hola {nombre}").full_clean()


def test_only_one_default_template_and_one_template_per_course(small_course):
    from django.core.exceptions import ValidationError

    first = CertificateTemplate(name="Uno", is_default=True)
    first.courses = [small_course]
    first.save()
    second = CertificateTemplate(name="Dos", is_default=True)
    second.courses = [small_course]
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert set(error.value.message_dict) == {"is_default", "courses"}
    first.full_clean()  # a template does not conflict with itself


def test_a_template_in_use_cannot_be_deleted(certificate):
    from django.db.models import ProtectedError

    template = CertificateTemplate.objects.create(name="En uso")
    Certificate.objects.filter(pk=certificate.pk).update(template=template)
    with pytest.raises(ProtectedError):
        template.delete()


def test_bulk_issue_runs_in_chunks_each_its_own_task(
    small_course, manager, django_capture_on_commit_callbacks
):
    from lms.factories import CohortFactory, UserFactory
    from lms.services import cohort_add_member

    cohort = CohortFactory(programme=small_course.get_programme())
    with (
        mock.patch.object(tasks.render_certificate, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(5):
            member = UserFactory()
            cohort_add_member(cohort=cohort, user=member)
            complete_course(member, small_course, cohort=cohort)
    Certificate.objects.all().delete()
    batch = CertificateBatch.objects.create(cohort=cohort, course=small_course, eligible=5)
    with mock.patch.object(tasks.render_certificate, "delay"):
        assert services.certificate_batch_run(batch_id=batch.pk, chunk=2) is True
        assert Certificate.objects.count() == 2
        assert services.certificate_batch_run(batch_id=batch.pk, chunk=2) is True
        assert services.certificate_batch_run(batch_id=batch.pk, chunk=2) is False
        assert services.certificate_batch_run(batch_id=batch.pk, chunk=2) is False
    batch.refresh_from_db()
    assert batch.created_count == 5 and batch.finished_at is not None
    assert Certificate.objects.filter(batch=batch).count() == 5


def test_sweep_queues_an_unsent_email_again(certificate, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    Certificate.objects.filter(pk=certificate.pk).update(
        emailed_at=None,
        email_sent_at=None,
        rendered_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    services.certificates_sweep()
    assert len(mail.outbox) == 1
    services.certificates_sweep()
    assert len(mail.outbox) == 1


def test_an_email_claimed_by_a_sender_that_died_is_sent_by_the_sweep(certificate):
    """A worker killed between claiming the e-mail and sending it loses nothing: a few minutes
    later the sweep sends it, once."""
    mail.outbox.clear()
    now = timezone.now()
    Certificate.objects.filter(pk=certificate.pk).update(
        emailed_at=now - datetime.timedelta(minutes=1),
        email_sent_at=None,
        rendered_at=now - datetime.timedelta(minutes=10),
    )
    services.certificates_sweep()
    assert len(mail.outbox) == 0  # a claim this young may still be sending
    Certificate.objects.filter(pk=certificate.pk).update(
        emailed_at=now - datetime.timedelta(minutes=4)
    )
    services.certificates_sweep()
    services.certificates_sweep()
    assert len(mail.outbox) == 1
    certificate.refresh_from_db()
    assert certificate.email_sent_at is not None


def test_a_render_never_queued_is_queued_by_the_next_sweep_within_two_minutes(
    certificate, settings, django_capture_on_commit_callbacks
):
    """Broker down at commit: the pending row is queued again by the sweep, which beat runs
    every minute for rows pending over a minute."""
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-pending-certificates"]["schedule"]
    Certificate.objects.filter(pk=certificate.pk).update(
        state=Certificate.State.PENDING,
        queued_at=None,
        created_at=timezone.now() - datetime.timedelta(seconds=61),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep() == 1
    assert schedule + 60 <= 120  # eligible after a minute, swept within the next minute


def test_the_sweep_requeues_a_pending_render_within_two_minutes_of_being_due(settings):
    """Beat runs the sweep often enough, and its threshold is short enough, that a render
    queued and then lost (killed worker, restarted broker) is queued again within 2 minutes."""
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-pending-certificates"]
    assert schedule["task"] == "certificates.tasks.sweep_pending_certificates"
    assert schedule["schedule"] + settings.CERTIFICATES_SWEEP_AFTER_SECONDS <= 120


def test_a_queued_render_lost_with_its_worker_is_queued_again_after_the_threshold(
    certificate, settings, django_capture_on_commit_callbacks
):
    """Queued, then lost: left alone while it may still be running, queued again and rendered
    by the sweep (with its default threshold) once it is older than the threshold."""
    threshold = settings.CERTIFICATES_SWEEP_AFTER_SECONDS
    lost = timezone.now() - datetime.timedelta(seconds=threshold - 20)
    Certificate.objects.filter(pk=certificate.pk).update(
        state=Certificate.State.PENDING, queued_at=lost, created_at=lost
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep() == 0
    Certificate.objects.filter(pk=certificate.pk).update(
        queued_at=timezone.now() - datetime.timedelta(seconds=threshold + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep() == 1
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY
    assert certificate.queued_at > lost


def test_periodic_tasks_named_in_the_beat_schedule_exist(settings):
    from lms.celery import app

    names = {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("certificates.")
    }
    assert names == {
        "certificates.tasks.sweep_pending_certificates",
        "certificates.tasks.remind_expiring_certificates",
    }
    assert names <= set(app.tasks)
    assert tasks.sweep_pending_certificates.apply().get() == 0
    assert tasks.remind_expiring_certificates.apply().get() == 0


def test_render_task_is_late_acknowledged_and_rejected_on_worker_loss():
    assert tasks.render_certificate.acks_late is True
    assert tasks.render_certificate.reject_on_worker_lost is True
    from django.conf import settings

    longest_countdown = tasks._countdown(tasks.MAX_RETRIES)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest_countdown


@needs_tool("pdfimages")
def test_logos_and_signatures_from_media_are_embedded(
    learner, small_course, django_capture_on_commit_callbacks
):
    import subprocess

    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    logo = Image.objects.create(
        title="Logo", file=get_test_image_file("logo.png", colour="purple", size=(200, 80))
    )
    signature = Image.objects.create(
        title="Firma", file=get_test_image_file("firma.png", colour="black")
    )
    template = CertificateTemplate(name="Con logos", is_default=True, logo_left=logo)
    template.signatories = [Signatory(name="Ana Pérez", role="Coordinación", signature=signature)]
    template.save()
    template.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    certificate = Certificate.objects.get()
    assert certificate.state == Certificate.State.READY
    listing = subprocess.run(
        ["pdfimages", "-list", certificate.pdf.path], capture_output=True, check=True
    ).stdout
    images = [line.split() for line in listing.decode().splitlines()[2:] if line.strip()]
    assert [row[2] for row in images].count("image") == 3, (
        listing.decode()
    )  # logo, signature, QR code
    assert {row[9] for row in images} == {"no"}, listing.decode()  # PDF/A: no /Interpolate true


@pytest.fixture
def page_tree(transactional_db):
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()


@pytest.mark.django_db(transaction=True)
def test_only_the_start_of_a_render_commits_without_waiting_for_the_disk(page_tree, certificate):
    """The start mark (an attempt counted) is bookkeeping: its transaction alone turns
    synchronous_commit off on PostgreSQL; the ready mark is committed durably. Inside a
    caller's transaction nothing is relaxed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def pending_again():
        Certificate.objects.filter(pk=certificate.pk).update(state=Certificate.State.PENDING)

    pending_again()
    with CaptureQueriesContext(connection) as queries:
        assert services.certificate_render(certificate_id=certificate.pk) is True
    sql = [q["sql"] for q in queries.captured_queries]
    relaxed = [i for i, q in enumerate(sql) if "synchronous_commit" in q]
    if connection.vendor == "postgresql":
        assert len(relaxed) == 1
        updates = [i for i, q in enumerate(sql) if q.startswith("UPDATE")]
        # SET LOCAL, then the start mark; the ready mark comes after that transaction's COMMIT.
        start, ready = updates[0], updates[1]
        assert relaxed[0] < start < sql.index("COMMIT", start) < ready
    else:
        assert relaxed == []
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.READY and certificate.attempts == 0

    pending_again()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert services.certificate_render(certificate_id=certificate.pk) is True
    assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)
