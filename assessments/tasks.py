import logging
import smtplib

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def close_expired_attempts() -> int:
    """Close and grade open attempts whose time ran out (safe to run at any interval)."""
    from .services import attempts_close_expired

    return attempts_close_expired()


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=30,
)
def send_survey_reminders(
    self: Task, survey_id: int, user_ids: list[int], reminder_id: int | None = None
) -> int:
    """E-mail each learner who still has not answered the survey and was not reached by this
    reminder yet (a retry after an SMTP error skips them)."""
    from lms.models import User

    from .models import SurveyPage
    from .services import survey_reminder_email

    survey = SurveyPage.objects.filter(pk=survey_id).first()
    if survey is None:
        return 0
    sent = 0
    for user in User.objects.filter(pk__in=user_ids):
        sent += survey_reminder_email(survey=survey, user=user, reminder_id=reminder_id)
    logger.info("survey %s: %s reminders sent", survey_id, sent)
    return sent
