"""What a person wants to hear about, and the log that makes every message go exactly once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """A person's e-mail choices for the community (defaults apply while no row exists)."""

    class Digest(models.TextChoices):
        NONE = "none", _("No digest")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_preference"
    )
    replies = models.BooleanField(_("replies to my threads"), default=True)
    mentions = models.BooleanField(_("mentions of my name"), default=True)
    digest = models.CharField(
        _("digest"), max_length=8, choices=Digest.choices, default=Digest.NONE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id} · {self.digest}"


class MessageSent(models.Model):
    """One e-mail to one person: claimed (inserted, unique) before sending, stamped after.

    `key` names the event (a post id, a digest period), so a retried or duplicated task finds the
    claim and sends nothing.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        MENTION = "mention", _("Mention")
        DIGEST = "digest", _("Digest")
        HIDDEN = "hidden", _("Post hidden")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_messages"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="one_message_per_event"
            )
        ]
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")

    def __str__(self):
        return f"{self.recipient_id} · {self.kind} · {self.key}"
