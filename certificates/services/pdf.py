"""Rendering a certificate to PDF, idempotently, and recording failures."""

import hashlib
import json
import logging
import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.images.models import AbstractImage

from lms.caching import content_cached

from .. import rendering
from ..credentials.services import context_with_credential
from ..models import Certificate, CertificateTemplate

logger = logging.getLogger(__name__)

# A certificate whose render started this many times without finishing is given up on: a
# poison input that kills the worker must not loop for ever.
MAX_RENDER_ATTEMPTS = 8


def _template_object(certificate: Certificate) -> CertificateTemplate | None:
    if certificate.template_revision_id:
        try:
            return certificate.template_revision.as_object()
        except Exception:  # a revision that no longer loads: fall back to the live template
            logger.warning(
                "template revision %s of certificate %s does not load",
                certificate.template_revision_id,
                certificate.pk,
                exc_info=True,
            )
    return certificate.template


def _image_path(image: AbstractImage | None) -> str:
    return image.file.name if image is not None and image.file else ""


def _design_name(certificate: Certificate) -> str | None:
    """The name under which the design of the certificate's template revision is kept, with a
    digest of the revision's content, as a revision row may be rewritten in place."""
    revision = certificate.template_revision if certificate.template_revision_id else None
    if revision is None:
        return None
    content = json.dumps(revision.content, sort_keys=True, default=str)
    return f"certificate-design:{revision.pk}:{hashlib.sha256(content.encode()).hexdigest()}"


def certificate_context(
    certificate: Certificate, template: CertificateTemplate | None = None
) -> rendering.CertificateContext:
    """What the PDF prints for this certificate, from its snapshot and its template revision.

    The design part (title, body, signatories, images) is kept per template revision and
    content version (lms.caching): a batch of a cohort's certificates shares one revision,
    and a new image file sets a new content version.
    """
    name = _design_name(certificate) if template is None else None
    if name is None:
        design = _design(template if template is not None else _template_object(certificate))
    else:
        design = content_cached(name, lambda: _design(_template_object(certificate)))
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
    return rendering.CertificateContext(**values, **design)


def _design(template: CertificateTemplate | None) -> dict:
    if template is None:
        return {
            "body": CertificateTemplate._meta.get_field("body").default,
            "title": CertificateTemplate._meta.get_field("title").default,
        }
    return {
        "title": template.title,
        "body": template.body,
        "language": template.language,
        "orientation": template.orientation,
        "signatories": tuple(
            rendering.Signature(name=s.name, role=s.role, image_path=_image_path(s.signature))
            for s in template.signatories.all()
        ),
        "logo_paths": tuple(
            p for p in (_image_path(template.logo_left), _image_path(template.logo_right)) if p
        ),
    }


def _format_hours(hours: Decimal) -> str:
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def template_sample_pdf(*, template: CertificateTemplate) -> bytes:
    """A sample certificate in the template's (possibly unsaved) design; changes nothing."""
    today = timezone.localdate()
    sample = Certificate(
        code="ABCDE23456",
        learner_name="María Ꞌuxmal Núñez Güemes",
        course_title="Curso de muestra",
        hours=20,
        completed_on=today,
        issued_on=today,
    )
    return rendering.render_certificate_pdf(certificate_context(sample, template))


class TransientRenderError(Exception):
    """Storage or database trouble that may pass: retry later."""


def certificates_pending_in_order(*, certificate_ids: list[int]) -> list[Certificate]:
    """Which of these certificates are still pending, read in one query for a group's renders,
    those never started first: when a group is delivered again after its worker died, the
    certificate that was rendering then (possibly what killed it) goes last, so it cannot hold
    the others back."""
    return list(
        Certificate.objects.filter(pk__in=certificate_ids, state=Certificate.State.PENDING)
        .select_related("template", "template_revision", "user")
        .order_by("attempts", "pk")
    )


