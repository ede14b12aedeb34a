"""E-mails of the community: replies, mentions, digests and hidden-post notices, each exactly once.

A message is claimed by inserting its `MessageSent` row (unique per recipient, kind and key)
before sending and stamped after; a retried or duplicated task finds the claim and sends
nothing. A failed send removes the claim so the retry can send it; a claim left unsent by a
crash (the process died between claim and send) is taken over once its lease has passed.

Replies, mentions and digests carry the platform's one-click unsubscribe (privacy.mail: the
List-Unsubscribe and List-Unsubscribe-Post headers of RFC 8058 and a link that needs no login);
the person's choice stays in their NotificationPreference. A hidden-post notice is a moderation
message and cannot be unsubscribed.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lms.models import User
from privacy.mail import KIND_HEADER, unsubscribe_headers, unsubscribe_url

from .models import MessageSent, NotificationPreference, Post
from .selectors import digest_items, space_readers
from .text import mention_handle, mentions, plain_text

logger = logging.getLogger(__name__)

DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# The platform-wide kind (privacy's log and unsubscribe links) of each community message.
PLATFORM_KINDS = {
    MessageSent.Kind.REPLY: "community_reply",
    MessageSent.Kind.MENTION: "community_mention",
    MessageSent.Kind.DIGEST: "community_digest",
    MessageSent.Kind.HIDDEN: "community_hidden",
}
UNSUBSCRIBABLE = {MessageSent.Kind.REPLY, MessageSent.Kind.MENTION, MessageSent.Kind.DIGEST}


def preference_of(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


def _wants_mentions(user) -> bool:
    """Read from the row fetched with the person (select_related): no query per person."""
    preference = getattr(user, "community_preference", None)  # None: no row, the defaults
    return preference.mentions if preference is not None else NotificationPreference().mentions


class ClaimHeld(Exception):
    """Another task claimed this message and has not sent it yet; ask again in `retry_in` s."""

    def __init__(self, retry_in: int):
        super().__init__(retry_in)
        self.retry_in = retry_in


def claim_seconds() -> int:
    """How long a claim protects an unsent message; longer than a task may run
    (CELERY_TASK_TIME_LIMIT), so only a claim whose process died is ever taken over."""
    return int(getattr(settings, "COMMUNITY_MESSAGE_CLAIM_SECONDS", 600))


def _claim(recipient: User, kind: str, key: str) -> MessageSent | None:
    """The claim on one message for this task, or None when it was sent (ClaimHeld when another
    live claim holds it). A claim older than its lease and never stamped is taken over: one
    conditional UPDATE, so of two tasks that find it stale only one gets it."""
    try:
        with transaction.atomic():
            return MessageSent.objects.create(recipient=recipient, kind=kind, key=key)
    except IntegrityError:
        pass
    now = timezone.now()
    mine = MessageSent.objects.filter(recipient=recipient, kind=kind, key=key, sent_at__isnull=True)
    if mine.filter(claimed_at__lt=now - timedelta(seconds=claim_seconds())).update(claimed_at=now):
        logger.warning("Taking over an unsent %s message %s for user %s", kind, key, recipient.pk)
        return mine.get()
    held = mine.values_list("claimed_at", flat=True).first()
    if held is None:
        return None
    raise ClaimHeld(max(1, int(claim_seconds() - (now - held).total_seconds()) + 1))


def _send_once(recipient: User, kind: str, key: str, template: str, context: dict) -> bool:
    """Claim, send and stamp one message; False when it was sent before (ClaimHeld while
    another task is sending it)."""
    claim = _claim(recipient, kind, key)
    if claim is None:
        return False
    platform_kind = PLATFORM_KINDS[kind]
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            **context,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "preferences_url": settings.SITE_URL + reverse("community:preferences"),
        }
        if kind in UNSUBSCRIBABLE:
            headers = unsubscribe_headers(recipient, platform_kind)
            context["unsubscribe_url"] = unsubscribe_url(recipient, platform_kind, one_click=True)
        else:
            headers = {KIND_HEADER: platform_kind}
        subject = " ".join(
            render_to_string(f"community/emails/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"community/emails/{template}.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[recipient.email], headers=headers)
    try:
        message.send()
    except Exception:
        MessageSent.objects.filter(pk=claim.pk).delete()
        raise
    MessageSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True


def _author_label(post: Post) -> str:
    return "" if post.is_anonymous else post.author.full_name


def post_notify(*, post_id: int) -> int:
    """Tell the thread's author about a reply and the people mentioned in a post; idempotent.
    Returns the number of messages sent now."""
    post = (
        Post.objects.select_related("thread", "thread__space", "thread__author", "author")
        .filter(pk=post_id, hidden_at__isnull=True)
        .first()
    )
    if post is None:
        return 0
    thread, sent = post.thread, 0
    context = {
        "post": post,
        "thread": thread,
        "author_label": _author_label(post),
        "excerpt": plain_text(post.body)[:400],
        "thread_url": settings.SITE_URL
        + thread.get_absolute_url()
        + f"?ultima=1#mensaje-{post.pk}",
    }
    is_reply = (
        thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first() != post.pk
    )
    notified = {post.author_id}
    if is_reply and thread.author_id not in notified and thread.author.is_active:
        notified.add(thread.author_id)
        if preference_of(thread.author).replies:
            sent += _send_once(
                thread.author, MessageSent.Kind.REPLY, f"post:{post.pk}", "reply", context
            )
    handles = mentions(post.body)
    if handles:
        # Only the people who may read the space are candidates: one query, bounded by the space.
        readers = (
            space_readers(thread.space)
            .filter(full_name__gt="")
            .exclude(pk__in=notified)
            .select_related("community_preference")
        )
        for user in readers:
            if mention_handle(user.full_name) in handles and _wants_mentions(user):
                sent += _send_once(
                    user, MessageSent.Kind.MENTION, f"post:{post.pk}", "mention", context
                )
    return sent


def hidden_notify(*, post_id: int) -> bool:
    """Tell a hidden post's author why (once per hiding)."""
    post = (
        Post.objects.select_related("thread", "author")
        .filter(pk=post_id, hidden_at__isnull=False)
        .first()
    )
    if post is None or not post.author.is_active:
        return False
    context = {
        "post": post,
        "thread": post.thread,
        "reason": post.hidden_reason,
        "excerpt": plain_text(post.body)[:400],
        "thread_url": settings.SITE_URL + post.thread.get_absolute_url(),
    }
    key = f"post:{post.pk}:{int(post.hidden_at.timestamp())}"
    return _send_once(post.author, MessageSent.Kind.HIDDEN, key, "hidden", context)


