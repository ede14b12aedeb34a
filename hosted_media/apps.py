from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class HostedMediaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hosted_media"
    verbose_name = _("Video and audio")

    def ready(self):
        from .handlers import delete_version_files
        from .models import HostedMedia

        post_delete.connect(delete_version_files, sender=HostedMedia)
