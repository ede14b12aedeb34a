"""What the reports app stores itself: the reminders trainers send. Everything else it reads."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One reminder e-mail sent by a trainer to one learner of a cohort.

    The same message goes at most once a day to a learner of a cohort (the unique constraint),
    so a retried or doubly-clicked reminder never reaches anybody twice.
    """

    cohort = models.ForeignKey(
        "lms.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="reminders"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders_received",
    )
    message = models.TextField(_("message"))
    message_digest = models.CharField(max_length=64)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "recipient", "message_digest", "sent_on"],
                name="unique_reminder_per_day",
            )
        ]
        indexes = [models.Index(fields=["cohort", "recipient", "sent_at"])]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.recipient} · {self.cohort} · {self.sent_on}"
