"""The periodic sweep: the pending row, not the queue, is the source of truth."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Certificate, CertificateArchive, CertificateBatch
from .actions import queue_quietly
from .issuing import certificate_queue_renders
from .mail import EMAIL_CLAIM_SECONDS
from .pdf import certificate_queue_email

logger = logging.getLogger(__name__)


def certificates_sweep(*, older_than_seconds: int | None = None, limit: int = 500) -> int:
    """Queue again the pending certificates whose render did not finish in time, and e-mails not
    sent.

    Pending rows never queued (broker down at commit) or queued longer ago than the threshold
    (a worker died, a message was lost) are queued again; the render service is idempotent, so
    a duplicate is harmless. Returns the number of renders queued.
    """
    seconds = (
        older_than_seconds
        if older_than_seconds is not None
        else settings.CERTIFICATES_SWEEP_AFTER_SECONDS
    )
    cutoff = timezone.now() - timedelta(seconds=seconds)
    stale = (
        Certificate.objects.filter(state=Certificate.State.PENDING)
        .filter(Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True, created_at__lt=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = certificate_queue_renders(certificate_ids=list(stale))
    # E-mails never claimed, or claimed by a sender that died before marking them sent. One that
    # still fails a day later is left for a manager (the desk shows it unsent).
    abandoned = timezone.now() - timedelta(seconds=EMAIL_CLAIM_SECONDS)
    unsent = Certificate.objects.filter(
        Q(emailed_at__isnull=True) | Q(emailed_at__lt=abandoned),
        state=Certificate.State.READY,
        email_sent_at__isnull=True,
        rendered_at__lt=cutoff,
        rendered_at__gt=timezone.now() - timedelta(days=1),
    ).values_list("pk", flat=True)[:limit]
    for pk in list(unsent):
        certificate_queue_email(pk)
    from ..tasks import build_archive, issue_batch

    for batch_id in CertificateBatch.objects.filter(
        finished_at__isnull=True, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:limit]:
        queue_quietly(issue_batch, batch_id)
    for archive_id in CertificateArchive.objects.filter(
        state=CertificateArchive.State.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:limit]:
        queue_quietly(build_archive, archive_id)
    if queued:
        logger.info("sweep queued %s pending certificates", queued)
    return queued
