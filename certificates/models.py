"""Certificate templates (a Wagtail snippet, versioned) and issued certificates (plain models).

A `Certificate` is the learner state: one row per learner and course, created in the
transaction that completed the course and rendered to PDF afterwards by a worker. The row, not
the queue, is the source of truth: a pending row is rendered again until it is ready.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin

from .codes import format_code

PLACEHOLDERS = ("learner_name", "course", "hours", "completion_date", "code")


class CertificateTemplate(PreviewableMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """The design of a certificate: wording, signatories and logos, for the courses it names.

    Editing saves drafts (the admin's autosave too); only publishing changes what renders: the
    row holds the published design and certificates are issued with its live revision, which
    they keep, so later edits never change certificates already issued.
    """

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    name = models.CharField(
        _("name"), max_length=120, help_text=_("For editors only; not printed.")
    )
    title = models.CharField(_("title"), max_length=200, default="Constancia de participación")
    body = models.TextField(
        _("body"),
        default=(
            "Se otorga a\n{learner_name}\npor haber concluido satisfactoriamente el curso\n"
            "{course}\ncon una duración de {hours} horas, el {completion_date}."
        ),
        help_text=_(
            "Plain text; each line is a paragraph. Placeholders: {learner_name}, {course}, "
            "{hours}, {completion_date}, {code}."
        ),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="es"
    )
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    logo_left = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("left logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo_right = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("right logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    courses = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses"),
        blank=True,
        related_name="certificate_templates",
        help_text=_("Courses whose certificates use this template."),
    )
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used for every course that no template names."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldPanel("orientation"),
                FieldPanel("logo_left"),
                FieldPanel("logo_right"),
            ],
            heading=_("Layout"),
        ),
        InlinePanel("signatories", label=_("Signatories"), max_num=4),
        MultiFieldPanel([FieldPanel("courses"), FieldPanel("is_default")], heading=_("Courses")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        for placeholder in _unknown_placeholders(self.body):
            errors["body"] = _("Unknown placeholder: {%(name)s}.") % {"name": placeholder}
        others = CertificateTemplate.objects.exclude(pk=self.pk)
        if self.is_default and others.filter(is_default=True).exists():
            errors["is_default"] = _("Another template is already the default one.")
        taken = (
            CertificateTemplate.courses.through.objects.filter(
                coursepage__in=[c.pk for c in self.courses.all()]
            )
            .exclude(certificatetemplate_id=self.pk)
            .select_related("coursepage")
        )
        if taken:
            names = ", ".join(sorted({link.coursepage.title for link in taken}))
            errors["courses"] = _("These courses already use another template: %(names)s.") % {
                "names": names
            }
        if errors:
            raise ValidationError(errors)

    @property
    def default_preview_size(self):
        return "desktop"  # a landscape page is unreadable in the mobile frame

    def get_preview_template(self, request, mode_name):
        return "certificates/pdf/certificate.html"

    def serve_preview(self, request, mode_name):
        """The admin preview: a sample certificate rendered to PDF with this (unsaved) design."""
        from django.http import HttpResponse

        from .services import template_sample_pdf

        response = HttpResponse(template_sample_pdf(template=self), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="muestra.pdf"'
        return response


def _unknown_placeholders(text: str) -> list[str]:
    import string

    names = []
    try:
        parsed = list(string.Formatter().parse(text or ""))
    except ValueError:
        return ["?"]
    for _literal, field, _spec, _conv in parsed:
        if field is not None and field not in PLACEHOLDERS:
            names.append(field)
    return names


class Signatory(Orderable):
    """A person who signs certificates of a template."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.name} ({self.role})"


class CertificateBatch(models.Model):
    """A manager's request to issue the certificates of a cohort for a course."""

    cohort = models.ForeignKey(
        "lms.Cohort", on_delete=models.CASCADE, related_name="certificate_batches"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="certificate_batches"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    eligible = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return f"{self.cohort} · {self.course}"


class Certificate(models.Model):
    """A learner's certificate for a course; exactly one per learner and course.

    Name, course title and hours are copied at issue time: later edits to the user or the course
    do not change a certificate until a manager re-issues it. `generation` grows with every
    re-issue or retry so a render that started before one cannot overwrite its result.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="certificates"
    )
    cohort = models.ForeignKey(
        "lms.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    batch = models.ForeignKey(
        CertificateBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    learner_name = models.CharField(_("learner name"), max_length=200)
    course_title = models.CharField(_("course title"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completion date"))
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # PROTECT: deleting a template would delete the revisions issued certificates print with.
    template = models.ForeignKey(
        CertificateTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    revoked_reason = models.TextField(_("revocation reason"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_emailed_at = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(default=0)
    pdf = models.FileField(upload_to="certificates/pdf/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    render_started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # The ready e-mail: claimed (by one sender) at `emailed_at`, then `email_sent_at` once sent.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_certificate_per_course")
        ]
        indexes = [
            models.Index(fields=["state", "queued_at"]),
            models.Index(fields=["course", "state"]),
        ]
        ordering = ["-issued_on", "learner_name"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.display_code} · {self.learner_name} · {self.course_title}"

    def get_absolute_url(self):
        return reverse("certificates:verify", args=[self.display_code])

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def verify_url(self) -> str:
        """The public address printed on the PDF and encoded in its QR code (the short form)."""
        return settings.SITE_URL + reverse("certificate_verify_short", args=[self.display_code])

    def is_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @property
    def validity(self) -> str:
        """What the verification page says: valid, revoked or expired."""
        if self.state == self.State.REVOKED:
            return "revoked"
        if self.is_expired():
            return "expired"
        return "valid"

    @property
    def downloadable(self) -> bool:
        return bool(self.pdf) and self.state != self.State.REVOKED


class CertificateArchive(models.Model):
    """A ZIP of a cohort's certificate PDFs for a course, built in the background."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        "lms.Cohort", on_delete=models.CASCADE, related_name="certificate_archives"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="certificate_archives"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(upload_to="certificates/zip/", blank=True)
    count = models.PositiveIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate archive")
        verbose_name_plural = _("certificate archives")

    def __str__(self):
        return f"ZIP {self.cohort} · {self.course}"


class Credential(models.Model):
    """The Open Badges 3.0 credential signed for one generation of a certificate.

    Signed once, in the task that renders that generation's PDF (which embeds it); a re-issue
    signs a new one, and the older one then reads as revoked in the status list. `number` places
    it in the Bitstring Status Lists (list = number // size + 1); its bit is derived from the
    certificate's state whenever a list is served, never stored.
    """

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="credentials"
    )
    generation = models.PositiveIntegerField()
    uuid = models.UUIDField(unique=True)
    number = models.PositiveIntegerField(unique=True, null=True, blank=True)
    salt = models.CharField(max_length=64)
    key_id = models.CharField(max_length=64, blank=True)
    document = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "generation"], name="unique_credential_per_generation"
            ),
        ]
        ordering = ["-generation"]
        verbose_name = _("verifiable credential")
        verbose_name_plural = _("verifiable credentials")

    def __str__(self):
        return f"urn:uuid:{self.uuid}"

    @property
    def signed(self) -> bool:
        return bool(self.document.get("proof"))
