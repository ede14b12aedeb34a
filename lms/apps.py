from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("People and site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import handlers

        handlers.connect()
