"""Receivers: notifications queued after commit; a new cohort gets its space."""

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


def connect():
    from wagtail.signals import page_published

    from . import signals
    from .models import DiscussionPage

    page_published.connect(discussion_published, sender=DiscussionPage, dispatch_uid="community_discussion_published")

    signals.post_created.connect(post_created, dispatch_uid="community_post_created")
    signals.post_hidden.connect(post_hidden, dispatch_uid="community_post_hidden")
