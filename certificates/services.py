"""Writes for certificates: issue, render, e-mail, re-issue, revoke, retry, batches and archives.

Views, tasks, receivers and the demo seed all call these. The Certificate row is the source of
truth: a task only ever moves a row forward from the state it finds, under a row lock.
"""

import logging
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from lms.models import Cohort

from . import rendering
from .codes import generate_code
from .exceptions import CertificateActionRefused
from .models import Certificate, CertificateArchive, CertificateBatch, CertificateTemplate

logger = logging.getLogger(__name__)

# A certificate whose render started this many times without finishing is given up on: a
# poison input that kills the worker must not loop for ever.
MAX_RENDER_ATTEMPTS = 8


# --- issuing -----------------------------------------------------------------------------------


def template_for(course: CoursePage) -> CertificateTemplate | None:
    """The template that names the course, else the default template, else None (built-in design)."""
    return (
        CertificateTemplate.objects.filter(courses=course).order_by("-updated_at").first()
        or CertificateTemplate.objects.filter(is_default=True).order_by("-updated_at").first()
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _new_certificate(*, user, course: CoursePage, cohort, completed_on: date, batch=None) -> Certificate:
    template = template_for(course)
    issued_on = timezone.localdate()
    fields = {
        "cohort": cohort,
        "batch": batch,
        "learner_name": user.full_name or user.email,
        "course_title": course.title,
        "hours": course.hours,
        "completed_on": completed_on,
        "issued_on": issued_on,
        "expires_on": (
            add_months(issued_on, course.certificate_validity_months) if course.certificate_validity_months else None
        ),
        "template": template,
        "template_revision": template.latest_revision if template else None,
    }
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(user=user, course=course, code=generate_code(), **fields)
        except IntegrityError:
            existing = Certificate.objects.filter(user=user, course=course).first()
            if existing:
                return existing
            # A code collision (one in ~10^14): draw again.
    raise RuntimeError("Could not draw a unique verification code")


@transaction.atomic
def certificate_issue(
    *, user, course: CoursePage, cohort: Cohort | None = None, completed_at: datetime | None = None,
    batch: CertificateBatch | None = None,
) -> Certificate:
    """Create the learner's certificate for a course and queue its render after commit.

    Idempotent: a learner has at most one certificate per course (database constraint); a
    second call returns the existing one and queues nothing. The PDF is rendered by a worker.
    """
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    completed_on = timezone.localdate(completed_at) if completed_at else timezone.localdate()
    certificate = _new_certificate(user=user, course=course, cohort=cohort, completed_on=completed_on, batch=batch)
    logger.info("certificate issued: id=%s user=%s course=%s", certificate.pk, user.pk, course.pk)
    certificate_queue_render_on_commit(certificate_id=certificate.pk)
    return certificate


def certificate_queue_render_on_commit(*, certificate_id: int) -> None:
    """After the current transaction commits, queue the render task.

    A broker that is down must not break the request that issued the certificate: the failure
    is logged and the periodic sweep queues the still-pending row later.
    """
    transaction.on_commit(lambda: certificate_queue_render(certificate_id=certificate_id))


def certificate_queue_render(*, certificate_id: int) -> bool:
    """Queue the render task now and record when; False (logged) when the broker refused it."""
    from .tasks import render_certificate

    Certificate.objects.filter(pk=certificate_id, state=Certificate.State.PENDING).update(queued_at=timezone.now())
    try:
        render_certificate.delay(certificate_id)
    except Exception:
        logger.warning("could not queue render of certificate %s; the sweep will retry", certificate_id,
                       exc_info=True)
        Certificate.objects.filter(pk=certificate_id, state=Certificate.State.PENDING).update(queued_at=None)
        return False
    return True


def certificate_issue_missing(*, course: CoursePage, cohort: Cohort | None = None,
                              batch: CertificateBatch | None = None, chunk: int = 200,
                              limit: int | None = None) -> int:
    """Issue certificates for every completed enrolment of the course that has none yet.

    Idempotent. Optionally limited to a cohort's members. Each chunk of learners is its own
    transaction, so issuing a thousand certificates never holds one long transaction; each
    certificate gets its own render task. Returns the number created.
    """
    enrolments = Enrolment.objects.filter(course=course, completed_at__isnull=False).exclude(
        user__certificates__course=course
    )
    if cohort is not None:
        enrolments = enrolments.filter(user__cohort_memberships__cohort=cohort)
    ids = list(enrolments.order_by("pk").values_list("pk", flat=True).distinct()[:limit])
    created = 0
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            for enrolment in Enrolment.objects.filter(pk__in=ids[start : start + chunk]).select_related("user"):
                if Certificate.objects.filter(user_id=enrolment.user_id, course=course).exists():
                    continue
                certificate_issue(user=enrolment.user, course=course, cohort=cohort or enrolment.cohort,
                                  completed_at=enrolment.completed_at, batch=batch)
                created += 1
    return created


# --- rendering ---------------------------------------------------------------------------------


def _template_object(certificate: Certificate) -> CertificateTemplate | None:
    if certificate.template_revision_id:
        try:
            return certificate.template_revision.as_object()
        except Exception:  # a revision that no longer loads: fall back to the live template
            logger.warning("template revision %s of certificate %s does not load",
                           certificate.template_revision_id, certificate.pk, exc_info=True)
    return certificate.template


def _image_path(image) -> str:
    return image.file.name if image is not None and image.file else ""


def certificate_context(certificate: Certificate, template: CertificateTemplate | None = None) -> rendering.CertificateContext:
    """What the PDF prints for this certificate, from its snapshot and its template revision."""
    template = template if template is not None else _template_object(certificate)
    values = {
        "learner_name": certificate.learner_name,
        "course_title": certificate.course_title,
        "hours": _format_hours(certificate.hours),
        "completion_date": certificate.completed_on,
        "issue_date": certificate.issued_on,
        "code": certificate.display_code,
        "verify_url": certificate.verify_url,
        "expires_on": certificate.expires_on,
        "author": settings.WAGTAIL_SITE_NAME,
    }
    if template is None:
        return rendering.CertificateContext(
            **values,
            body=CertificateTemplate._meta.get_field("body").default,
            title=CertificateTemplate._meta.get_field("title").default,
        )
    signatories = template.signatories.all()
    return rendering.CertificateContext(
        **values,
        title=template.title,
        body=template.body,
        language=template.language,
        orientation=template.orientation,
        signatories=tuple(
            rendering.Signature(name=s.name, role=s.role, image_path=_image_path(s.signature)) for s in signatories
        ),
        logo_paths=tuple(p for p in (_image_path(template.logo_left), _image_path(template.logo_right)) if p),
    )


def _format_hours(hours) -> str:
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def template_sample_pdf(*, template: CertificateTemplate) -> bytes:
    """A sample certificate in the template's (possibly unsaved) design; changes nothing."""
    today = timezone.localdate()
    sample = Certificate(
        code="ABCDE23456", learner_name="María Ꞌuxmal Núñez Güemes", course_title="Curso de muestra",
        hours=20, completed_on=today, issued_on=today,
    )
    return rendering.render_certificate_pdf(certificate_context(sample, template))


class TransientRenderError(Exception):
    """Storage or database trouble that may pass: retry later."""


def certificate_render(*, certificate_id: int) -> bool:
    """Render a pending certificate to PDF and mark it ready; idempotent.

    Does nothing (returns False) unless the row is pending. The PDF is written under a fresh
    name first and the row is switched to it under a row lock only if no other render of the
    same generation finished first, so a duplicate or retried task, or one redelivered after
    a worker died, leaves one ready certificate and one file. Raises TransientRenderError for
    storage trouble (the task retries) and rendering.RenderError for a design that cannot
    render (the task marks the certificate failed).
    """
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("template", "template_revision")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or certificate.state != Certificate.State.PENDING:
            return False
        if certificate.attempts >= MAX_RENDER_ATTEMPTS:
            _mark_failed(certificate, f"Gave up after {certificate.attempts} interrupted attempts.")
            return False
        certificate.attempts += 1
        certificate.render_started_at = timezone.now()
        certificate.save(update_fields=["attempts", "render_started_at"])
        generation = certificate.generation

    pdf = rendering.render_certificate_pdf(certificate_context(certificate))
    name = f"certificates/pdf/{certificate.code}-{generation}-{secrets.token_hex(4)}.pdf"
    try:
        from django.core.files.storage import default_storage

        saved_name = default_storage.save(name, ContentFile(pdf))
    except OSError as error:
        raise TransientRenderError(str(error)) from error

    with transaction.atomic():
        current = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if current is None or current.state != Certificate.State.PENDING or current.generation != generation:
            _delete_quietly(saved_name)
            return False
        old_name = current.pdf.name
        current.pdf.name = saved_name
        current.state = Certificate.State.READY
        current.rendered_at = timezone.now()
        current.failure_reason = ""
        current.attempts = 0
        current.save(update_fields=["pdf", "state", "rendered_at", "failure_reason", "attempts"])
        if old_name and old_name != saved_name:
            transaction.on_commit(lambda: _delete_quietly(old_name))
        transaction.on_commit(lambda: _queue_email(certificate_id))
    logger.info("certificate rendered: id=%s generation=%s", certificate_id, generation)
    return True


def _delete_quietly(name: str) -> None:
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("could not delete %s", name, exc_info=True)


def _queue_email(certificate_id: int) -> None:
    from .tasks import email_certificate

    try:
        email_certificate.delay(certificate_id)
    except Exception:
        logger.warning("could not queue e-mail of certificate %s; the sweep will retry", certificate_id,
                       exc_info=True)


def _mark_failed(certificate: Certificate, reason: str) -> None:
    certificate.state = Certificate.State.FAILED
    certificate.failure_reason = reason[:2000]
    certificate.failed_at = timezone.now()
    certificate.save(update_fields=["state", "failure_reason", "failed_at"])
    logger.error("certificate %s failed: %s", certificate.pk, reason)


@transaction.atomic
def certificate_mark_failed(*, certificate_id: int, reason: str) -> bool:
    """Record a permanent render failure on a pending certificate (idempotent); managers see it."""
    certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
    if certificate is None or certificate.state != Certificate.State.PENDING:
        return False
    _mark_failed(certificate, reason)
    return True


# --- e-mail ------------------------------------------------------------------------------------


def certificate_email(*, certificate_id: int) -> bool:
    """E-mail the learner that their certificate is ready, once per generation.

    The send is claimed first (emailed_at set under a conditional update), so duplicate tasks
    send one message; if sending fails the claim is released and the error re-raised so the
    task retries. Returns whether a message was sent.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    now = timezone.now()
    claimed = Certificate.objects.filter(
        pk=certificate_id, state=Certificate.State.READY, emailed_at__isnull=True
    ).update(emailed_at=now)
    if not claimed:
        return False
    certificate = Certificate.objects.select_related("user").get(pk=certificate_id)
    user = certificate.user
    try:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "certificate": certificate,
                "user": user,
                "download_url": settings.SITE_URL + reverse("certificates:download", args=[certificate.display_code]),
                "list_url": settings.SITE_URL + reverse("certificates:mine"),
                "verify_url": certificate.verify_url,
            }
            subject = render_to_string("certificates/email/ready_subject.txt", context).strip()
            body = render_to_string("certificates/email/ready_body.txt", context)
        send_mail(subject, body, None, [user.email])
    except Exception:
        Certificate.objects.filter(pk=certificate_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


def certificate_remind_expiring(*, within_days: int = 30, today: date | None = None) -> int:
    """E-mail learners whose valid certificate expires within `within_days`; once per certificate.

    Idempotent (reminded_at is claimed before sending and released if the send fails).
    Returns the number of reminders sent.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    today = today or timezone.localdate()
    due = Certificate.objects.filter(
        state=Certificate.State.READY, reminded_at__isnull=True,
        expires_on__gte=today, expires_on__lte=today + timedelta(days=within_days),
    ).values_list("pk", flat=True)
    sent = 0
    for certificate_id in list(due):
        now = timezone.now()
        if not Certificate.objects.filter(pk=certificate_id, reminded_at__isnull=True).update(reminded_at=now):
            continue
        certificate = Certificate.objects.select_related("user").get(pk=certificate_id)
        try:
            with translation.override(certificate.user.preferred_language or settings.LANGUAGE_CODE):
                context = {"certificate": certificate, "user": certificate.user}
                subject = render_to_string("certificates/email/expiring_subject.txt", context).strip()
                body = render_to_string("certificates/email/expiring_body.txt", context)
            send_mail(subject, body, None, [certificate.user.email])
            sent += 1
        except Exception:
            Certificate.objects.filter(pk=certificate_id, reminded_at=now).update(reminded_at=None)
            logger.warning("could not send expiry reminder for certificate %s", certificate_id, exc_info=True)
    return sent


# --- manager actions ---------------------------------------------------------------------------


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, use_current_template: bool = False,
                        learner_name: str | None = None) -> Certificate:
    """Render the certificate again with the learner's current name (or `learner_name`).

    Keeps the code; the new PDF replaces the old one when ready (the old one stays downloadable
    meanwhile). Keeps the template revision unless `use_current_template`. A new e-mail is
    sent. Refused for a revoked certificate. Not idempotent: each call renders once more.
    """
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related("user", "course").get(pk=certificate.pk)
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
        certificate.template_revision = template.latest_revision if template else None
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
    certificate.queued_at = None


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
    certificate.save(update_fields=["state", "revoked_reason", "revoked_at"])
    logger.info("certificate %s revoked", certificate.pk)
    return certificate


