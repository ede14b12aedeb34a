"""Admin: enrolling a cohort in a course; which page types may live where."""

import pytest
from django.urls import reverse
from wagtail.models import Page, get_page_models

from courses.factories import course_tree
from courses.models import (
    ActivityPage,
    CohortCourse,
    CoursePage,
    Enrolment,
    HomePage,
    LessonPage,
    ModulePage,
    ProgrammePage,
)
from lms.factories import CohortFactory, UserFactory
from lms.services import cohort_add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_setup(learner, other_learner):
    course = course_tree(mode="cohort")
    cohort = CohortFactory(programme=course.get_parent())
    cohort_add_member(cohort=cohort, user=learner)
    cohort_add_member(cohort=cohort, user=other_learner)
    return cohort, course


def manager_of(course):
    from lms.models import ProgrammeManager

    manager = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=manager, programme=course.get_parent())
    return manager


def add_url():
    return reverse("wagtailsnippets_courses_cohortcourse:add")


def test_a_manager_enrols_a_whole_cohort_from_the_admin(
    client, cohort_setup, learner, other_learner
):
    cohort, course = cohort_setup
    manager = UserFactory(roles=("manager",))
    from lms.models import ProgrammeManager

    ProgrammeManager.objects.create(user=manager, programme=course.get_parent())
    client.force_login(manager)
    assert client.get(add_url()).status_code == 200
    response = client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CohortCourse.objects.filter(cohort=cohort, course=course).exists()
    assert set(Enrolment.objects.filter(course=course).values_list("user_id", flat=True)) == {
        learner.pk,
        other_learner.pk,
    }
    newcomer = UserFactory()
    cohort_add_member(cohort=cohort, user=newcomer)
    assert Enrolment.objects.filter(course=course, user=newcomer, status="active").exists()


def test_an_editor_cannot_enrol_cohorts(client, cohort_setup):
    """Editors write content; enrolling learners is the programme manager's."""
    cohort, course = cohort_setup
    client.force_login(UserFactory(roles=("editor",)))
    response = client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
    assert response.status_code in (200, 302, 403)
    assert not Enrolment.objects.filter(course=course).exists()
    assert not CohortCourse.objects.exists()


def test_a_manager_cannot_enrol_another_programmes_cohort(client, cohort_setup):
    cohort, course = cohort_setup
    manager = UserFactory(roles=("manager",))
    client.force_login(manager)
    response = client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
    assert response.status_code == 200  # the form shows the error
    assert not CohortCourse.objects.exists()
    link = CohortCourse.objects.create(cohort=cohort, course=course)
    edit = reverse("wagtailsnippets_courses_cohortcourse:edit", args=[link.pk])
    assert client.get(edit).status_code == 404
    delete = reverse("wagtailsnippets_courses_cohortcourse:delete", args=[link.pk])
    assert client.post(delete).status_code == 404
    assert CohortCourse.objects.filter(pk=link.pk).exists()
    index = client.get(reverse("wagtailsnippets_courses_cohortcourse:list"))
    assert index.status_code == 200
    assert cohort.name not in index.content.decode()


def test_the_same_cohort_and_course_twice_is_an_error_not_a_duplicate(client, cohort_setup):
    cohort, course = cohort_setup
    from lms.models import ProgrammeManager

    manager = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=manager, programme=course.get_parent())
    client.force_login(manager)
    client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
    response = client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
    assert response.status_code == 200
    assert CohortCourse.objects.count() == 1


def test_learners_and_trainers_have_no_access(client, cohort_setup, trainer):
    cohort, course = cohort_setup
    for user in (UserFactory(), trainer):
        client.force_login(user)
        response = client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
        assert response.status_code in (302, 403)
    assert not CohortCourse.objects.exists()


def test_deleting_the_link_keeps_the_enrolments(client, cohort_setup):
    cohort, course = cohort_setup
    client.force_login(manager_of(course))
    client.post(add_url(), {"cohort": cohort.pk, "course": course.pk})
    link = CohortCourse.objects.get()
    response = client.post(reverse("wagtailsnippets_courses_cohortcourse:delete", args=[link.pk]))
    assert response.status_code == 302
    assert not CohortCourse.objects.exists()
    assert Enrolment.objects.filter(course=course, status="active").count() == 2


# Parent/child rules

EXPECTED_PARENTS = {
    HomePage: {Page},
    ProgrammePage: {HomePage},
    CoursePage: {ProgrammePage},
    ModulePage: {CoursePage},
}


def course_models():
    return [HomePage, ProgrammePage, CoursePage, ModulePage, *activity_models()]


def activity_models():
    return [m for m in get_page_models() if issubclass(m, ActivityPage)]


@pytest.mark.parametrize("model", [HomePage, ProgrammePage, CoursePage, ModulePage, LessonPage])
def test_each_course_page_type_lives_only_under_its_parent_type(model):
    expected = EXPECTED_PARENTS.get(model, {ModulePage})
    allowed = {m for m in get_page_models() if model in m.allowed_subpage_models()}
    assert allowed == expected


def test_every_activity_page_type_lives_only_in_a_module():
    assert activity_models(), "at least the lesson"
    for model in activity_models():
        assert set(model.allowed_parent_page_models()) == {ModulePage}, model
        assert model.allowed_subpage_models() == [], model


def test_a_module_holds_activities_and_nothing_else():
    assert set(ModulePage.allowed_subpage_models()) == set(activity_models())
    assert LessonPage in ModulePage.allowed_subpage_models()


def test_nothing_else_may_be_created_inside_the_course_tree():
    for parent in (ProgrammePage, CoursePage, ModulePage):
        for child in parent.allowed_subpage_models():
            assert child in course_models(), (parent, child)


def test_the_home_page_holds_programmes_and_the_library_only():
    """Beside the course tree, the site has one other section: the library of practices."""
    from community.models.library import LibraryIndexPage

    assert set(HomePage.allowed_subpage_models()) - set(course_models()) == {LibraryIndexPage}


def test_a_home_page_is_allowed_once_per_parent(course):
    home = HomePage.objects.first()
    assert not HomePage.can_create_at(home.get_parent())
    assert not CoursePage.can_create_at(home)
    assert ModulePage.can_create_at(course)
    assert not LessonPage.can_create_at(course)
