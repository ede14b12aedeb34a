from django.utils.translation import gettext_lazy as _


class ProgressError(Exception):
    """A learner may not do this; `message` is shown to them as it is."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotEnrolled(ProgressError):
    default_message = _("You are not enrolled in this course.")


class ActivityLocked(ProgressError):
    default_message = _("This activity is not open yet.")


class EnrolmentRefused(ProgressError):
    default_message = _("You cannot enrol in this course.")
