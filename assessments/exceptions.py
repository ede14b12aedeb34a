from django.utils.translation import gettext_lazy as _

from courses.exceptions import ProgressError


class AssessmentError(ProgressError):
    """A learner or staff action refused; `message` is shown as it is and nothing changed."""

    default_message = _("This action is not possible.")


class AttemptRefused(AssessmentError):
    default_message = _("You cannot start a new attempt.")


class AttemptClosed(AssessmentError):
    default_message = _("This attempt has already been submitted.")


class AttemptExpired(AssessmentError):
    default_message = _(
        "The time for this attempt is over: it was submitted with the answers saved in time."
    )


class AlreadyAnswered(AssessmentError):
    default_message = _("You have already answered this survey.")


class NoQuestions(AssessmentError):
    default_message = _("This quiz has no questions yet. Please tell the course team.")


class InvalidAnswers(AssessmentError):
    default_message = _("Please answer the required questions.")
