"""Manager actions: re-issue, retry, revoke; bulk issue for a cohort; ZIP archives."""

import logging
import secrets

from celery import Task
from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from lms.models import Cohort, User

from ..exceptions import CertificateActionRefused
from ..models import Certificate, CertificateArchive, CertificateBatch
from .issuing import certificate_issue_missing, certificate_queue_render_on_commit, template_for
from .pdf import delete_file_quietly

logger = logging.getLogger(__name__)


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, use_current_template: bool = False, learner_name: str | None = None
) -> Certificate:
    """Render the certificate again with the learner's current name (or `learner_name`).

    Keeps the code; the new PDF replaces the old one when ready (the old one stays downloadable
    meanwhile). Keeps the template revision unless `use_current_template`. A new e-mail is
    sent. Refused for a revoked certificate. Not idempotent: each call renders once more.
    """
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("user", "course")
        .get(pk=certificate.pk)
    )
    if certificate.state == Certificate.State.REVOKED:
        raise CertificateActionRefused("revoked")
    name = (learner_name if learner_name is not None else certificate.user.full_name).strip()
    if not name:
        raise CertificateActionRefused("empty_name")
    certificate.learner_name = name[:200]
    certificate.course_title = certificate.course.title
    certificate.hours = certificate.course.hours
    if use_current_template:
        template = template_for(certificate.course)
        certificate.template = template
        certificate.template_revision = template.live_revision if template else None
    _restart(certificate)
    certificate.save()
    certificate_queue_render_on_commit(certificate_id=certificate.pk)
    return certificate


def _restart(certificate: Certificate) -> None:
    certificate.state = Certificate.State.PENDING
    certificate.generation += 1
    certificate.attempts = 0
    certificate.failure_reason = ""
    certificate.failed_at = None
    certificate.emailed_at = None
    certificate.email_sent_at = None
    certificate.queued_at = None


@transaction.atomic
def certificates_rerender(*, certificate_ids: list[int]) -> int:
    """Render ready certificates again as they are (same code, name, template), e.g. after the
    site moved to another address that their QR code must point at. No e-mail is sent again.
    Returns how many were queued; revoked, pending or failed ones are left alone."""
    certificates = list(
        Certificate.objects.select_for_update().filter(
            pk__in=certificate_ids, state=Certificate.State.READY
        )
    )
    for certificate in certificates:
        emailed_at = certificate.emailed_at
        _restart(certificate)
        certificate.emailed_at = emailed_at
        certificate.save()
        certificate_queue_render_on_commit(certificate_id=certificate.pk)
    return len(certificates)


