"""What the reports app holds about a person, and the staff views of personal data it serves,
registered with the privacy app."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.models import Cohort, CohortMembership
from privacy.registry import AuditedView, DataSection

from .models import ReminderLog

REMINDER_KIND = "trainer_reminder"


@hooks.register("privacy_data_sections")
def report_sections(user) -> list[DataSection]:
    return [
        DataSection(
            "reminders_received",
            [
                {"cohort": r.cohort.name, "sent_at": r.sent_at, "message": r.message}
                for r in ReminderLog.objects.filter(recipient=user)
                .select_related("cohort")
                .order_by("pk")
            ],
        )
    ]


@hooks.register("privacy_message_kinds")
def message_kinds():
    return [(REMINDER_KIND, _("Reminders from your trainer when you fall behind"))]


def _cohort_programme(kwargs) -> int | None:
    return (
        Cohort.objects.filter(pk=kwargs.get("cohort_id"))
        .values_list("programme_id", flat=True)
        .first()
    )


def _cohort_count(kwargs) -> int:
    return CohortMembership.objects.filter(cohort_id=kwargs.get("cohort_id")).count()


def _programme_count(kwargs) -> int:
    return (
        CohortMembership.objects.filter(cohort__programme_id=kwargs.get("programme_id"))
        .values("user")
        .distinct()
        .count()
    )


@hooks.register("privacy_audited_views")
def audited_views():
    return {
        "reports:cohort": AuditedView(
            "Cohort dashboard (cohort {cohort_id})", _cohort_programme, _cohort_count
        ),
        "reports:cohort_export": AuditedView(
            "Cohort export {kind}.{fmt} (cohort {cohort_id})",
            _cohort_programme,
            _cohort_count,
            export=True,
        ),
        "reports:programme": AuditedView(
            "Programme overview (programme {programme_id})",
            lambda kw: kw.get("programme_id"),
            _programme_count,
        ),
        "reports:programme_export": AuditedView(
            "Programme export {table}.{fmt} (programme {programme_id})",
            lambda kw: kw.get("programme_id"),
            _programme_count,
            export=True,
        ),
    }