def certificate_batch_create(*, cohort: Cohort, course: CoursePage, requested_by) -> CertificateBatch:
    """Record a bulk issue for a cohort and queue its task after commit; the task issues in chunks."""
    from .tasks import issue_batch

    with transaction.atomic():
        eligible = (
            Enrolment.objects.filter(course=course, completed_at__isnull=False, user__cohort_memberships__cohort=cohort)
            .exclude(user__certificates__course=course)
            .distinct()
            .count()
        )
        batch = CertificateBatch.objects.create(cohort=cohort, course=course, requested_by=requested_by,
                                                eligible=eligible)
        transaction.on_commit(lambda: _queue_or_run(issue_batch, batch.pk))
    return batch


def certificate_batch_run(*, batch_id: int, chunk: int = 200) -> bool:
    """Issue the next `chunk` certificates of a batch; True when more remain (idempotent).

    The task calls this once per chunk and queues itself again, so a batch of a thousand is
    neither one transaction nor one task; learners who already have a certificate are skipped.
    """
    batch = CertificateBatch.objects.select_related("cohort", "course").filter(pk=batch_id).first()
    if batch is None or batch.finished_at:
        return False
    created = certificate_issue_missing(course=batch.course, cohort=batch.cohort, batch=batch, limit=chunk)
    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
        batch.created_count = Certificate.objects.filter(batch=batch).count()
        more = created == chunk
        if not more:
            batch.finished_at = timezone.now()
        batch.save(update_fields=["created_count", "finished_at"])
    return more


