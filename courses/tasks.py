from celery import shared_task

from .models import CoursePage


@shared_task(acks_late=True)
def recompute_course(course_id: int) -> int:
    """Re-apply completion rules to a course after its structure changed."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    from .services import course_recompute

    return course_recompute(course=course)
