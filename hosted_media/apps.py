from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostedMediaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hosted_media"
    verbose_name = _("Video and audio")
