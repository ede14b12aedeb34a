"""Writes for people, organisations and cohorts."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import ROLE_GROUP_NAMES, Cohort, CohortMembership, Organisation, User


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    organisation: Organisation | None = None,
    preferred_language: str = "es",
    roles: tuple[str, ...] = ("learner",),
    **extra: object,
) -> User:
    """Create a user with the given roles. Not idempotent: the e-mail must be new."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name.strip(),
        organisation=organisation,
        preferred_language=preferred_language,
        **extra,
    )
    user_set_roles(user=user, roles=roles)
    return user


def user_set_roles(*, user: User, roles: tuple[str, ...] | list[str]) -> None:
    """Add the user to the role groups named (idempotent); editors also get admin access."""
    groups = [Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])[0] for role in roles]
    user.groups.add(*groups)
    user.__dict__.pop("grants", None)  # User.grants is read again on next use
    if any(role in ("editor", "manager", "trainer") for role in roles) and not user.is_staff:
        user.is_staff = "editor" in roles or "manager" in roles
        if user.is_staff:
            user.save(update_fields=["is_staff"])


@transaction.atomic
def cohort_add_member(*, cohort: Cohort, user: User) -> CohortMembership:
    """Put a learner in a cohort (idempotent); `cohort_member_added` lets courses enrol them."""
    membership, _ = CohortMembership.objects.get_or_create(cohort=cohort, user=user)
    return membership


def user_reset_calendar_token(*, user: User) -> str:
    """Give the user a new calendar-feed token; the old feed URL stops working."""
    from .models import new_feed_token

    user.calendar_token = new_feed_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


MANAGER_PERMISSIONS = [
    "add_cohort",
    "change_cohort",
    "view_cohort",
    "delete_cohort",
    "add_organisation",
    "change_organisation",
    "view_organisation",
]
EDITOR_PERMISSIONS = ["add_organisation", "change_organisation", "view_organisation"]


def roles_ensure() -> None:
    """Create the role groups and give them their permissions (idempotent; runs after migrate).

    Higher apps add their own permissions to these groups in their own post-migrate handlers.
    """
    groups = {
        role: Group.objects.get_or_create(name=name)[0] for role, name in ROLE_GROUP_NAMES.items()
    }
    admin_access = list(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    groups["editor"].permissions.add(*admin_access)
    groups["manager"].permissions.add(*admin_access)
    groups["manager"].permissions.add(
        *Permission.objects.filter(content_type__app_label="lms", codename__in=MANAGER_PERMISSIONS)
    )
    groups["editor"].permissions.add(
        *Permission.objects.filter(content_type__app_label="lms", codename__in=EDITOR_PERMISSIONS)
    )
    editor_permissions_ensure()


EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
    "wagtailmedia": ["add_media", "change_media"],
}


def editor_permissions_ensure() -> None:
    """Let editors write the whole page tree, images, documents and media (idempotent)."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    editor = Group.objects.get(name=ROLE_GROUP_NAMES["editor"])
    root = Page.get_first_root_node()
    if root is not None:
        for perm in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=editor, page=root, permission=perm)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codenames in EDITOR_COLLECTION_PERMISSIONS.items():
            for perm in Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=editor, collection=collection, permission=perm
                )
