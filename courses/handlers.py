"""Receivers: cohort membership enrols; tree changes refresh caches and recompute completion."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.caching import content_changed
from lms.signals import cohort_member_added

from .models import CoursePage

logger = logging.getLogger(__name__)


def enrol_new_member(sender, cohort, user, **kwargs):
    from .services import cohort_member_enrol

    cohort_member_enrol(cohort=cohort, user=user)


def _course_ids_of(page) -> set[int]:
    if page is None:
        return set()
    if isinstance(page, CoursePage):
        return {page.pk}
    return set(CoursePage.objects.ancestor_of(page).values_list("pk", flat=True))


def _queue_recompute(course_ids: set[int]) -> None:
    """After commit, re-apply the completion rules to the courses whose structure changed."""
    content_changed()
    transaction.on_commit(
        content_changed
    )  # a reader between the change and the commit cached the old tree

    def queue():
        from .tasks import recompute_course

        for course_id in sorted(course_ids):
            try:
                recompute_course.delay(course_id)
            except Exception:  # broker down: the next change or a manual recompute catches up
                logger.warning("could not queue recompute for course %s", course_id, exc_info=True)

    if course_ids:
        transaction.on_commit(queue)


def course_changed(sender, instance, **kwargs):
    """A page was published or unpublished: activities may have appeared, gone or changed."""
    _queue_recompute(_course_ids_of(instance))


def page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    _queue_recompute(
        _course_ids_of(parent_page_before)
        | _course_ids_of(parent_page_after)
        | _course_ids_of(instance)
    )


def page_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    # The ancestors of a deleted activity still exist (unless the course went with it).
    _queue_recompute(_course_ids_of(instance) if instance.path else set())


def content_saved(sender, instance, raw=False, created=False, **kwargs):
    """Anything cached from the tree or shown on cached pages may be out of date."""
    if raw:
        return
    if isinstance(instance, Page | PageViewRestriction | Site) or _is_cached_content(
        instance, created
    ):
        content_changed()
        # Another process may read the old rows until the commit and cache them: change again then.
        transaction.on_commit(content_changed)


def _is_cached_content(instance, created: bool) -> bool:
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale

    if isinstance(instance, BaseSiteSetting):
        # Settings rows are created with their defaults on first read: nothing shown changes.
        return not created
    return isinstance(instance, AbstractImage | AbstractDocument | Locale)


COHORT_COURSE_PERMISSIONS = [
    "add_cohortcourse",
    "change_cohortcourse",
    "delete_cohortcourse",
    "view_cohortcourse",
]


def grant_permissions(sender, **kwargs):
    """Managers may enrol cohorts in courses; editors may not (idempotent; runs after migrate)."""
    from django.contrib.auth.models import Group, Permission

    from lms.models import ROLE_GROUP_NAMES, Role

    permissions = list(
        Permission.objects.filter(
            content_type__app_label="courses", codename__in=COHORT_COURSE_PERMISSIONS
        )
    )
    if not permissions:
        return
    Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.MANAGER])[0].permissions.add(
        *permissions
    )
    Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.EDITOR])[0].permissions.remove(
        *permissions
    )


def connect():
    post_migrate.connect(grant_permissions, dispatch_uid="courses_grant_permissions")
    cohort_member_added.connect(enrol_new_member, dispatch_uid="courses_enrol_new_member")
    page_published.connect(course_changed, dispatch_uid="courses_page_published")
    page_unpublished.connect(course_changed, dispatch_uid="courses_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="courses_page_moved")
    post_delete.connect(page_deleted, dispatch_uid="courses_page_deleted")
    post_save.connect(content_saved, dispatch_uid="courses_content_saved")
    post_delete.connect(content_saved, dispatch_uid="courses_content_deleted")
