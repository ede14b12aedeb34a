from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms import cache

        from . import handlers
        from .caching import content_changed

        handlers.connect()
        # Writes dropped while Redis was down may have been invalidations: start a new version.
        if content_changed not in cache.on_recovery:
            cache.on_recovery.append(content_changed)
