"""The courses demo seed: complete, and a second run changes nothing."""

import io

import pytest
from wagtail.models import Page, PageLogEntry, Revision

from courses.demo import seed
from courses.models import ActivityProgress, CohortCourse, CoursePage, Enrolment, LessonPage
from lms.demo import seed_people
from lms.models import CohortMembership

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": sorted(
            Page.objects.values_list("id", "path", "title", "live", "latest_revision_id")
        ),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "enrolments": sorted(
            Enrolment.objects.values_list(
                "user_id",
                "course_id",
                "status",
                "completed_at",
                "progress_percent",
                "last_activity_at",
            )
        ),
        "progress": sorted(
            ActivityProgress.objects.values_list(
                "user_id", "activity_id", "state", "completed_at", "updated_at"
            )
        ),
        "cohort_courses": sorted(CohortCourse.objects.values_list("cohort_id", "course_id")),
        "members": CohortMembership.objects.count(),
    }


def run_seed():
    out = io.StringIO()
    seed_people(stdout=out, size=0)
    seed(stdout=out, size=0)


def test_the_courses_seed_twice_changes_nothing_the_second_time():
    run_seed()
    first = snapshot()
    run_seed()
    assert snapshot() == first


def test_the_seed_builds_two_programmes_with_open_and_cohort_courses():
    run_seed()
    assert set(CoursePage.objects.values_list("enrolment_mode", flat=True)) == {"open", "cohort"}
    assert LessonPage.objects.live().count() >= 10
    assert Enrolment.objects.filter(progress_percent__gt=0).exists()
    # Three cohorts' courses and one open-enrolment cohort per open course.
    open_courses = CoursePage.objects.filter(enrolment_mode="open").count()
    assert CohortCourse.objects.count() == 3 + open_courses
