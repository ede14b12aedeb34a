from django.utils.translation import gettext_lazy as _

from courses.exceptions import ProgressError


class OfflineRefused(ProgressError):
    """Something sent or asked for offline use is refused; `message` is shown to the learner."""

    default_message = _("This cannot be used offline.")
