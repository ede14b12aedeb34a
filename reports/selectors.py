"""Who may see which report. The rules come from `lms.selectors`, written once there:
a trainer sees their cohorts, a manager every cohort of their programme, a learner nothing."""

from django.db.models import QuerySet

from courses.models import CohortCourse, CoursePage, ProgrammePage
from lms.models import Cohort, Role, User
from lms.selectors import cohorts_visible_to, managed_programme_ids, user_roles

REPORT_ROLES = {Role.TRAINER, Role.MANAGER}


def can_see_reports(user: User) -> bool:
    """Trainers, programme managers and superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(user_roles(user) & REPORT_ROLES)


def report_cohorts(user: User) -> QuerySet[Cohort]:
    return cohorts_visible_to(user).select_related("programme").order_by("programme__path", "name")


def report_cohort(user: User, cohort_id: int) -> Cohort | None:
    return report_cohorts(user).filter(pk=cohort_id).first()


def report_programmes(user: User) -> QuerySet[ProgrammePage]:
    return ProgrammePage.objects.filter(pk__in=managed_programme_ids(user)).order_by("path")


def report_programme(user: User, programme_id: int) -> ProgrammePage | None:
    return report_programmes(user).filter(pk=programme_id).first()


def cohort_courses(cohort: Cohort) -> list[CoursePage]:
    return [
        link.course
        for link in CohortCourse.objects.filter(cohort=cohort)
        .select_related("course")
        .order_by("course__path")
    ]


def programme_courses(programme: ProgrammePage) -> list[CoursePage]:
    return list(CoursePage.objects.descendant_of(programme).order_by("path"))
