from django.utils.translation import gettext_lazy as _

from courses.exceptions import ProgressError


class AssessmentError(ProgressError):
    """A learner or staff action refused; `message` is shown as it is and nothing changed."""

    default_message = _("This action is not possible.")


class AttemptRefused(AssessmentError):
    default_message = _("You cannot start a new attempt.")


class AlreadyAnswered(AssessmentError):
    default_message = _("You have already answered this survey.")


class NoQuestions(AssessmentError):
    default_message = _("This quiz has no questions yet. Please tell the course team.")


class InvalidAnswers(AssessmentError):
    default_message = _("Please answer the required questions.")
