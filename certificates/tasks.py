"""Celery tasks: thin wrappers that take ids and call one idempotent service each.

Late acknowledgement and reject-on-worker-lost (settings) put a task back on the queue when
its worker dies; the periodic sweep queues whatever is still pending after that.
"""

import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services
from .rendering import RenderError

logger = logging.getLogger(__name__)

# Lost connections, deadlocks, storage trouble: worth another try. Anything else is a bug or a
# bad design and is recorded on the certificate for a manager to see.
TRANSIENT = (
    services.TransientRenderError,
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)
MAX_RETRIES = 4


def _countdown(retries: int) -> int:
    base = getattr(settings, "CERTIFICATES_RETRY_BASE_SECONDS", 30)
    return min(base * 2**retries, 3600)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def render_certificate(self: Task, certificate_id: int) -> bool:
    """Render one certificate's PDF. Transient errors retry with backoff; others mark it failed."""
    try:
        return services.certificate_render(certificate_id=certificate_id)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            services.certificate_mark_failed(
                certificate_id=certificate_id,
                reason=f"{type(error).__name__}: {error} (after {self.request.retries} retries)",
            )
            return False
        logger.warning("certificate %s render failed, retrying: %s", certificate_id, error)
        raise self.retry(exc=error, countdown=_countdown(self.request.retries)) from error
    except Exception as error:
        _render_failed(certificate_id, error)
        return False


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_certificates(certificate_ids: list[int]) -> int:
    """Render a group of certificates queued together (a bulk issue), each as `render_certificate`
    would: one message and one e-mail connection for the group. A certificate that meets a
    transient error gets a `render_certificate` task of its own, which retries with backoff.
    Returns how many were rendered."""
    rendered = 0
    with services.mail_connection_shared() as mail_connection:
        for certificate in services.certificates_pending_in_order(certificate_ids=certificate_ids):
            certificate_id = certificate.pk
            try:
                rendered += services.certificate_render(
                    certificate_id=certificate_id,
                    certificate=certificate,
                    mail_connection=mail_connection,
                )
            except TRANSIENT as error:
                logger.warning(
                    "certificate %s render failed, retrying alone: %s", certificate_id, error
                )
                try:
                    render_certificate.apply_async((certificate_id,), countdown=_countdown(0))
                except Exception:
                    logger.warning(
                        "could not queue certificate %s again; the sweep will",
                        certificate_id,
                        exc_info=True,
                    )
            except Exception as error:
                _render_failed(certificate_id, error)
    return rendered


def _render_failed(certificate_id: int, error: Exception) -> None:
    """Anything but a transient error is a bad design or a bug: recorded for a manager to see."""
    if not isinstance(error, RenderError):
        logger.error("certificate %s render failed", certificate_id, exc_info=error)
    services.certificate_mark_failed(
        certificate_id=certificate_id,
        reason=str(error) if isinstance(error, RenderError) else f"{type(error).__name__}: {error}",
    )


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def email_certificate(self: Task, certificate_id: int) -> bool:
    """Tell the learner the certificate is ready (once per generation)."""
    try:
        return services.certificate_email(certificate_id=certificate_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.error("giving up e-mailing certificate %s: %s", certificate_id, error)
            return False
        raise self.retry(exc=error, countdown=_countdown(self.request.retries)) from error


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def email_revocation(self: Task, certificate_id: int) -> bool:
    """Tell the holder the certificate was revoked, with the reason (once per revocation)."""
    try:
        return services.certificate_email_revocation(certificate_id=certificate_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.error(
                "giving up e-mailing the revocation of certificate %s: %s", certificate_id, error
            )
            return False
        raise self.retry(exc=error, countdown=_countdown(self.request.retries)) from error


@shared_task(acks_late=True)
def issue_batch(batch_id: int) -> bool:
    """Issue one chunk of a cohort's certificates (one render task each), then queue the next
    chunk."""
    more = services.certificate_batch_run(batch_id=batch_id)
    if more:
        issue_batch.delay(batch_id)
    return more


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_archive(archive_id: int) -> bool:
    """Build the ZIP of a cohort's PDFs."""
    try:
        return services.certificate_archive_build(archive_id=archive_id)
    except Exception as error:
        logger.exception("archive %s failed", archive_id)
        services.certificate_archive_mark_failed(
            archive_id=archive_id, reason=f"{type(error).__name__}: {error}"
        )
        return False


@shared_task
def sweep_pending_certificates() -> int:
    """Queue again pending certificates, unsent e-mails, batches and archives left behind."""
    return services.certificates_sweep()


@shared_task
def remind_expiring_certificates() -> int:
    """E-mail learners whose certificate expires within 30 days."""
    return services.certificate_remind_expiring()
