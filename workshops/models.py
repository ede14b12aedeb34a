"""Workshops: the page (content, versioned by Wagtail) and the learner state beside it.

`WorkshopPage` is an activity in the course tree; its `WorkshopSession` rows are page content
edited inline and committed by modelcluster on publish (unchanged sessions keep their ids).
`Registration`, `ReminderSent` and `SessionMaterial` are plain models pointing at a session row;
they PROTECT it, so a session somebody registered for is never deleted by a publish by accident.
"""

import uuid
from datetime import timedelta
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.models import ActivityPage

from .admin_forms import SessionInlinePanel, WorkshopPageForm

DEFAULT_TIME_ZONE = "America/Mexico_City"
TIME_ZONES = [
    ("America/Mexico_City", _("Mexico City, Central time")),
    ("America/Cancun", _("Cancún, Quintana Roo")),
    ("America/Merida", _("Mérida")),
    ("America/Monterrey", _("Monterrey")),
    ("America/Chihuahua", _("Chihuahua")),
    ("America/Ciudad_Juarez", _("Ciudad Juárez")),
    ("America/Hermosillo", _("Hermosillo, Sonora")),
    ("America/Mazatlan", _("Mazatlán, Pacific time")),
    ("America/Tijuana", _("Tijuana, Northwest")),
    ("America/Guatemala", _("Guatemala")),
    ("America/Bogota", _("Bogotá")),
    ("America/New_York", _("New York")),
    ("Europe/Madrid", _("Madrid")),
    ("UTC", _("Coordinated Universal Time, UTC")),
]


class WorkshopPage(ActivityPage):
    """A live training, a peer-learning workshop or one-to-one guidance, with its sessions.

    A learner registers for one session; attending it completes the activity.
    """

    class Kind(models.TextChoices):
        LIVE_TRAINING = "live_training", _("Live training")
        PEER_LEARNING = "peer_learning", _("Peer-learning workshop")
        GUIDANCE = "guidance", _("One-to-one guidance")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.LIVE_TRAINING
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ul", "ol", "h3"]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        SessionInlinePanel("sessions", label=_("Session"), heading=_("Sessions")),
        MultiFieldPanel(ActivityPage.activity_panels, heading=_("Activity")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    base_form_class = WorkshopPageForm
    activity_kind_label = _("Workshop")

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    @property
    def is_guidance(self) -> bool:
        return self.kind == self.Kind.GUIDANCE

    @property
    def accepts_materials(self) -> bool:
        return self.kind == self.Kind.PEER_LEARNING

    def get_context(self, request, *args, **kwargs):
        from .selectors import workshop_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            workshop_page_context(request.user, self, enrolment=context.get("enrolment"))
        )
        return context


