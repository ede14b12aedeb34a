"""The network directory: an organisation's opt-in public profile."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .library import STATES


class OrganisationProfile(models.Model):
    """What an organisation chose to tell the network; shown only when published, and each
    contact channel only when its own box is ticked."""

    organisation = models.OneToOneField(
        "lms.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    published = models.BooleanField(_("show this profile in the directory"), default=False)
    what_we_do = models.TextField(_("what we do"), max_length=1500, blank=True)
    state = models.CharField(_("state"), max_length=4, choices=STATES, blank=True)
    where = models.CharField(_("where we work"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    show_email = models.BooleanField(_("show the e-mail"), default=False)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    show_phone = models.BooleanField(_("show the phone"), default=False)
    website = models.URLField(_("website"), blank=True)
    show_website = models.BooleanField(_("show the website"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("organisation profile")
        verbose_name_plural = _("organisation profiles")

    def __str__(self):
        return str(self.organisation)
