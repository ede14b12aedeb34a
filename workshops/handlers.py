"""Receivers: a published workshop fills seats an editor added from the waitlist."""

import logging

from django.db import transaction
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


def connect():
    from .models import WorkshopPage

    page_published.connect(workshop_published, sender=WorkshopPage, dispatch_uid="workshops_page_published")
