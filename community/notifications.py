"""E-mails of the community: replies, mentions, digests and hidden-post notices, each exactly once.

A message is claimed by inserting its `MessageSent` row (unique per recipient, kind and key)
before sending and stamped after; a retried or duplicated task finds the claim and sends
nothing. A failed send removes the claim so the retry can send it. Every message carries a
one-click unsubscribe (a List-Unsubscribe header and a link that needs no login: one button, no
password).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lms.models import User

from .models import MessageSent, NotificationPreference, Post
from .selectors import digest_items, readers_of
from .text import mention_handle, mentions, plain_text

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "community.unsubscribe"
DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_payload(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a genuine token, or None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in ("reply", "mention", "digest", "all"):
        return None
    return int(data.get("u", 0)), data["k"]


def unsubscribe_url(user_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse(
        "community:unsubscribe", args=[unsubscribe_token(user_id, kind)]
    )


def preference_of(user: User) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


def _send_once(recipient: User, kind: str, key: str, template: str, context: dict) -> bool:
    """Claim, send and stamp one message; False when it was already claimed (sent or sending)."""
    try:
        with transaction.atomic():
            claim = MessageSent.objects.create(recipient=recipient, kind=kind, key=key)
    except IntegrityError:
        return False
    link = unsubscribe_url(recipient.pk, kind)
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            **context,
            "recipient": recipient,
            "unsubscribe_url": link,
            "site_url": settings.SITE_URL,
            "preferences_url": settings.SITE_URL + reverse("community:preferences"),
        }
        subject = " ".join(
            render_to_string(f"community/emails/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"community/emails/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject, body, to=[recipient.email], headers={"List-Unsubscribe": f"<{link}>"}
    )
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
        candidates = {
            u.pk: u
            for u in User.objects.filter(is_active=True, full_name__isnull=False)
            .exclude(pk__in=notified)
            .only("pk", "full_name", "email", "preferred_language")
            if mention_handle(u.full_name) in handles
        }
        for user_id in readers_of(thread.space, set(candidates)):
            user = candidates[user_id]
            if preference_of(user).mentions:
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
    """Send one person the digest of the period that ended last, once; nothing when nothing is
    new."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or period not in DIGEST_PERIODS or preference_of(user).digest != period:
        return False
    key, since, until = digest_period_key(period, now or timezone.now())
    if MessageSent.objects.filter(recipient=user, kind=MessageSent.Kind.DIGEST, key=key).exists():
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
