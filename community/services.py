"""Writes for the community: posting, editing, reporting, moderating, spaces and preferences.

Views, tasks, the demo and the management commands all call these. Notifications are queued
after commit (`handlers`); a discussion activity is completed through `courses.services`.
"""

import logging
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.exceptions import ActivityLocked, NotEnrolled
from courses.services import activity_complete
from lms.models import Cohort

from . import signals
from .exceptions import CodeNotAccepted, CommunityError
from .models import (
    CodeAcceptance,
    NotificationPreference,
    OrganisationProfile,
    Post,
    Report,
    Space,
    Thread,
)
from .models.activity import DiscussionPage
from .ratelimit import allow_post
from .selectors import CODE_VERSION, has_accepted_code, participation, space_access
from .text import plain_text, sanitise
from .uploads import AttachmentRejected, check_attachment

logger = logging.getLogger(__name__)

EDIT_WINDOW = timedelta(minutes=30)
MAX_TITLE = 200


@transaction.atomic
def code_accept(*, user) -> CodeAcceptance:
    """Record that a person accepted the current code of participation (idempotent)."""
    acceptance, _created = CodeAcceptance.objects.get_or_create(user=user, version=CODE_VERSION)
    return acceptance


@transaction.atomic
def space_ensure(
    *,
    kind: str,
    page: Page | None = None,
    cohort: Cohort | None = None,
    title: str = "",
    allow_anonymous: bool | None = None,
) -> Space:
    """The space of a programme, course, cohort or discussion activity, created when missing."""
    if kind == Space.Kind.COHORT:
        lookup = {"kind": kind, "cohort": cohort}
        default_title = cohort.name
    else:
        lookup = {"kind": kind, "page": page, "cohort": None}
        default_title = page.title
    defaults = {"title": title or default_title}
    if allow_anonymous is not None:
        defaults["allow_anonymous"] = allow_anonymous
    space, _created = Space.objects.get_or_create(**lookup, defaults=defaults)
    return space


def _check_can_post(user, space: Space, *, thread: Thread | None = None):
    access = space_access(user, space)
    if not access.can_post:
        raise CommunityError(_("You cannot post in this space."))
    if not has_accepted_code(user):
        raise CodeNotAccepted(_("Please accept the code of participation before your first post."))
    if thread is not None and thread.locked and not access.can_moderate:
        raise CommunityError(_("This thread is closed to new replies."))
    if not allow_post(user.pk):
        raise CommunityError(_("You are posting very quickly. Please wait a minute and try again."))
    return access


def _clean_body(body: str) -> str:
    clean = sanitise(body)
    if not plain_text(clean):
        raise CommunityError(_("Write a message."))
    return clean


