"""Discussion spaces, threads, posts and reports (plain models, written through services)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Space(models.Model):
    """Where people discuss: a programme's forum, a course's or a cohort's space, or the space of
    a discussion activity. Who may read, post and moderate is decided in `community.selectors`."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme forum (open to its learners)")
        COURSE = "course", _("Course space (enrolled learners and staff)")
        COHORT = "cohort", _("Cohort space (members and trainers)")
        ACTIVITY = "activity", _("Discussion activity")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("programme, course or activity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_spaces",
        help_text=_(
            "The programme page, course page or discussion activity this space belongs to."
        ),
    )
    cohort = models.ForeignKey(
        "lms.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_spaces",
    )
    allow_anonymous = models.BooleanField(
        _("allow anonymous posts"),
        default=False,
        help_text=_(
            "Participants may post as anonymous to their peers; moderators still see their names."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "page"], condition=Q(cohort__isnull=True), name="one_space_per_page"
            ),
            models.UniqueConstraint(fields=["cohort"], name="one_space_per_cohort"),
            models.CheckConstraint(
                condition=(
                    Q(kind="cohort", cohort__isnull=False)
                    | (~Q(kind="cohort") & Q(page__isnull=False))
                ),
                name="space_has_its_target",
            ),
        ]
        verbose_name = _("discussion space")
        verbose_name_plural = _("discussion spaces")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("community:space", args=[self.pk])


class Thread(models.Model):
    """A conversation in a space; its first post is the opening message."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_threads"
    )
    title = models.CharField(_("title"), max_length=200)
    is_anonymous = models.BooleanField(default=False)
    library_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("related practice or resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_threads",
    )
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(db_index=True)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-pinned", "-last_post_at"]
        indexes = [models.Index(fields=["space", "pinned", "last_post_at"])]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("community:thread", args=[self.pk])


def attachment_upload_to(instance, filename: str) -> str:
    # Random name: attachments are served through a view that checks who is asking.
    return f"community/attachments/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Post(models.Model):
    """A message in a thread: sanitised rich text and at most one attachment or image."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_posts"
    )
    body = models.TextField(_("message"))
    is_anonymous = models.BooleanField(default=False)
    attachment = models.FileField(_("attachment"), upload_to=attachment_upload_to, blank=True)
    attachment_type = models.CharField(max_length=8, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.thread_id} · {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_image(self) -> bool:
        return self.attachment_type in ("png", "jpg", "webp", "gif")


class Report(models.Model):
    """A member's report of a post to the moderators; one per person and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reports"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], name="one_report_per_person_and_post"
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.post_id} · {self.reporter_id}"


class CodeAcceptance(models.Model):
    """That a person accepted a version of the code of participation (needed before posting)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_code_acceptances",
    )
    version = models.PositiveSmallIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="one_acceptance_per_code_version"
            )
        ]
        verbose_name = _("code of participation acceptance")
        verbose_name_plural = _("code of participation acceptances")

    def __str__(self):
        return f"{self.user_id} · v{self.version}"