class WorkshopSession(Orderable):
    """One dated occurrence of a workshop; times are stored aware (UTC) and shown in `time_zone`."""

    page = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="sessions")
    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("Optional, e.g. “Group A” or the company's name."),
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TIME_ZONES,
        default=DEFAULT_TIME_ZONE,
        help_text=_("Start, end and deadlines are entered as local times of this time zone."),
    )
    online_url = models.URLField(
        _("meeting link"), blank=True, help_text=_("Shown only to people with a confirmed seat.")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=25)
    facilitators = models.CharField(_("facilitators"), max_length=255, blank=True)
    registration_deadline = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: at the start of the session."),
    )
    cancellation_deadline = models.DateTimeField(
        _("cancellation closes"),
        null=True,
        blank=True,
        help_text=_("Empty: at the start of the session."),
    )
    # Bumped whenever the time or place changes, so calendar apps replace the event they hold.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # A trainer's cancellation (services.session_cancel): set once, never undone by a page publish.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(
        _("reason for the cancellation"), blank=True, editable=False
    )

    CALENDAR_FIELDS = ("start", "end", "time_zone", "online_url", "place", "address", "label")

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("time_zone"),
        FieldPanel("online_url"),
        FieldRowPanel([FieldPanel("place"), FieldPanel("address")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("facilitators")]),
        FieldRowPanel([FieldPanel("registration_deadline"), FieldPanel("cancellation_deadline")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        when = timezone.localtime(self.start, self.tz).strftime("%Y-%m-%d %H:%M")
        return f"{self.page.title if self.page_id else ''} · {self.label or when}".strip(" ·")

    def save(self, *args, **kwargs):
        moved = False
        if self.pk:
            before = (
                WorkshopSession.objects.filter(pk=self.pk)
                .values(*self.CALENDAR_FIELDS, "sequence", "cancelled_at", "cancellation_reason")
                .first()
            )
            if before:
                # Publishing a page writes its sessions from a revision that may predate a
                # cancellation or a later sequence: neither may go back.
                self.sequence = max(self.sequence, before["sequence"])
                if before["cancelled_at"] and not self.cancelled_at:
                    self.cancelled_at = before["cancelled_at"]
                    self.cancellation_reason = before["cancellation_reason"]
            if before and any(before[f] != getattr(self, f) for f in self.CALENDAR_FIELDS):
                self.sequence = before["sequence"] + 1
                moved = before["start"] != self.start
                self.calendar_changed = True  # handlers.session_saved tells the people registered
        super().save(*args, **kwargs)
        if moved:
            # New time, new reminders: the ones already sent named the old time.
            ReminderSent.objects.filter(registration__session_id=self.pk).delete()

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The session must end after it starts.")
        if self.start and self.registration_deadline and self.registration_deadline > self.start:
            errors["registration_deadline"] = _(
                "Registration must close before the session starts."
            )
        if self.start and self.cancellation_deadline and self.cancellation_deadline > self.start:
            errors["cancellation_deadline"] = _(
                "Cancellation must close before the session starts."
            )
        if not self.online_url and not self.place:
            errors["place"] = _("Give a meeting link, a place, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)

    @property
    def registration_closes(self):
        return self.registration_deadline or self.start

    @property
    def cancellation_closes(self):
        return self.cancellation_deadline or self.start

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.start

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.end

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_open_for_registration(self, now=None) -> bool:
        return not self.is_cancelled and (now or timezone.now()) < self.registration_closes

    def can_cancel(self, now=None) -> bool:
        return (now or timezone.now()) < self.cancellation_closes

    def checkin_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.start - CHECKIN_EARLY <= now <= self.end


CHECKIN_EARLY = timedelta(minutes=15)


class Registration(models.Model):
    """A learner's seat (or waitlist place) in one session; attendance is recorded on it.

    At most one active (confirmed or waitlisted) registration per learner and workshop, and one
    row per learner and session (a cancelled registration is re-activated, not duplicated).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNMARKED = "", _("Not marked")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(
        WorkshopSession, on_delete=models.PROTECT, related_name="registrations"
    )
    workshop = models.ForeignKey(
        WorkshopPage, on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    organisation = models.ForeignKey(
        "lms.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_registrations",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    queued_at = models.DateTimeField(default=timezone.now, help_text="Waitlist order.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"),
        max_length=10,
        choices=Attendance.choices,
        default=Attendance.UNMARKED,
        blank=True,
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Set when the learner moves on from a past session they did not attend to a later one: the
    # row stays (it is attendance history) but no longer counts as their place in the workshop.
    superseded = models.BooleanField(default=False)
    # Raised at each cancellation and re-registration, so the person's calendar event
    # (SEQUENCE = session.sequence + this) only ever moves forward (RFC 5545 3.8.7.4).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session"], name="unique_registration_per_session"
            ),
            models.UniqueConstraint(
                fields=["user", "workshop"],
                condition=Q(status__in=["confirmed", "waitlisted"], superseded=False),
                name="one_current_registration_per_workshop",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.user} · {self.session_id} · {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)

    @property
    def event_sequence(self) -> int:
        return self.session.sequence + self.calendar_sequence

    def holds_workshop(self, session: "WorkshopSession", now=None) -> bool:
        """True while this registration is the learner's place in the workshop (blocks another
        session).

        A past session the learner did not attend stops holding it: they may take a later one.
        """
        if not self.is_active or self.superseded:
            return False
        return not session.has_ended(now) or self.attendance == self.Attendance.ATTENDED


class ReminderSent(models.Model):
    """Claim marker for one reminder e-mail: inserted before sending, unique, so it goes once."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("A day before")
        HOUR_BEFORE = "hour_before", _("An hour before")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="unique_reminder_per_kind"
            )
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return f"{self.registration_id} · {self.kind}"


def material_upload_to(instance, filename: str) -> str:
    # Random name: the file is served through a permission-checked view, never by a guessable URL.
    return f"workshops/materials/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class SessionMaterial(models.Model):
    """A presentation a participant shares with the other participants of a peer-learning
    session."""

    session = models.ForeignKey(WorkshopSession, on_delete=models.PROTECT, related_name="materials")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_materials"
    )
    organisation = models.ForeignKey(
        "lms.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_upload_to)
    file_type = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")

    def __str__(self):
        return self.title
