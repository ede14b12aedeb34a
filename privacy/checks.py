"""System check: existing accounts whose e-mails are one identity under lms.identity (case,
spaces, Unicode forms) are reported, so an administrator merges them before the constraint bites."""

from collections import defaultdict

from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.db import DatabaseError


@register("database")
def duplicate_login_identities(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from lms.identity import normalise_email
    from lms.models import User

    groups: dict[str, list[str]] = defaultdict(list)
    try:
        for pk, email in User.objects.values_list("pk", "email").iterator():
            groups[normalise_email(email)].append(f"{pk}")
    except DatabaseError:
        return []
    return [
        CheckWarning(
            f"Accounts {', '.join(ids)} share the login e-mail {email!r} once normalised.",
            hint=(
                "Merge or rename them: logins, lock-out and password reset treat them as one "
                "identity."
            ),
            id="privacy.W001",
        )
        for email, ids in groups.items()
        if len(ids) > 1
    ]
