"""Receivers: give the role groups their permissions on the question bank after migrate."""

from django.db.models.signals import post_migrate

EDITOR_CODENAMES = [
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("question", "questioncategory")
]


def grant_bank_permissions(sender, **kwargs):
    """Idempotent; runs after every app's migrations, since the groups may appear after ours."""
    from django.contrib.auth.models import Group, Permission

    from lms.models import ROLE_GROUP_NAMES

    perms = list(
        Permission.objects.filter(
            content_type__app_label="assessments", codename__in=EDITOR_CODENAMES
        )
    )
    if not perms:
        return
    editor, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES["editor"])
    editor.permissions.add(*perms)


def connect():
    post_migrate.connect(grant_bank_permissions, dispatch_uid="assessments_bank_permissions")
