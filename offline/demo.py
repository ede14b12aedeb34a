"""Demo: one quiz and one survey that can be answered offline, and a lesson a learner completed
without a connection (shown on the trainer's dashboard). Idempotent."""

import uuid
from datetime import timedelta

from django.utils import timezone

from assessments.models import QuizPage, SurveyPage
from courses.models import CoursePage, LessonPage
from courses.selectors import course_status, enrolment_for
from lms.models import User

from . import services
from .models import OfflineItem

# Fixed, so a second run finds the item it made.
DEMO_ITEM = uuid.UUID("6f1f0c1e-8d53-4c55-9a57-0ff1ae000001")


def _mark(page) -> bool:
    if page is None or page.available_offline:
        return False
    if isinstance(page, QuizPage) and page.time_limit_minutes:
        return False
    page.available_offline = True
    page.save_revision().publish()
    return True


def _offline_completion(stdout) -> None:
    learner = User.objects.filter(email="participante@example.org").first()
    if learner is None or OfflineItem.objects.filter(pk=DEMO_ITEM).exists():
        return
    for course in CoursePage.objects.live().order_by("path"):
        if enrolment_for(learner, course) is None:
            continue
        status = course_status(learner, course)
        lesson_ids = set(
            LessonPage.objects.descendant_of(course).live().values_list("id", flat=True)
        )
        open_lesson = next(
            (
                a
                for m in status.modules
                for a in m.activities
                if a.node.id in lesson_ids and not a.complete and not a.locked
            ),
            None,
        )
        if open_lesson is not None:
            services.item_receive(
                user=learner,
                item_id=DEMO_ITEM,
                kind=OfflineItem.Kind.COMPLETION,
                page_id=open_lesson.node.id,
                answered_at=timezone.now() - timedelta(hours=3),
                payload={},
            )
            stdout.write(f"  offline: {learner.email} completed “{open_lesson.node.title}” offline")
            return


def seed(*, stdout, size: int = 1) -> None:
    quiz = (
        QuizPage.objects.filter(slug="prueba-final", time_limit_minutes__isnull=True)
        .order_by("path")
        .first()
    )
    survey = SurveyPage.objects.filter(slug="encuesta-de-cierre").order_by("path").first()
    for page in (quiz, survey):
        if _mark(page):
            stdout.write(f"  offline: “{page.title}” can be answered offline")
    _offline_completion(stdout)
