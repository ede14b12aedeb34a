"""Demo data for the reports: one learner left idle long enough to show as stuck, and the
reminder their trainer sent. Idempotent: a second run changes nothing."""

from datetime import timedelta

from django.utils import timezone

from courses.models import Enrolment
from lms.models import Cohort, User

from .models import ReminderLog
from .services import message_digest

IDLE_LEARNER = "tomas.kuyoc@example.org"
IDLE_DAYS = 20
TRAINER = "facilitador@example.org"
COHORT = "Red de OSC Sur-Sureste 2026"
MESSAGE = (
    "Hola, Tomás: le extrañamos en el curso. Puede continuar desde su teléfono donde lo dejó; "
    "si algo se lo impide, responda a este correo o llame a la línea de ayuda."
)


def seed(*, stdout, size: int = 0) -> None:
    learner = User.objects.filter(email=IDLE_LEARNER).first()
    trainer = User.objects.filter(email=TRAINER).first()
    cohort = Cohort.objects.filter(name=COHORT).first()
    if learner is None or trainer is None or cohort is None:
        return
    now = timezone.now()
    idle_since = now - timedelta(days=IDLE_DAYS)
    # Backdate only while the learner looks recent, so a second run leaves the dates alone.
    Enrolment.objects.filter(
        user=learner,
        completed_at__isnull=True,
        last_activity_at__gt=now - timedelta(days=IDLE_DAYS - 1),
    ).update(last_activity_at=idle_since, enrolled_at=idle_since - timedelta(days=10))
    Enrolment.objects.filter(
        user=learner,
        completed_at__isnull=True,
        last_activity_at__isnull=True,
        enrolled_at__gt=idle_since,
    ).update(enrolled_at=idle_since)
    if not ReminderLog.objects.filter(cohort=cohort, recipient=learner).exists():
        sent_at = now - timedelta(days=3)
        ReminderLog.objects.create(
            cohort=cohort,
            sender=trainer,
            recipient=learner,
            message=MESSAGE,
            message_digest=message_digest(MESSAGE),
            sent_on=timezone.localdate(sent_at),
            sent_at=sent_at,
        )
