"""What a learner's device sends after working without a connection, stored once."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuizPaper(models.Model):
    """A quiz drawn for one learner to answer without a connection.

    The questions and their choice order are kept here, as the server drew them; the device gets
    only what the attempt page shows (no weights, right answers or feedback). A paper becomes at
    most one attempt (the one-to-one `attempt`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_papers"
    )
    quiz = models.ForeignKey(
        "assessments.QuizPage", on_delete=models.CASCADE, related_name="offline_papers"
    )
    form = models.CharField(max_length=1, blank=True, default="")
    questions = models.JSONField(default=list)
    choice_orders = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    attempt = models.OneToOneField(
        "assessments.Attempt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offline_paper",
    )

    class Meta:
        indexes = [models.Index(fields=["user", "quiz"])]
        verbose_name = _("offline quiz paper")
        verbose_name_plural = _("offline quiz papers")

    def __str__(self):
        return f"{self.user_id} · {self.quiz_id} · {self.pk}"

    def as_draw(self) -> dict:
        return {"form": self.form, "questions": self.questions, "choice_orders": self.choice_orders}


class OfflineItem(models.Model):
    """One thing a learner did without a connection and sent later: a lesson completed, a quiz
    attempt or survey answers. The id is made on the device; as the primary key it makes every
    repeated send of the same item count once, answered with the first result.

    For a survey nothing of what was answered is kept here (an anonymous survey stays anonymous).
    """

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Activity completed")
        ATTEMPT = "attempt", _("Quiz attempt")
        SURVEY = "survey", _("Survey answers")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Being applied")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Refused")

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_items"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    attempt = models.ForeignKey(
        "assessments.Attempt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offline_items",
    )
    answered_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "received_at"]),
            models.Index(fields=["page", "user"]),
        ]
        ordering = ["-received_at"]
        verbose_name = _("item sent after working offline")
        verbose_name_plural = _("items sent after working offline")

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {self.page_id} · {self.status}"