def _queue_or_run(task, object_id: int) -> None:
    try:
        task.delay(object_id)
    except Exception:
        logger.warning("could not queue %s(%s); the sweep will retry", task.name, object_id, exc_info=True)


def certificate_archive_create(*, cohort: Cohort, course: CoursePage, requested_by) -> CertificateArchive:
    """Record a ZIP request for a cohort's PDFs and queue its build after commit."""
    from .tasks import build_archive

    with transaction.atomic():
        archive = CertificateArchive.objects.create(cohort=cohort, course=course, requested_by=requested_by)
        transaction.on_commit(lambda: _queue_or_run(build_archive, archive.pk))
    return archive


def certificate_archive_build(*, archive_id: int) -> bool:
    """Write the ZIP of the cohort's downloadable PDFs to storage and mark it ready; idempotent."""
    import tempfile
    import zipfile

    from django.core.files import File
    from django.core.files.storage import default_storage

    archive = CertificateArchive.objects.select_related("cohort", "course").filter(pk=archive_id).first()
    if archive is None or archive.state != CertificateArchive.State.PENDING:
        return False
    certificates = (
        Certificate.objects.filter(course=archive.course, user__cohort_memberships__cohort=archive.cohort)
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
        saved = default_storage.save(f"certificates/zip/cohorte-{archive.cohort_id}-curso-{archive.course_id}-"
                                     f"{secrets.token_hex(6)}.zip", File(handle))
    with transaction.atomic():
        current = CertificateArchive.objects.select_for_update().get(pk=archive_id)
        if current.state != CertificateArchive.State.PENDING:
            _delete_quietly(saved)
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
        state=CertificateArchive.State.FAILED, failure_reason=reason[:2000], finished_at=timezone.now()
    )


