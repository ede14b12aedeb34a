"""Bulk builders for large cohorts (1,000 learners) without going through per-row services."""

import random

from django.utils import timezone

from courses.models import ActivityProgress, CohortCourse, Enrolment, LessonPage
from lms.factories import CohortFactory
from lms.models import CohortMembership, User


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def big_cohort(*, programme, course, trainer, learners: int, organisation=None, seed: int = 7):
    """A cohort of `learners` learners enrolled in `course` with random progress on every
    activity."""
    rng = random.Random(seed)
    cohort = CohortFactory(programme=programme, trainers=[trainer])
    users = User.objects.bulk_create(
        [
            User(
                email=f"carga{cohort.pk}-{i}@example.org",
                full_name=f"Carga {i:05d}",
                password="!",
                organisation=organisation,
            )
            for i in range(learners)
        ],
        batch_size=500,
    )
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohort, user=u) for u in users], batch_size=500
    )
    CohortCourse.objects.create(cohort=cohort, course=course)
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course, cohort=cohort, last_activity_at=now) for u in users],
        batch_size=500,
    )
    states = [
        ActivityProgress.State.COMPLETE,
        ActivityProgress.State.IN_PROGRESS,
        ActivityProgress.State.NOT_STARTED,
    ]
    ActivityProgress.objects.bulk_create(
        [
            ActivityProgress(
                user=u,
                activity_id=lesson.pk,
                course=course,
                state=rng.choice(states),
                started_at=now,
            )
            for u in users
            for lesson in lessons_of(course)
        ],
        batch_size=2000,
    )
    return cohort
