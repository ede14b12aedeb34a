"""Writes for certificates: issue, render, e-mail, re-issue, revoke, retry, batches and archives.

Views, tasks, receivers and the demo seed all call these. The Certificate row is the source of
truth: a task only ever moves a row forward from the state it finds (a conditional update or a
row lock).
"""

from .actions import (
    certificate_archive_build,
    certificate_archive_create,
    certificate_archive_mark_failed,
    certificate_batch_create,
    certificate_batch_run,
    certificate_reissue,
    certificate_retry,
    certificate_revoke,
    certificates_rerender,
)
from .issuing import (
    add_months,
    certificate_issue,
    certificate_issue_missing,
    certificate_queue_render,
    certificate_queue_render_on_commit,
    certificate_queue_renders,
    permissions_ensure,
    template_for,
)
from .mail import certificate_email, certificate_remind_expiring, mail_connection_shared
from .pdf import (
    MAX_RENDER_ATTEMPTS,
    TransientRenderError,
    certificate_context,
    certificate_mark_failed,
    certificate_render,
    certificates_pending_in_order,
    template_sample_pdf,
)
from .sweep import certificates_sweep

__all__ = [
    "MAX_RENDER_ATTEMPTS",
    "TransientRenderError",
    "add_months",
    "certificate_archive_build",
    "certificate_archive_create",
    "certificate_archive_mark_failed",
    "certificate_batch_create",
    "certificate_batch_run",
    "certificate_context",
    "certificate_email",
    "certificate_issue",
    "certificate_issue_missing",
    "certificate_mark_failed",
    "certificate_queue_render",
    "certificate_queue_render_on_commit",
    "certificate_queue_renders",
    "certificate_reissue",
    "certificate_remind_expiring",
    "certificate_render",
    "certificate_retry",
    "certificate_revoke",
    "certificates_rerender",
    "certificates_pending_in_order",
    "certificates_sweep",
    "mail_connection_shared",
    "permissions_ensure",
    "template_for",
    "template_sample_pdf",
]
