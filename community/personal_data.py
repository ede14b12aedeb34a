"""What the community holds about a person, registered with the privacy app: their threads,
messages, reports and e-mail choices go into the data-access ZIP; erasure removes what they
wrote and uploaded while the conversations of others stay readable."""

from django.utils.translation import gettext as _
from wagtail import hooks

from privacy.registry import DataSection

from .models import CodeAcceptance, MessageSent, NotificationPreference, Post, Report, Thread


@hooks.register("privacy_data_sections")
def community_sections(user) -> list[DataSection]:
    preference = NotificationPreference.objects.filter(user=user).first()
    return [
        DataSection(
            "community_threads",
            [
                {"space": t.space.title, "title": t.title, "created_at": t.created_at}
                for t in Thread.objects.filter(author=user).select_related("space").order_by("pk")
            ],
        ),
        DataSection(
            "community_messages",
            [
                {
                    "thread": p.thread.title,
                    "message": p.body,
                    "anonymous_to_peers": p.is_anonymous,
                    "attachment": p.attachment_name,
                    "created_at": p.created_at,
                    "edited_at": p.edited_at,
                    "hidden_at": p.hidden_at,
                    "hidden_reason": p.hidden_reason,
                }
                for p in Post.objects.filter(author=user).select_related("thread").order_by("pk")
            ],
        ),
        DataSection(
            "community_reports",
            [
                {"reason": r.reason, "created_at": r.created_at, "resolved_at": r.resolved_at}
                for r in Report.objects.filter(reporter=user).order_by("pk")
            ],
        ),
        DataSection(
            "community_email_choices",
            [
                {
                    "replies": preference.replies,
                    "mentions": preference.mentions,
                    "digest": preference.digest,
                }
            ]
            if preference
            else [],
        ),
        DataSection(
            "community_emails",
            list(
                MessageSent.objects.filter(recipient=user)
                .order_by("pk")
                .values("kind", "key", "sent_at")
            ),
        ),
    ]


@hooks.register("privacy_erase_user")
def erase_community(user) -> dict[str, int]:
    """A person's messages often tell their own story: their text and attachments go, and each
    message stays as a placeholder so that the replies of others still read in order. Their
    threads keep their place (the title goes too); reports, choices and the e-mail log go."""
    posts = Post.objects.filter(author=user)
    for post in posts.exclude(attachment=""):
        post.attachment.delete(save=False)
    removed = _("[message removed at its author's request]")
    counts = {
        "community_messages": posts.update(
            body=f"<p>{removed}</p>",
            attachment="",
            attachment_name="",
            attachment_type="",
            attachment_size=0,
            is_anonymous=True,
        ),
        "community_threads": Thread.objects.filter(author=user).update(title=removed[:200]),
    }
    for kind, model, field in (
        ("community_reports", Report, "reporter"),
        ("community_email_choices", NotificationPreference, "user"),
        ("community_emails", MessageSent, "recipient"),
        ("community_code_acceptances", CodeAcceptance, "user"),
    ):
        counts[kind] = model.objects.filter(**{field: user}).delete()[0]
    return counts
