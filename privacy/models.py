"""Personal-data records: the privacy notice and its acceptances, e-mail confirmation, consents,
data-access exports, deletion requests, message preferences, sessions, the e-mail log and the
staff audit log. Other apps' personal data is reached through the hooks in `privacy.registry`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField


class PrivacyNotice(models.Model):
    """One version of the privacy notice ("aviso de privacidad") in one language.

    The short text is shown at sign-up; the integral text has its own public page. A version
    marked as a material change must be accepted again by everyone at their next visit.
    """

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="es"
    )
    version = models.PositiveIntegerField(_("version"))
    material_change = models.BooleanField(
        _("material change"),
        default=False,
        help_text=_(
            "People who accepted an earlier version must accept this one at their next visit."
        ),
    )
    title = models.CharField(_("title"), max_length=200, default="Aviso de privacidad")
    short_text = RichTextField(_("short notice"), help_text=_("Shown at sign-up."))
    full_text = RichTextField(_("integral notice"))
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("Empty: a draft nobody sees.")
    )

    panels = [
        FieldPanel("language"),
        FieldPanel("version"),
        FieldPanel("title"),
        FieldPanel("material_change"),
        FieldPanel("short_text"),
        FieldPanel("full_text"),
        FieldPanel("published_at"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "version"], name="unique_notice_version")
        ]
        ordering = ["-version", "language"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self):
        return f"{self.title} v{self.version} ({self.language})"


class NoticeAcceptance(models.Model):
    """A person's explicit acceptance of a notice version, with its time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acceptances"
    )
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=10)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="unique_acceptance_per_version"
            )
        ]
        ordering = ["-accepted_at"]

    def __str__(self):
        return f"{self.user_id} v{self.version}"


class EmailConfirmation(models.Model):
    """An address that signed up itself and must be confirmed; no row means nothing to confirm
    (accounts made by staff or cohorts prove their address through the set-your-password link)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_confirmation"
    )
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id} {'confirmed' if self.confirmed_at else 'pending'}"


class SensitiveForm(models.Model):
    """A survey or form page whose editor says it asks for sensitive data (ethnic origin, beliefs,
    health, sexual life): express consent is asked before the first answer."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("survey or form"),
    )
    purpose = models.TextField(
        _("what is asked and why"), help_text=_("Shown to the person when consent is asked.")
    )

    panels = [FieldPanel("page"), FieldPanel("purpose")]

    class Meta:
        verbose_name = _("form with sensitive data")
        verbose_name_plural = _("forms with sensitive data")

    def __str__(self):
        return str(self.page)


class SensitiveConsent(models.Model):
    """Express consent (or refusal) for one sensitive form; withdrawing keeps the row, dated."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sensitive_consents"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    granted = models.BooleanField()
    decided_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.user_id} {self.page_id} {self.granted}"


class DataExport(models.Model):
    """A data-access ZIP (JSON and CSV of everything held about a person), built in the
    background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="privacy/exports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id} {self.state}"


class DeletionRequest(models.Model):
    """A person's request to cancel their data: confirmed by e-mail, carried out after the grace
    period."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_request"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id} {self.due_at}"


class MessageOptOut(models.Model):
    """A person refused one kind of non-essential e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_opt_outs"
    )
    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_opt_out")]

    def __str__(self):
        return f"{self.user_id} {self.kind}"


class UserSession(models.Model):
    """A logged-in session of a person, so they can see and end them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id} {self.created_at}"


class EmailLog(models.Model):
    """An e-mail the platform sent to a person (subject and kind, never the body)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="email_log"
    )
    subject = models.CharField(max_length=255)
    kind = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.sent_at}"


class AuditEntry(models.Model):
    """A staff view or export of other people's personal data: who, when, what, how many people.

    Written only by `privacy.services.audit_record`; the admin shows it read-only.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20)
    what = models.CharField(_("what"), max_length=255)
    path = models.CharField(_("address"), max_length=500, blank=True)
    subject_count = models.PositiveIntegerField(_("people"), null=True, blank=True)
    programme = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.what}"


class RetentionRun(models.Model):
    """What one daily retention run removed (counts per kind of record)."""

    ran_at = models.DateTimeField(auto_now_add=True)
    removed = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.ran_at} {self.removed}"
