"""People: users, their organisations, cohorts and the programme staff; site-wide help channels."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .identity import normalise_email


class Role(models.TextChoices):
    """The groups that carry permissions; created by a data migration."""

    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    MANAGER = "manager", _("Programme manager")
    EDITOR = "editor", _("Editor")


ROLE_GROUP_NAMES = {
    Role.LEARNER: "Participantes",
    Role.TRAINER: "Facilitadores",
    Role.MANAGER: "Coordinación de programa",
    Role.EDITOR: "Editores",
}


class Organisation(models.Model):
    """A ministry of the Federal Public Administration, a company, a CSO or another body."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or federal agency")
        COMPANY = "company", _("Company")
        CSO = "cso", _("Civil society organisation")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.short_name or self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = normalise_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Grants:
    group_names: frozenset[str]
    programme_ids: frozenset[int]


class User(AbstractUser):
    """A person who logs in with an e-mail address.

    `full_name` is the name exactly as it must appear on certificates (accents, apostrophes and
    the modifier letters of Indigenous names included); it is never derived from the e-mail.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("As it should appear on your certificates."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="es"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_feed_token, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    @cached_property
    def grants(self) -> "Grants":
        """The person's role groups and managed programmes, read in one query the first time
        they are asked for, then kept on this object (as Django keeps permissions): a request
        answers with the grants it started with; reload the user to see a change."""
        rows = User.objects.filter(pk=self.pk).values_list(
            "groups__name", "managed_programmes__programme_id"
        )
        return Grants(
            group_names=frozenset(name for name, _programme in rows if name),
            programme_ids=frozenset(programme for _name, programme in rows if programme),
        )

    class Meta:
        ordering = ["full_name"]
        # A case-variant duplicate cannot exist, whatever path wrote the row (lms.identity).
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_user_email_lower")]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


# Who a read may be asked for: a person who logged in, or a visitor who did not.
AnyUser = User | AnonymousUser


class Cohort(ClusterableModel):
    """A group of learners that studies a programme together, run by one or more trainers."""

    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="cohorts",
        help_text=_("The programme page this cohort belongs to."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="trained_cohorts",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        through="CohortMembership",
        blank=True,
        related_name="cohorts",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    self_enrolment_course = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("open enrolment of"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="self_enrolment_cohort",
        help_text=_("Learners who enrol in this course by themselves join this cohort."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name


class CohortMembership(models.Model):
    """A learner's place in a cohort; adding one (service or admin) announces
    `cohort_member_added`."""

    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("user")]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="unique_cohort_member")
        ]
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")

    def __str__(self):
        return f"{self.user} @ {self.cohort}"


class ProgrammeManager(models.Model):
    """A programme manager's responsibility for one programme (a ProgrammePage)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_programmes"
    )
    programme = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="programme_managers"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="unique_programme_manager")
        ]
        verbose_name = _("programme manager")
        verbose_name_plural = _("programme managers")

    def __str__(self):
        return f"{self.user} → {self.programme}"


@register_setting(icon="help")
class HelpSettings(BaseSiteSetting):
    """Help channels named on every page (the seed: diversified channels bridge the digital gap)."""

    phone = models.CharField(_("help phone"), max_length=40, blank=True, default="800 000 0000")
    email = models.EmailField(_("help e-mail"), blank=True, default="ayuda@example.org")
    hours = models.CharField(
        _("opening hours"),
        max_length=120,
        blank=True,
        default="Lunes a viernes, 9:00 a 18:00 (hora del centro)",
    )
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True)

    panels = [FieldPanel("phone"), FieldPanel("email"), FieldPanel("hours"), FieldPanel("whatsapp")]

    class Meta:
        verbose_name = _("help channels")