def certificate_render(
    *,
    certificate_id: int,
    mail_connection: BaseEmailBackend | None = None,
    certificate: Certificate | None = None,
) -> bool:
    """Render a pending certificate to PDF, mark it ready and e-mail the learner; idempotent.

    Does nothing (returns False) unless the row is pending. The start is counted first (so an
    input that kills the worker is given up after MAX_RENDER_ATTEMPTS). The PDF is written under
    a fresh name, and the row switches to it only if it is still pending in the same generation,
    so a duplicate or retried task, or one redelivered after a worker died, leaves one ready
    certificate and one file. Each step is one conditional UPDATE, not a row lock held across a
    transaction: a busy worker spends its time rendering, not waiting on the database. The same
    UPDATE claims the ready e-mail, sent right after. `certificate`, when given, is the row as a
    group's render read it; a re-issue since then (a new generation) makes this call do nothing,
    as the re-issue queued its own render. Raises TransientRenderError for storage trouble (the
    task retries) and rendering.RenderError for a design that cannot render (the task marks the
    certificate failed).
    """
    pending = Certificate.objects.filter(pk=certificate_id, state=Certificate.State.PENDING)
    starting = pending.filter(attempts__lt=MAX_RENDER_ATTEMPTS)
    if certificate is not None:
        starting = starting.filter(generation=certificate.generation)
    outermost = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if outermost:  # never relax a caller's transaction
            _commit_without_waiting_for_disk()
        started = starting.update(attempts=F("attempts") + 1, render_started_at=timezone.now())
    if not started:
        _give_up_if_interrupted_too_often(certificate_id)
        return False
    if certificate is None:
        certificate = (
            Certificate.objects.select_related("template", "template_revision", "user")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or certificate.state != Certificate.State.PENDING:
            return False
    generation, old_name = certificate.generation, certificate.pdf.name

    pdf = rendering.render_certificate_pdf(
        context_with_credential(certificate, certificate_context(certificate))
    )
    name = f"certificates/pdf/{certificate.code}-{generation}-{secrets.token_hex(4)}.pdf"
    try:
        from django.core.files.storage import default_storage

        saved_name = default_storage.save(name, ContentFile(pdf))
    except OSError as error:
        raise TransientRenderError(str(error)) from error

    now = timezone.now()
    if not pending.filter(generation=generation).update(
        pdf=saved_name,
        state=Certificate.State.READY,
        rendered_at=now,
        failure_reason="",
        attempts=0,
        emailed_at=now,
    ):
        delete_file_quietly(saved_name)
        return False
    if old_name and old_name != saved_name:
        delete_file_quietly(old_name)
    certificate.pdf.name, certificate.state, certificate.rendered_at = (
        saved_name,
        Certificate.State.READY,
        now,
    )
    logger.info("certificate rendered: id=%s generation=%s", certificate_id, generation)
    _email_after_render(certificate, claimed_at=now, connection=mail_connection)
    return True


def _commit_without_waiting_for_disk() -> None:
    """The start of a render is bookkeeping: if PostgreSQL crashed before writing it to disk, the
    only loss is one interrupted attempt not counted. So its commit does not wait for the disk
    (`synchronous_commit = off` for this transaction only), and the worker renders instead of
    waiting; the ready mark, which learners and e-mails depend on, is committed durably."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _give_up_if_interrupted_too_often(certificate_id: int) -> None:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if (
            certificate is not None
            and certificate.state == Certificate.State.PENDING
            and certificate.attempts >= MAX_RENDER_ATTEMPTS
        ):
            _mark_failed(certificate, f"Gave up after {certificate.attempts} interrupted attempts.")


def delete_file_quietly(name: str) -> None:
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("could not delete %s", name, exc_info=True)


def _email_after_render(
    certificate: Certificate, *, claimed_at: datetime, connection: BaseEmailBackend | None = None
) -> None:
    """Send the ready e-mail right here, in the render's task: a second task per certificate
    would cost a round trip through the broker. If sending fails, the claim is released and the
    e-mail task takes over with its retries; the sweep re-queues what that misses."""
    from .mail import certificate_email_claimed

    try:
        certificate_email_claimed(
            certificate=certificate, claimed_at=claimed_at, connection=connection
        )
    except Exception:
        logger.warning(
            "e-mail of certificate %s failed; queued for retries", certificate.pk, exc_info=True
        )
        certificate_queue_email(certificate.pk)


def certificate_queue_email(certificate_id: int) -> None:
    from ..tasks import email_certificate

    try:
        email_certificate.delay(certificate_id)
    except Exception:
        logger.warning(
            "could not queue e-mail of certificate %s; the sweep will retry",
            certificate_id,
            exc_info=True,
        )


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
