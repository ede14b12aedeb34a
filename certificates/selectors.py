"""Reads scoped to a person. The manager rule (programmes they manage) is written here once."""

from django.db.models import Count, Q, QuerySet

from courses.models import CoursePage
from lms.models import AnyUser, Cohort, Role, User
from lms.selectors import managed_programme_ids, user_roles

from .models import Certificate, CertificateArchive, CertificateBatch


def certificates_for(user_ids: list[int], course: CoursePage) -> dict[int, Certificate]:
    """User id → that learner's certificate for the course (one query; missing ids absent)."""
    return {
        c.user_id: c for c in Certificate.objects.filter(course=course, user_id__in=list(user_ids))
    }


def learner_certificates(user: AnyUser) -> QuerySet[Certificate]:
    if not user.is_authenticated:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(user=user)
        .select_related("course")
        .order_by("-issued_on", "course_title")
    )


def learner_certificate(user: User, code: str) -> Certificate | None:
    """The user's own certificate with this code; None for anyone else's."""
    return learner_certificates(user).filter(code=code).first()


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.filter(code=code)
        .only(
            "code",
            "learner_name",
            "course_title",
            "hours",
            "issued_on",
            "completed_on",
            "expires_on",
            "state",
            "pdf",
        )
        .first()
    )


def is_certificate_manager(user: AnyUser) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.MANAGER in user_roles(user))


def managed_courses(user: User) -> QuerySet[CoursePage]:
    """Courses under the programmes the user manages."""
    if not is_certificate_manager(user):
        return CoursePage.objects.none()
    programme_ids = managed_programme_ids(user)
    if user.is_superuser:
        return CoursePage.objects.all().order_by("path")
    if not programme_ids:
        return CoursePage.objects.none()
    from wagtail.models import Page

    paths = Page.objects.filter(pk__in=programme_ids).values_list("path", flat=True)
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return CoursePage.objects.filter(query).order_by("path")


def managed_course(user: User, course_id: int) -> CoursePage | None:
    return managed_courses(user).filter(pk=course_id).first()


def managed_cohorts(user: User, course: CoursePage) -> QuerySet[Cohort]:
    """Cohorts of the course's programme that study it (cohort course or member enrolments)."""
    if not is_certificate_manager(user):
        return Cohort.objects.none()
    programme = course.get_programme()
    cohorts = Cohort.objects.filter(
        Q(cohort_courses__course=course) | Q(enrolments__course=course)
    ).distinct()
    if not user.is_superuser:
        cohorts = cohorts.filter(programme_id__in=managed_programme_ids(user))
    if programme is not None:
        cohorts = cohorts.filter(programme_id=programme.pk)
    return cohorts.order_by("name")


def managed_certificates(
    user: User, course: CoursePage, cohort: Cohort | None = None, state: str = ""
) -> QuerySet[Certificate]:
    if managed_course(user, course.pk) is None:
        return Certificate.objects.none()
    certificates = Certificate.objects.filter(course=course).select_related("user", "cohort")
    if cohort is not None:
        certificates = certificates.filter(user__cohort_memberships__cohort=cohort).distinct()
    if state:
        certificates = certificates.filter(state=state)
    return certificates.order_by("learner_name")


def managed_certificate(user: User, certificate_id: int) -> Certificate | None:
    certificate = (
        Certificate.objects.select_related("user", "course", "cohort", "template")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or managed_course(user, certificate.course_id) is None:
        return None
    return certificate


def state_counts(certificates: QuerySet[Certificate]) -> dict[str, int]:
    counts = dict.fromkeys(Certificate.State.values, 0)
    for row in certificates.order_by().values("state").annotate(n=Count("pk", distinct=True)):
        counts[row["state"]] = row["n"]
    return counts


def managed_batch(user: User, batch_id: int) -> CertificateBatch | None:
    batch = CertificateBatch.objects.select_related("cohort", "course").filter(pk=batch_id).first()
    if batch is None or managed_course(user, batch.course_id) is None:
        return None
    return batch


def batch_progress(batch: CertificateBatch) -> dict[str, int]:
    counts = state_counts(Certificate.objects.filter(batch=batch))
    total = max(batch.eligible, batch.created_count)
    done = counts["ready"] + counts["failed"] + counts["revoked"]
    return {
        **counts,
        "total": total,
        "done": done,
        "percent": int(100 * done / total) if total else 100,
    }


def managed_archive(user: User, archive_id: int) -> CertificateArchive | None:
    archive = (
        CertificateArchive.objects.select_related("cohort", "course").filter(pk=archive_id).first()
    )
    if archive is None or managed_course(user, archive.course_id) is None:
        return None
    return archive


def archives_for(course: CoursePage, cohort: Cohort) -> QuerySet[CertificateArchive]:
    return CertificateArchive.objects.filter(course=course, cohort=cohort)[:5]
