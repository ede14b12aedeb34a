"""Receivers: a completed course issues its certificate; editors get the template permissions."""

import logging

from django.db.models.signals import post_migrate

from courses.signals import course_completed

logger = logging.getLogger(__name__)


def issue_on_completion(sender, enrolment, user, course, **kwargs):
    """Create the certificate row in the completing transaction; rendering is queued on commit."""
    from .services import certificate_issue

    certificate_issue(user=user, course=course, cohort=enrolment.cohort, completed_at=enrolment.completed_at)


def grant_permissions(sender, **kwargs):
    from .services import permissions_ensure

    permissions_ensure()


def connect():
    course_completed.connect(issue_on_completion, dispatch_uid="certificates_issue_on_completion")
    post_migrate.connect(grant_permissions, dispatch_uid="certificates_grant_permissions")