def _attach(post: Post, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    try:
        kind = check_attachment(upload, size=upload.size)
    except AttachmentRejected as error:
        raise CommunityError(error.message) from error
    post.attachment_type = kind.extension
    post.attachment_name = (upload.name or "")[-255:]
    post.attachment_size = upload.size
    post.attachment.save(f"adjunto.{kind.extension}", upload, save=False)


def _anonymous(space: Space, wanted: bool) -> bool:
    return bool(wanted and _allows_anonymous(space))


def _allows_anonymous(space: Space) -> bool:
    if space.kind == Space.Kind.ACTIVITY and space.page_id:
        page = DiscussionPage.objects.filter(pk=space.page_id).first()
        return bool(page and page.allow_anonymous)
    return space.allow_anonymous


def allows_anonymous(space: Space) -> bool:
    """Whether the editor allowed "anonymous to peers, named to moderators" in this space."""
    return _allows_anonymous(space)


@transaction.atomic
def thread_create(
    *,
    user,
    space: Space,
    title: str,
    body: str,
    anonymous: bool = False,
    attachment: UploadedFile | None = None,
    library_page: Page | None = None,
) -> Thread:
    """Open a thread with its first post. Raises CommunityError (nothing saved) when refused."""
    _check_can_post(user, space)
    title = " ".join((title or "").split())[:MAX_TITLE]
    if not title:
        raise CommunityError(_("Give the thread a title."))
    clean = _clean_body(body)
    now = timezone.now()
    is_anonymous = _anonymous(space, anonymous)
    thread = Thread.objects.create(
        space=space,
        author=user,
        title=title,
        is_anonymous=is_anonymous,
        library_page=library_page,
        last_post_at=now,
        post_count=1,
    )
    post = Post(thread=thread, author=user, body=clean, is_anonymous=is_anonymous)
    _attach(post, attachment)
    post.save()
    _after_post(post)
    return thread


@transaction.atomic
def post_create(
    *,
    user,
    thread: Thread,
    body: str,
    anonymous: bool = False,
    attachment: UploadedFile | None = None,
) -> Post:
    """Reply in a thread. Raises CommunityError (nothing saved) when refused."""
    thread = Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
    _check_can_post(user, thread.space, thread=thread)
    if thread.hidden_at:
        raise CommunityError(_("This thread is closed to new replies."))
    post = Post(
        thread=thread,
        author=user,
        body=_clean_body(body),
        is_anonymous=_anonymous(thread.space, anonymous),
    )
    _attach(post, attachment)
    post.save()
    Thread.objects.filter(pk=thread.pk).update(
        last_post_at=post.created_at, post_count=thread.post_count + 1
    )
    _after_post(post)
    return post


def _after_post(post: Post) -> None:
    signals.post_created.send(sender=Post, post=post)
    space = post.thread.space
    if space.kind == Space.Kind.ACTIVITY:
        discussion_check_completion(user=post.author, page_id=space.page_id)


def discussion_check_completion(*, user, page_id: int) -> bool:
    """Complete a discussion activity for a learner whose participation meets its rule
    (idempotent; the courses service records it once). True when the rule is met."""
    page = DiscussionPage.objects.filter(pk=page_id).first()
    if page is None:
        return False
    threads, replies = participation(user, page)
    if threads < page.threads_required or replies < page.replies_required:
        return False
    try:
        activity_complete(user=user, activity=page)
    except (NotEnrolled, ActivityLocked):
        logger.info("discussion rule met but not completed: user=%s page=%s", user.pk, page_id)
        return False
    return True


def can_edit(post: Post, user, now=None) -> bool:
    return (
        post.author_id == user.pk
        and not post.hidden_at
        and not post.thread.locked
        and (now or timezone.now()) - post.created_at <= EDIT_WINDOW
    )


@transaction.atomic
def post_edit(*, user, post: Post, body: str) -> Post:
    """Change one's own post within the edit window (30 minutes)."""
    if not can_edit(post, user):
        raise CommunityError(_("This message can no longer be edited."))
    post.body = _clean_body(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def post_report(*, user, post: Post, reason: str) -> Report:
    """A member reports a post to the moderators (idempotent per person and post)."""
    if not space_access(user, post.thread.space).can_read:
        raise CommunityError(_("You cannot report this message."))
    if post.author_id == user.pk:
        raise CommunityError(_("You cannot report your own message."))
    reason = " ".join((reason or "").split())[:300] or _("No reason given")
    try:
        with transaction.atomic():
            report, _created = Report.objects.get_or_create(
                post=post, reporter=user, defaults={"reason": reason}
            )
    except IntegrityError:
        report = Report.objects.get(post=post, reporter=user)
    return report


def _check_moderator(user, space: Space) -> None:
    if not space_access(user, space).can_moderate:
        raise CommunityError(_("Only the moderators of this space can do that."))


@transaction.atomic
def post_hide(*, moderator, post: Post, reason: str) -> Post:
    """Hide a post with a reason; its open reports are resolved and its author is told why."""
    _check_moderator(moderator, post.thread.space)
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise CommunityError(_("Give the reason for hiding this message: its author will read it."))
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, moderator, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=moderator
    )
    signals.post_hidden.send(sender=Post, post=post)
    return post


@transaction.atomic
def post_restore(*, moderator, post: Post) -> Post:
    """Show a hidden post again."""
    _check_moderator(moderator, post.thread.space)
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return post


@transaction.atomic
def reports_dismiss(*, moderator, post: Post) -> int:
    """Close a post's open reports without hiding it; returns how many were closed."""
    _check_moderator(moderator, post.thread.space)
    return Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def thread_set_flags(
    *, moderator, thread: Thread, pinned: bool | None = None, locked: bool | None = None
) -> Thread:
    """Pin or unpin, lock or unlock a thread."""
    _check_moderator(moderator, thread.space)
    fields = []
    if pinned is not None:
        thread.pinned = pinned
        fields.append("pinned")
    if locked is not None:
        thread.locked = locked
        fields.append("locked")
    if fields:
        thread.save(update_fields=fields)
    return thread


@transaction.atomic
def preferences_update(
    *, user, replies: bool, mentions: bool, digest: str
) -> NotificationPreference:
    if digest not in NotificationPreference.Digest.values:
        digest = NotificationPreference.Digest.NONE
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"replies": replies, "mentions": mentions, "digest": digest}
    )
    return preference


@transaction.atomic
def unsubscribe(*, user, kind: str) -> NotificationPreference:
    """Stop one kind of community e-mail ("reply", "mention", "digest" or "all"); idempotent.
    Called by privacy's one-click unsubscribe for the kinds registered in wagtail_hooks."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    if kind in ("reply", "all"):
        preference.replies = False
    if kind in ("mention", "all"):
        preference.mentions = False
    if kind in ("digest", "all"):
        preference.digest = NotificationPreference.Digest.NONE
    preference.save()
    return preference


@transaction.atomic
def profile_save(*, form) -> OrganisationProfile:
    """Save an organisation's directory profile from its (validated) form."""
    return form.save()
