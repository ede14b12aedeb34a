"""Receivers: notifications queued after commit; new programmes, courses, cohorts and discussion
activities get their spaces."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _queue(task, *args) -> None:
    def send():
        try:
            task.delay(*args)
        except Exception:
            logger.warning("could not queue %s%s", task.name, args, exc_info=True)

    transaction.on_commit(send)


def post_created(sender, post, **kwargs):
    from .tasks import notify_post

    _queue(notify_post, post.pk)


def post_hidden(sender, post, **kwargs):
    from .tasks import notify_hidden

    _queue(notify_hidden, post.pk)


def discussion_published(sender, instance, **kwargs):
    """A published discussion activity gets its space (idempotent)."""
    from .models import Space
    from .services import space_ensure

    space_ensure(kind=Space.Kind.ACTIVITY, page=instance.specific)


def programme_or_course_published(sender, instance, **kwargs):
    """A published programme gets its forum, a published course its space (idempotent)."""
    from courses.models import ProgrammePage

    from .models import Space
    from .services import space_ensure

    page = instance.specific
    kind = Space.Kind.PROGRAMME if isinstance(page, ProgrammePage) else Space.Kind.COURSE
    space_ensure(kind=kind, page=page)


def cohort_saved(sender, instance, created=False, raw=False, **kwargs):
    """A new cohort gets its private space."""
    if raw or not created:
        return
    from .models import Space
    from .services import space_ensure

    space_ensure(kind=Space.Kind.COHORT, cohort=instance)


EDITOR_CODENAMES = [
    f"{action}_{model}"
    for model in ("space", "theme", "organisationprofile")
    for action in ("add", "change", "delete", "view")
]


def grant_permissions(sender, **kwargs):
    """Editors manage discussion spaces (and whether they allow anonymous posts), library themes and
    directory profiles. Idempotent; runs after every app's migrations."""
    from django.contrib.auth.models import Group, Permission

    from lms.models import ROLE_GROUP_NAMES

    perms = list(
        Permission.objects.filter(
            content_type__app_label="community", codename__in=EDITOR_CODENAMES
        )
    )
    if perms:
        Group.objects.get_or_create(name=ROLE_GROUP_NAMES["editor"])[0].permissions.add(*perms)


def connect():
    from django.db.models.signals import post_migrate, post_save
    from wagtail.signals import page_published

    from courses.models import CoursePage, ProgrammePage
    from lms.models import Cohort

    from . import signals
    from .models import DiscussionPage

    page_published.connect(
        discussion_published, sender=DiscussionPage, dispatch_uid="community_discussion_published"
    )
    page_published.connect(
        programme_or_course_published,
        sender=ProgrammePage,
        dispatch_uid="community_programme_published",
    )
    page_published.connect(
        programme_or_course_published, sender=CoursePage, dispatch_uid="community_course_published"
    )
    post_save.connect(cohort_saved, sender=Cohort, dispatch_uid="community_cohort_saved")
    post_migrate.connect(grant_permissions, dispatch_uid="community_grant_permissions")

    signals.post_created.connect(post_created, dispatch_uid="community_post_created")
    signals.post_hidden.connect(post_hidden, dispatch_uid="community_post_hidden")
