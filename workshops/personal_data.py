"""What the workshops app holds about a person, registered with the privacy app."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from privacy.registry import AuditedView, DataSection, programme_of_page

from .models import Registration, SessionMaterial, WorkshopSession

REMINDER_KIND = "workshop_reminder"


@hooks.register("privacy_data_sections")
def workshop_sections(user) -> list[DataSection]:
    return [
        DataSection(
            "workshop_registrations",
            [
                {
                    "workshop": r.workshop.title,
                    "session_start": r.session.start,
                    "status": r.status,
                    "attendance": r.attendance,
                    "registered_at": r.created_at,
                    "checked_in_at": r.checked_in_at,
                }
                for r in Registration.objects.filter(user=user)
                .select_related("workshop", "session")
                .order_by("pk")
            ],
        ),
        DataSection(
            "workshop_materials",
            [
                {"title": m.title, "file_name": m.original_name, "uploaded_at": m.uploaded_at}
                for m in SessionMaterial.objects.filter(uploaded_by=user).order_by("pk")
            ],
        ),
    ]


@hooks.register("privacy_erase_user")
def erase_materials(user) -> dict[str, int]:
    """Presentations a person shared carry their work and often their name: they go."""
    materials = list(SessionMaterial.objects.filter(uploaded_by=user))
    for material in materials:
        material.file.delete(save=False)
        material.delete()
    return {"workshop_materials": len(materials)}


@hooks.register("privacy_message_kinds")
def message_kinds():
    return [(REMINDER_KIND, _("Workshop reminders (the day and the hour before a session)"))]


def _session_programme(kwargs) -> int | None:
    return programme_of_page(
        WorkshopSession.objects.filter(pk=kwargs.get("session_id"))
        .values_list("page_id", flat=True)
        .first()
    )


def _session_count(kwargs) -> int:
    return Registration.objects.filter(session_id=kwargs.get("session_id")).count()


@hooks.register("privacy_audited_views")
def audited_views():
    return {
        "workshops:attendance": AuditedView(
            "Attendance of session {session_id}", _session_programme, _session_count
        ),
        "workshops:attendance_csv": AuditedView(
            "Attendance CSV of session {session_id}",
            _session_programme,
            _session_count,
            export=True,
        ),
        "workshops:signin_sheet": AuditedView(
            "Sign-in sheet of session {session_id}", _session_programme, _session_count, export=True
        ),
    }
