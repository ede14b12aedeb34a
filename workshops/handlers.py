"""Receivers: added seats filled from the waitlist, changed sessions announced, removed files
deleted."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

logger = logging.getLogger(__name__)


def workshop_published(sender, instance, **kwargs):
    from .models import WorkshopPage

    if kwargs.get("raw") or not isinstance(instance, WorkshopPage):
        return
    page_id = instance.pk

    def queue():
        from .tasks import fill_sessions_from_waitlist

        try:
            fill_sessions_from_waitlist.delay(page_id)
        except Exception:
            logger.warning("could not queue waitlist fill for workshop %s", page_id, exc_info=True)

    transaction.on_commit(queue)


def session_saved(sender, instance, raw=False, **kwargs):
    """A session whose time or place changed: e-mail its registered people after commit."""
    if raw or not getattr(instance, "calendar_changed", False):
        return
    instance.calendar_changed = False
    session_id, sequence = instance.pk, instance.sequence

    def queue():
        from .tasks import notify_session_changed

        try:
            notify_session_changed.delay(session_id, sequence)
        except Exception:
            logger.warning(
                "could not queue change notice for session %s", session_id, exc_info=True
            )

    transaction.on_commit(queue)


def material_deleted(sender, instance, **kwargs):
    """The file goes with its row (also when a user is deleted), once the deletion is committed."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def enrolment_withdrawn(sender, enrolment, user, course, **kwargs):
    from .services import registrations_release_for_withdrawal

    registrations_release_for_withdrawal(user=user, course=course)


def connect():
    from courses.signals import enrolment_withdrawn as withdrawn

    from .models import SessionMaterial, WorkshopPage, WorkshopSession

    withdrawn.connect(enrolment_withdrawn, dispatch_uid="workshops_enrolment_withdrawn")
    page_published.connect(
        workshop_published, sender=WorkshopPage, dispatch_uid="workshops_page_published"
    )
    post_save.connect(session_saved, sender=WorkshopSession, dispatch_uid="workshops_session_saved")
    post_delete.connect(
        material_deleted, sender=SessionMaterial, dispatch_uid="workshops_material_deleted"
    )