# --- sweeping ----------------------------------------------------------------------------------


def certificates_sweep(*, older_than_seconds: int | None = None, limit: int = 500) -> int:
    """Queue again the pending certificates whose render did not finish in time, and e-mails not sent.

    Pending rows never queued (broker down at commit) or queued longer ago than the threshold
    (a worker died, a message was lost) are queued again; the render service is idempotent, so
    a duplicate is harmless. Returns the number of renders queued.
    """
    from django.db.models import Q

    seconds = older_than_seconds if older_than_seconds is not None else getattr(
        settings, "CERTIFICATES_SWEEP_AFTER_SECONDS", 300
    )
    cutoff = timezone.now() - timedelta(seconds=seconds)
    stale = (
        Certificate.objects.filter(state=Certificate.State.PENDING)
        .filter(Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True, created_at__lt=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = sum(certificate_queue_render(certificate_id=pk) for pk in list(stale))
    # An e-mail that still fails a day later is left for a manager (the desk shows it unsent).
    unsent = Certificate.objects.filter(
        state=Certificate.State.READY, emailed_at__isnull=True, rendered_at__lt=cutoff,
        rendered_at__gt=timezone.now() - timedelta(days=1),
    ).values_list("pk", flat=True)[:limit]
    for pk in list(unsent):
        _queue_email(pk)
    from .tasks import build_archive, issue_batch

    for batch_id in CertificateBatch.objects.filter(finished_at__isnull=True, created_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:limit]:
        _queue_or_run(issue_batch, batch_id)
    for archive_id in CertificateArchive.objects.filter(
        state=CertificateArchive.State.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:limit]:
        _queue_or_run(build_archive, archive_id)
    if queued:
        logger.info("sweep queued %s pending certificates", queued)
    return queued


# --- permissions -------------------------------------------------------------------------------


def permissions_ensure() -> None:
    """Editors edit certificate templates; managers may view them (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    from lms.models import ROLE_GROUP_NAMES, Role

    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="certificates")}
    if not perms:
        return
    grants = {
        Role.EDITOR: ["add_certificatetemplate", "change_certificatetemplate", "delete_certificatetemplate",
                      "view_certificatetemplate"],
        Role.MANAGER: ["view_certificatetemplate"],
    }
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.add(*[perms[c] for c in codenames if c in perms])
