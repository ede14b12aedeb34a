"""What the courses app holds about a person, registered with the privacy app."""

from wagtail import hooks

from privacy.registry import DataSection

from .models import ActivityProgress, Enrolment


@hooks.register("privacy_data_sections")
def course_sections(user) -> list[DataSection]:
    return [
        DataSection(
            "enrolments",
            [
                {
                    "course": e.course.title,
                    "status": e.status,
                    "enrolled_at": e.enrolled_at,
                    "completed_at": e.completed_at,
                    "progress_percent": e.progress_percent,
                }
                for e in Enrolment.objects.filter(user=user).select_related("course").order_by("pk")
            ],
        ),
        DataSection(
            "progress",
            [
                {
                    "course": p.course.title,
                    "activity": p.activity.title,
                    "state": p.state,
                    "started_at": p.started_at,
                    "completed_at": p.completed_at,
                }
                for p in ActivityProgress.objects.filter(user=user)
                .select_related("course", "activity")
                .order_by("pk")
            ],
        ),
    ]