def digest_period_key(period: str, now: datetime) -> tuple[str, datetime, datetime]:
    """The key and bounds of the digest period that ended last (local days; ISO weeks)."""
    local = timezone.localtime(now)
    end = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "weekly":
        end -= timedelta(days=end.weekday())
        year, week, _day = (end - timedelta(days=1)).isocalendar()
        key = f"weekly:{year}-W{week:02d}"
    else:
        key = f"daily:{(end - timedelta(days=1)).date().isoformat()}"
    return key, end - DIGEST_PERIODS[period], end


def digest_send(*, user_id: int, period: str, now: datetime | None = None) -> bool:
    """Send one person the digest of the period that ended last, once; nothing when nothing is new."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or period not in DIGEST_PERIODS or preference_of(user).digest != period:
        return False
    key, since, until = digest_period_key(period, now or timezone.now())
    if MessageSent.objects.filter(
        recipient=user, kind=MessageSent.Kind.DIGEST, key=key, sent_at__isnull=False
    ).exists():
        return False
    threads = digest_items(user, since=since, until=until)
    if not threads:
        return False
    context = {"threads": threads, "period": period, "site_url": settings.SITE_URL}
    return _send_once(user, MessageSent.Kind.DIGEST, key, "digest", context)


def digest_recipients(period: str) -> list[int]:
    return list(
        NotificationPreference.objects.filter(digest=period, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
