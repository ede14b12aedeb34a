"""Learner state: quiz attempts and survey participation/responses. Written through services."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One attempt at a quiz, with the questions as they were asked (snapshots) and the answers.

    At most one attempt per learner and quiz is in progress, and attempt numbers are unique, so
    two concurrent starts cannot both pass the attempt limit.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        NEEDS_GRADING = "needs_grading", _("Waiting for a trainer")
        GRADED = "graded", _("Graded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        "assessments.QuizPage", on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField()
    form = models.CharField(max_length=1, blank=True, default="")
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    questions = models.JSONField(default=list)
    choice_orders = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)
    answers_saved_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    late = models.BooleanField(default=False)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="unique_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(state="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "user"]), models.Index(fields=["state"])]
        ordering = ["quiz", "user", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self):
        return f"{self.user} · {self.quiz_id} · #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS

    @property
    def is_submitted(self) -> bool:
        return self.state != self.State.IN_PROGRESS

    def expired(self, now=None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline

    def seconds_left(self) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - timezone.now()).total_seconds()))

    def snapshot(self, key: str) -> dict | None:
        return next((q for q in self.questions if q["key"] == key), None)


class SurveyParticipation(models.Model):
    """That a person has answered a survey (never what). One per person and survey."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )
    survey = models.ForeignKey(
        "assessments.SurveyPage", on_delete=models.CASCADE, related_name="participations"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "survey"], name="one_participation_per_survey")
        ]
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")

    def __str__(self):
        return f"{self.user} · {self.survey_id}"


class SurveyResponse(models.Model):
    """What was answered. In an anonymous survey `user` is empty, and the row carries neither a
    time nor a sequential id, so it cannot be matched to a participation row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        "assessments.SurveyPage", on_delete=models.CASCADE, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    organisation = models.ForeignKey(
        "lms.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    questions = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    # Results of an anonymous survey show only whole batches of RELEASE_BATCH answers (overall and
    # per organisation), so comparing two reports never isolates one person's answers.
    release_batch = models.PositiveIntegerField(default=0, editable=False)
    organisation_batch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "organisation"])]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.survey_id} · {self.pk}"


class SurveyReminder(models.Model):
    """A reminder a manager sent to everyone who had not answered yet (a count, no names)."""

    survey = models.ForeignKey(
        "assessments.SurveyPage", on_delete=models.CASCADE, related_name="reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("survey reminder")
        verbose_name_plural = _("survey reminders")

    def __str__(self):
        return f"{self.survey_id} · {self.sent_at:%Y-%m-%d}"


class SurveyReminderDelivery(models.Model):
    """One learner's e-mail of one survey reminder: claimed before sending, marked sent after.

    The unique constraint makes a retried or duplicated task skip the people already reached.
    """

    reminder = models.ForeignKey(
        SurveyReminder, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "user"], name="unique_survey_reminder_delivery"
            )
        ]
        verbose_name = _("survey reminder delivery")
        verbose_name_plural = _("survey reminder deliveries")

    def __str__(self):
        return f"{self.reminder_id} · {self.user_id}"
