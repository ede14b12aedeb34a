from django.template.loader import render_to_string
from wagtailmedia.blocks import AbstractMediaChooserBlock


class HostedMediaChooserBlock(AbstractMediaChooserBlock):
    """Chooses a hosted video or audio (wagtailmedia's chooser over HostedMedia)."""

    def render_basic(self, value, context=None):
        if not value:
            return ""
        return render_to_string("hosted_media/player_basic.html", {"media": value})
