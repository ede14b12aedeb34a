from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """Learning without a connection: a service worker, saved courses and a sync endpoint that
    reuses the services of the online forms."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "offline"
    verbose_name = _("Offline use")
