"""Issuing: the certificate row, its template and queuing its render after commit."""

import logging
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from lms.models import Cohort

from ..codes import generate_code
from ..models import Certificate, CertificateBatch, CertificateTemplate

logger = logging.getLogger(__name__)


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
    from ..tasks import render_certificate

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
