from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save

from .models import Cohort, CohortMembership
from .signals import cohort_member_added, cohort_member_removed


def remember_preferred_language(sender, request, user, **kwargs):
    request.session["preferred_language"] = user.preferred_language


def announce_member_added(sender, instance, created, raw=False, **kwargs):
    # Memberships are added by services and by the cohort editor in the admin alike.
    if created and not raw:
        cohort_member_added.send(sender=Cohort, cohort=instance.cohort, user=instance.user)


def announce_member_removed(sender, instance, **kwargs):
    cohort_member_removed.send(sender=Cohort, cohort=instance.cohort, user=instance.user)


def ensure_roles(sender, **kwargs):
    from .services import roles_ensure

    roles_ensure()


def connect():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from . import frontend_cache

    page_published.connect(
        frontend_cache.purge_listing_pages, dispatch_uid="lms_purge_listing_published"
    )
    page_unpublished.connect(
        frontend_cache.purge_listing_pages, dispatch_uid="lms_purge_listing_unpublished"
    )
    post_page_move.connect(frontend_cache.purge_moved_page, dispatch_uid="lms_purge_moved_page")
    post_migrate.connect(ensure_roles, dispatch_uid="lms_ensure_roles")
    user_logged_in.connect(remember_preferred_language, dispatch_uid="lms_preferred_language")
    post_save.connect(
        announce_member_added, sender=CohortMembership, dispatch_uid="lms_member_added"
    )
    post_delete.connect(
        announce_member_removed, sender=CohortMembership, dispatch_uid="lms_member_removed"
    )
