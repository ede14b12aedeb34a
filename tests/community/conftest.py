import pytest


@pytest.fixture
def world(db):
    """A programme with an open course, two cohorts (A: two learners and a trainer; B: one
    learner), a manager, and the programme, course and cohort spaces."""
    from types import SimpleNamespace

    from community.models import Space
    from community.services import code_accept, space_ensure
    from courses.factories import course_tree
    from courses.services import cohort_course_add
    from lms.factories import CohortFactory, UserFactory
    from lms.models import ProgrammeManager
    from lms.services import cohort_add_member

    course = course_tree(modules=1, lessons=1)
    programme = course.get_programme()
    trainer = UserFactory(roles=("trainer",), full_name="Facilitadora Ana Ruiz")
    manager = UserFactory(roles=("manager",), full_name="Coordinadora Eva Paz")
    ProgrammeManager.objects.create(user=manager, programme=programme)
    a1 = UserFactory(full_name="Luisa Fernanda Gómez")
    a2 = UserFactory(full_name="Pedro Ñuñez Ku'uyoc")
    b1 = UserFactory(full_name="Beatriz Otra Cohorte")
    outsider = UserFactory(full_name="Persona Sin Programa")
    cohort_a = CohortFactory(programme=programme, trainers=[trainer])
    cohort_b = CohortFactory(programme=programme)
    for user in (a1, a2):
        cohort_add_member(cohort=cohort_a, user=user)
    cohort_add_member(cohort=cohort_b, user=b1)
    cohort_course_add(cohort=cohort_a, course=course)
    for user in (a1, a2, b1, trainer, manager):
        code_accept(user=user)
    return SimpleNamespace(
        course=course,
        programme=programme,
        trainer=trainer,
        manager=manager,
        a1=a1,
        a2=a2,
        b1=b1,
        outsider=outsider,
        cohort_a=cohort_a,
        cohort_b=cohort_b,
        forum=space_ensure(kind=Space.Kind.PROGRAMME, page=programme, allow_anonymous=True),
        course_space=space_ensure(kind=Space.Kind.COURSE, page=course),
        cohort_space=space_ensure(kind=Space.Kind.COHORT, cohort=cohort_a),
    )