@transaction.atomic
def certificate_retry(*, certificate: Certificate) -> bool:
    """Queue a failed certificate's render again (idempotent: only a failed one moves)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.state != Certificate.State.FAILED:
        return False
    _restart(certificate)
    certificate.save()
    certificate_queue_render_on_commit(certificate_id=certificate.pk)
    return True


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate with a reason (idempotent: a revoked one keeps its first reason).

    The verification page shows it as revoked and the learner can no longer download it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CertificateActionRefused("reason_required")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.state == Certificate.State.REVOKED:
        return certificate
    certificate.state = Certificate.State.REVOKED
    certificate.revoked_reason = reason[:2000]
    certificate.revoked_at = timezone.now()
    certificate.revocation_emailed_at = None
    certificate.save(
        update_fields=["state", "revoked_reason", "revoked_at", "revocation_emailed_at"]
    )
    logger.info("certificate %s revoked", certificate.pk)
    certificate_id = certificate.pk
    transaction.on_commit(lambda: _queue_revocation_email(certificate_id))
    return certificate


def _queue_revocation_email(certificate_id: int) -> None:
    from ..tasks import email_revocation

    email_revocation.delay(certificate_id)


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate) -> Certificate:
    """Undo a revocation (idempotent: only a revoked certificate moves).

    The certificate returns to ready when its PDF is still there, else it is rendered again;
    its code stays. The reason is cleared: the verification page shows it as valid again.
    """
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.state != Certificate.State.REVOKED:
        return certificate
    certificate.revoked_reason = ""
    certificate.revoked_at = None
    if certificate.pdf:
        certificate.state = Certificate.State.READY
        certificate.save(update_fields=["state", "revoked_reason", "revoked_at"])
    else:
        _restart(certificate)
        certificate.save()
        certificate_queue_render_on_commit(certificate_id=certificate.pk)
    logger.info("certificate %s reinstated", certificate.pk)
    return certificate


def certificate_batch_create(
    *, cohort: Cohort, course: CoursePage, requested_by: User
) -> CertificateBatch:
    """Record a bulk issue for a cohort and queue its task after commit; the task issues in
    chunks."""
    from ..tasks import issue_batch

    with transaction.atomic():
        eligible = (
            Enrolment.objects.filter(
                course=course, completed_at__isnull=False, user__cohort_memberships__cohort=cohort
            )
            .exclude(user__certificates__course=course)
            .distinct()
            .count()
        )
        batch = CertificateBatch.objects.create(
            cohort=cohort, course=course, requested_by=requested_by, eligible=eligible
        )
        transaction.on_commit(lambda: queue_quietly(issue_batch, batch.pk))
    return batch


def certificate_batch_run(*, batch_id: int, chunk: int = 200) -> bool:
    """Issue the next `chunk` certificates of a batch; True when more remain (idempotent).

    The task calls this once per chunk and queues itself again, so a batch of a thousand is
    neither one transaction nor one task; learners who already have a certificate are skipped.
    """
    batch = CertificateBatch.objects.select_related("cohort", "course").filter(pk=batch_id).first()
    if batch is None or batch.finished_at:
        return False
    created = certificate_issue_missing(
        course=batch.course, cohort=batch.cohort, batch=batch, limit=chunk
    )
    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
        batch.created_count = Certificate.objects.filter(batch=batch).count()
        more = created == chunk
        if not more:
            batch.finished_at = timezone.now()
        batch.save(update_fields=["created_count", "finished_at"])
    return more


def queue_quietly(task: Task, object_id: int) -> None:
    try:
        task.delay(object_id)
    except Exception:
        logger.warning(
            "could not queue %s(%s); the sweep will retry", task.name, object_id, exc_info=True
        )


def certificate_archive_create(
    *, cohort: Cohort, course: CoursePage, requested_by: User
) -> CertificateArchive:
    """Record a ZIP request for a cohort's PDFs and queue its build after commit."""
    from ..tasks import build_archive

    with transaction.atomic():
        archive = CertificateArchive.objects.create(
            cohort=cohort, course=course, requested_by=requested_by
        )
        transaction.on_commit(lambda: queue_quietly(build_archive, archive.pk))
    return archive


def certificate_archive_build(*, archive_id: int) -> bool:
    """Write the ZIP of the cohort's downloadable PDFs to storage and mark it ready; idempotent."""
    import tempfile
    import zipfile

    from django.core.files import File
    from django.core.files.storage import default_storage

    archive = (
        CertificateArchive.objects.select_related("cohort", "course").filter(pk=archive_id).first()
    )
    if archive is None or archive.state != CertificateArchive.State.PENDING:
        return False
    certificates = (
        Certificate.objects.filter(
            course=archive.course, user__cohort_memberships__cohort=archive.cohort
        )
        .exclude(state=Certificate.State.REVOKED)
        .exclude(pdf="")
        .order_by("learner_name")
        .distinct()
    )
    count = 0
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as bundle:
            for certificate in certificates.iterator():
                arcname = _archive_name(certificate)
                with default_storage.open(certificate.pdf.name, "rb") as pdf:
                    bundle.writestr(arcname, pdf.read())
                count += 1
        handle.seek(0)
        saved = default_storage.save(
            f"certificates/zip/cohorte-{archive.cohort_id}-curso-{archive.course_id}-"
            f"{secrets.token_hex(6)}.zip",
            File(handle),
        )
    with transaction.atomic():
        current = CertificateArchive.objects.select_for_update().get(pk=archive_id)
        if current.state != CertificateArchive.State.PENDING:
            delete_file_quietly(saved)
            return False
        current.file.name = saved
        current.count = count
        current.state = CertificateArchive.State.READY
        current.finished_at = timezone.now()
        current.save(update_fields=["file", "count", "state", "finished_at"])
    return True


def _archive_name(certificate: Certificate) -> str:
    from django.utils.text import slugify

    return f"{slugify(certificate.learner_name)[:60] or 'certificado'}-{certificate.code}.pdf"


@transaction.atomic
def certificate_archive_mark_failed(*, archive_id: int, reason: str) -> None:
    CertificateArchive.objects.filter(pk=archive_id, state=CertificateArchive.State.PENDING).update(
        state=CertificateArchive.State.FAILED,
        failure_reason=reason[:2000],
        finished_at=timezone.now(),
    )
