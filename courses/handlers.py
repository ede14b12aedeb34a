"""Receivers: cohort membership enrols; page changes refresh cached structures and recompute."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.signals import cohort_member_added

from .models import CoursePage
from .selectors import structure_cache_key

logger = logging.getLogger(__name__)


def enrol_new_member(sender, cohort, user, **kwargs):
    from .services import cohort_member_enrol

    cohort_member_enrol(cohort=cohort, user=user)


def course_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    course = instance if isinstance(instance, CoursePage) else CoursePage.objects.ancestor_of(instance).first()
    if course is None:
        return
    cache.delete(structure_cache_key(course.pk))

    def queue():
        from .tasks import recompute_course

        try:
            recompute_course.delay(course.pk)
        except Exception:  # broker down: the next change or a manual recompute catches up
            logger.warning("could not queue recompute for course %s", course.pk, exc_info=True)

    transaction.on_commit(queue)


def forget_all_structures(sender=None, instance=None, **kwargs):
    """A moved or deleted page may change any course's structure: drop every cached one."""
    from wagtail.models import Page

    if instance is not None and not isinstance(instance, Page):
        return
    cache.delete_many([structure_cache_key(pk) for pk in CoursePage.objects.values_list("pk", flat=True)])


def connect():
    cohort_member_added.connect(enrol_new_member, dispatch_uid="courses_enrol_new_member")
    page_published.connect(course_changed, dispatch_uid="courses_page_published")
    page_unpublished.connect(course_changed, dispatch_uid="courses_page_unpublished")
    post_page_move.connect(forget_all_structures, dispatch_uid="courses_page_moved")
    post_delete.connect(forget_all_structures, dispatch_uid="courses_page_deleted")
