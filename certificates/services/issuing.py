"""Issuing: the certificate row, its template and queuing its render after commit."""

import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from lms.models import Cohort, User

from ..codes import generate_code
from ..models import Certificate, CertificateBatch, CertificateTemplate

logger = logging.getLogger(__name__)

# Renders queued together as one task (a bulk issue): one message, one read of the rows and one
# e-mail connection for the group, instead of one of each per certificate.
RENDER_BATCH = 8


def template_for(course: CoursePage) -> CertificateTemplate | None:
    """The template that names the course, else the default template, else None (built-in
    design)."""
    published = CertificateTemplate.objects.filter(live=True)
    return (
        published.filter(courses=course).order_by("-updated_at").first()
        or published.filter(is_default=True).order_by("-updated_at").first()
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _certificate_fields(
    *,
    user: User,
    course: CoursePage,
    cohort: Cohort | None,
    completed_on: date,
    batch: CertificateBatch | None,
    template: CertificateTemplate | None,
) -> dict:
    issued_on = timezone.localdate()
    return {
        "user": user,
        "course": course,
        "cohort": cohort,
        "batch": batch,
        "learner_name": user.full_name or user.email,
        "course_title": course.title,
        "hours": course.hours,
        "completed_on": completed_on,
        "issued_on": issued_on,
        "expires_on": (
            add_months(issued_on, course.certificate_validity_months)
            if course.certificate_validity_months
            else None
        ),
        "template": template,
        "template_revision": template.live_revision if template else None,
    }


def _new_certificate(
    *,
    user: User,
    course: CoursePage,
    cohort: Cohort | None,
    completed_on: date,
    batch: CertificateBatch | None = None,
) -> Certificate:
    fields = _certificate_fields(
        user=user,
        course=course,
        cohort=cohort,
        completed_on=completed_on,
        batch=batch,
        template=template_for(course),
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(code=generate_code(), **fields)
        except IntegrityError:
            existing = Certificate.objects.filter(user=user, course=course).first()
            if existing:
                return existing
            # A code collision (one in ~10^14): draw again.
    raise RuntimeError("Could not draw a unique verification code")


@transaction.atomic
def certificate_issue(
    *,
    user: User,
    course: CoursePage,
    cohort: Cohort | None = None,
    completed_at: datetime | None = None,
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
    certificate = _new_certificate(
        user=user, course=course, cohort=cohort, completed_on=completed_on, batch=batch
    )
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
    return certificate_queue_renders(certificate_ids=[certificate_id]) == 1


def certificate_queue_renders(*, certificate_ids: list[int]) -> int:
    """Queue the renders of several certificates now, RENDER_BATCH to a task, and record when;
    returns how many were queued. What the broker refused is logged and left to the sweep."""
    from ..tasks import render_certificate, render_certificates

    if not certificate_ids:
        return 0
    Certificate.objects.filter(pk__in=certificate_ids, state=Certificate.State.PENDING).update(
        queued_at=timezone.now()
    )
    queued = 0
    for start in range(0, len(certificate_ids), RENDER_BATCH):
        group = certificate_ids[start : start + RENDER_BATCH]
        try:
            if len(group) == 1:
                render_certificate.delay(group[0])
            else:
                render_certificates.delay(group)
        except Exception:
            logger.warning(
                "could not queue render of certificates %s; the sweep will retry",
                group,
                exc_info=True,
            )
            Certificate.objects.filter(pk__in=group, state=Certificate.State.PENDING).update(
                queued_at=None
            )
            continue
        queued += len(group)
    return queued


def certificate_issue_missing(
    *,
    course: CoursePage,
    cohort: Cohort | None = None,
    batch: CertificateBatch | None = None,
    chunk: int = 200,
    limit: int | None = None,
) -> int:
    """Issue certificates for every completed enrolment of the course that has none yet.

    Idempotent. Optionally limited to a cohort's members. Each chunk of learners is its own
    transaction with one insert, so issuing a thousand certificates never holds one long
    transaction nor costs a thousand round trips; their renders are queued after each commit,
    RENDER_BATCH to a task. Returns the number created.
    """
    enrolments = Enrolment.objects.filter(course=course, completed_at__isnull=False).exclude(
        user__certificates__course=course
    )
    if cohort is not None:
        enrolments = enrolments.filter(user__cohort_memberships__cohort=cohort)
    ids = list(enrolments.order_by("pk").values_list("pk", flat=True).distinct()[:limit])
    template = template_for(course) if ids else None
    created = 0
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            created += _issue_chunk(
                Enrolment.objects.filter(pk__in=ids[start : start + chunk])
                .exclude(user__certificates__course=course)
                .select_related("user")
                .order_by("pk"),
                course=course,
                cohort=cohort,
                batch=batch,
                template=template,
            )
    return created


def _issue_chunk(
    enrolments: Iterable[Enrolment],
    *,
    course: CoursePage,
    cohort: Cohort | None,
    batch: CertificateBatch | None,
    template: CertificateTemplate | None,
) -> int:
    """One insert for a chunk of enrolments. A learner whose certificate another process issued
    meanwhile is skipped by the (user, course) constraint; in the one-in-10^14 case of a code
    drawn twice, that learner goes through `certificate_issue`, which draws again."""
    rows = [
        Certificate(
            code=generate_code(),
            **_certificate_fields(
                user=enrolment.user,
                course=course,
                cohort=cohort or enrolment.cohort,
                completed_on=timezone.localdate(enrolment.completed_at),
                batch=batch,
                template=template,
            ),
        )
        for enrolment in enrolments
    ]
    Certificate.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Certificate.objects.filter(code__in=[row.code for row in rows], course=course)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        logger.info("certificates issued: %s for course=%s", len(ids), course.pk)
        transaction.on_commit(lambda: certificate_queue_renders(certificate_ids=ids))
    missed = (
        [
            row
            for row in rows
            if not Certificate.objects.filter(user_id=row.user_id, course=course).exists()
        ]
        if len(ids) < len(rows)
        else []
    )
    for row in missed:
        certificate_issue(user=row.user, course=course, cohort=row.cohort, batch=batch)
    return len(ids) + len(missed)


def permissions_ensure() -> None:
    """Editors edit and publish certificate templates; managers may view them (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    from lms.models import ROLE_GROUP_NAMES, Role

    perms = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label="certificates")
    }
    if not perms:
        return
    grants = {
        Role.EDITOR: [
            "add_certificatetemplate",
            "change_certificatetemplate",
            "delete_certificatetemplate",
            # Editing saves drafts; before drafts existed every save changed the live design.
            "publish_certificatetemplate",
            "view_certificatetemplate",
        ],
        Role.MANAGER: ["view_certificatetemplate"],
    }
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.add(*[perms[c] for c in codenames if c in perms])
