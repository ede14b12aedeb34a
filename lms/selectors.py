"""Reads that scope data to a person. Every permission rule about cohorts lives here."""

from django.db.models import QuerySet

from .models import ROLE_GROUP_NAMES, Cohort, Role, User


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    names = {g.name for g in user.groups.all()}
    roles = {role for role, name in ROLE_GROUP_NAMES.items() if name in names}
    if user.is_superuser:
        roles |= {Role.TRAINER, Role.MANAGER, Role.EDITOR}
    return roles


def managed_programme_ids(user) -> list[int]:
    """Ids of the programme pages this user manages (every programme for a superuser)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        from wagtail.models import Page

        return list(Cohort.objects.values_list("programme_id", flat=True).distinct()) + list(
            Page.objects.filter(programme_managers__isnull=False).values_list("id", flat=True)
        )
    return list(user.managed_programmes.values_list("programme_id", flat=True))


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Cohorts a user may monitor: their own as trainer, every cohort of a programme they manage.

    A learner sees none here (their own memberships are `cohorts_of_member`).
    """
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    from django.db.models import Q

    return Cohort.objects.filter(
        Q(trainers=user) | Q(programme__programme_managers__user=user)
    ).distinct()


def cohorts_of_member(user) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(memberships__user=user)


def learners_visible_to(user) -> QuerySet[User]:
    """Learners whose progress a user may see: members of the cohorts visible to them."""
    return User.objects.filter(cohort_memberships__cohort__in=cohorts_visible_to(user)).distinct()
