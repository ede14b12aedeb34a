"""Reads that scope data to a person. Every permission rule about people and cohorts lives here.

The permission model (README, "Who may see and change what") in one place:
- learner data (progress, attempts, attendance, registrations, certificates, survey counts) is
  seen by trainers for the learners of *their own* cohorts, by programme managers for every
  cohort of the programmes they manage, and by superusers; never by an editor as editor;
- the Wagtail admin lets a programme manager work only with the cohorts, trainers, members and
  courses of their own programmes (`cohorts_administered_by` and the `*_choices` below).
"""

from django.db.models import Q, QuerySet
from wagtail.models import Page, Site

from lms.models import AnyUser

from .models import ROLE_GROUP_NAMES, Cohort, Role, User

LEARNER_DATA_ROLES = {Role.TRAINER, Role.MANAGER}


def user_roles(user: AnyUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    names = user.grants.group_names
    roles = {role for role, name in ROLE_GROUP_NAMES.items() if name in names}
    if user.is_superuser:
        roles |= {Role.TRAINER, Role.MANAGER, Role.EDITOR}
    return roles


def may_see_learner_data(user: User) -> bool:
    """Trainers, programme managers and superusers. An editor's role alone gives no learner data."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or bool(user_roles(user) & LEARNER_DATA_ROLES)
    )


def managed_programme_ids(user: AnyUser) -> list[int]:
    """Ids of the programme pages this user manages (every programme for a superuser)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        from wagtail.models import Page

        return list(Cohort.objects.values_list("programme_id", flat=True).distinct()) + list(
            Page.objects.filter(programme_managers__isnull=False).values_list("id", flat=True)
        )
    return sorted(user.grants.programme_ids)


def cohorts_visible_to(user: AnyUser) -> QuerySet[Cohort]:
    """Cohorts a user may monitor: their own as trainer, every cohort of a programme they manage.

    Being named a cohort's trainer or a programme's manager is the grant; a learner sees none here
    (their own memberships are `cohorts_of_member`), nor does an editor who is neither.
    """
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(
        Q(trainers=user) | Q(programme__programme_managers__user=user)
    ).distinct()


def cohorts_of_member(user: AnyUser) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(memberships__user=user)


def learners_visible_to(user: User) -> QuerySet[User]:
    """Learners whose progress a user may see: members of the cohorts visible to them."""
    return User.objects.filter(cohort_memberships__cohort__in=cohorts_visible_to(user)).distinct()


# ---------------------------------------------------------------- the Wagtail admin


def programmes_administered_by(user: AnyUser) -> QuerySet[Page]:
    """Programme pages whose cohorts the user may create and change in the admin."""
    from wagtail.models import Page

    if not user.is_authenticated:
        return Page.objects.none()
    if user.is_superuser:
        from courses.models import ProgrammePage

        return Page.objects.filter(pk__in=ProgrammePage.objects.values("pk"))
    return Page.objects.filter(pk__in=managed_programme_ids(user))


def cohorts_administered_by(user: AnyUser) -> QuerySet[Cohort]:
    """Cohorts a user may open, change or delete in the admin: those of the programmes they
    manage."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(programme_id__in=managed_programme_ids(user))


def trainer_choices(user: User) -> QuerySet[User]:
    """People a programme manager may name as a cohort's trainers: holders of the trainer role."""
    if not cohorts_administered_by(user).exists() and not programmes_administered_by(user).exists():
        return User.objects.none()
    return User.objects.filter(
        groups__name=ROLE_GROUP_NAMES[Role.TRAINER], is_active=True
    ).distinct()


def member_choices(user: User) -> QuerySet[User]:
    """Learners a programme manager may put in a cohort: those of their own programmes' cohorts and
    those in no cohort yet (new accounts). A learner of another programme only is not offered."""
    if not programmes_administered_by(user).exists():
        return User.objects.none()
    if user.is_superuser:
        return User.objects.filter(is_active=True)
    staff = [ROLE_GROUP_NAMES[r] for r in (Role.TRAINER, Role.MANAGER, Role.EDITOR)]
    return (
        User.objects.filter(is_active=True, is_superuser=False)
        .exclude(groups__name__in=staff)
        .filter(
            Q(cohort_memberships__isnull=True) | Q(pk__in=learners_visible_to(user).values("pk"))
        )
        .distinct()
    )


def live_translation(site: Site, path: str, *, from_language: str, to_language: str) -> Page | None:
    """The live translation into `to_language` of the page at `path` (relative to the site's
    root) in the `from_language` tree, or None."""
    roots = site.root_page.get_translations(inclusive=True).filter(
        locale__language_code=from_language
    )
    page = Page.objects.filter(
        url_path__in=[f"{root}{path}" for root in roots.values_list("url_path", flat=True)]
    ).first()
    if page is None:
        return None
    return (
        page.get_translations(inclusive=True)
        .live()
        .filter(locale__language_code=to_language)
        .first()
    )
