"""Receivers: a completed course issues its certificate; editors get the template permissions."""

import logging

from django.db.models.signals import post_migrate

from courses.signals import course_completed
from privacy.signals import email_confirmed as privacy_email_confirmed

logger = logging.getLogger(__name__)


def issue_on_completion(sender, enrolment, user, course, **kwargs):
    """Create the certificate row in the completing transaction; rendering is queued on commit.
    A self-registered address not yet confirmed gets it when the address is confirmed."""
    from privacy.selectors import email_confirmed

    from .services import certificate_issue

    if not email_confirmed(user):
        logger.info(
            "certificate waits for e-mail confirmation: user=%s course=%s", user.pk, course.pk
        )
        return
    certificate_issue(
        user=user, course=course, cohort=enrolment.cohort, completed_at=enrolment.completed_at
    )


def issue_on_email_confirmed(sender, user, **kwargs):
    """Certificates of courses completed before the address was confirmed (idempotent)."""
    from courses.models import Enrolment

    from .services import certificate_issue

    for enrolment in Enrolment.objects.filter(user=user, completed_at__isnull=False).select_related(
        "course"
    ):
        certificate_issue(
            user=user,
            course=enrolment.course,
            cohort=enrolment.cohort,
            completed_at=enrolment.completed_at,
        )


def grant_permissions(sender, **kwargs):
    from .services import permissions_ensure

    permissions_ensure()


def connect():
    course_completed.connect(issue_on_completion, dispatch_uid="certificates_issue_on_completion")
    privacy_email_confirmed.connect(
        issue_on_email_confirmed, dispatch_uid="certificates_issue_on_email_confirmed"
    )
    post_migrate.connect(grant_permissions, dispatch_uid="certificates_grant_permissions")
