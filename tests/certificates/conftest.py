import shutil
import subprocess

import pytest


def complete_course(user, course, cohort=None):
    """Enrol the user and complete every lesson: fires `course_completed` once."""
    from courses.models import LessonPage
    from courses.services import activity_complete, enrolment_create

    enrolment_create(user=user, course=course, cohort=cohort, check_rules=False)
    for lesson in LessonPage.objects.descendant_of(course).live().order_by("path"):
        activity_complete(user=user, activity=lesson, check_locks=False)


def pdf_text(path_or_bytes) -> str:
    if isinstance(path_or_bytes, bytes):
        return subprocess.run(
            ["pdftotext", "-", "-"], input=path_or_bytes, capture_output=True, check=True
        ).stdout.decode()
    return subprocess.run(
        ["pdftotext", str(path_or_bytes), "-"], capture_output=True, check=True
    ).stdout.decode()


def pdf_info(data: bytes) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def needs_tool(name: str):
    return pytest.mark.skipif(
        shutil.which(name) is None, reason=f"{name} is not installed (make system-deps)"
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://formacion.example.org"


@pytest.fixture
def small_course(db):
    from courses.factories import course_tree

    return course_tree(modules=1, lessons=1, title="Masculinidades y cuidados", hours=12)


@pytest.fixture
def certificate(db, learner, small_course, django_capture_on_commit_callbacks):
    """A rendered (ready) certificate of `learner` for `small_course`."""
    from certificates.models import Certificate

    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, small_course)
    return Certificate.objects.get(user=learner, course=small_course)


@pytest.fixture
def manager(db, small_course):
    from lms.factories import UserFactory
    from lms.models import ProgrammeManager

    user = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=user, programme=small_course.get_programme())
    return user
