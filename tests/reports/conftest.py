import pytest

from courses.factories import ProgrammePageFactory, course_tree, site_home
from courses.services import cohort_course_add
from lms.factories import CohortFactory, OrganisationFactory, UserFactory
from lms.models import Organisation, ProgrammeManager
from lms.services import cohort_add_member


@pytest.fixture
def programme(db):
    return ProgrammePageFactory(parent=site_home())


@pytest.fixture
def other_programme(db):
    return ProgrammePageFactory(parent=site_home())


@pytest.fixture
def ministry(db):
    return OrganisationFactory(
        kind=Organisation.Kind.MINISTRY, name="Secretaría de Pruebas", short_name="SEPRU"
    )


@pytest.fixture
def company(db):
    return OrganisationFactory(
        kind=Organisation.Kind.COMPANY, name="Empresa de Pruebas S.A.", short_name="EMPRU"
    )


@pytest.fixture
def pcourse(programme):
    """A cohort course of the programme: 2 modules x 2 lessons."""
    return course_tree(programme=programme, mode="cohort")


@pytest.fixture
def cohort(programme, pcourse, trainer, ministry, company):
    """A cohort of three learners (two from a ministry, one from a company) in `pcourse`."""
    cohort = CohortFactory(programme=programme, trainers=[trainer], name="Cohorte Norte")
    for index, org in enumerate([ministry, ministry, company]):
        cohort_add_member(
            cohort=cohort, user=UserFactory(full_name=f"Aprendiz {index}", organisation=org)
        )
    cohort_course_add(cohort=cohort, course=pcourse)
    return cohort


@pytest.fixture
def other_trainer(db):
    return UserFactory(roles=("trainer",))


@pytest.fixture
def other_cohort(other_programme, other_trainer):
    course = course_tree(programme=other_programme, mode="cohort", modules=1, lessons=1)
    cohort = CohortFactory(programme=other_programme, trainers=[other_trainer], name="Cohorte Sur")
    cohort_add_member(cohort=cohort, user=UserFactory(full_name="Ajena Persona"))
    cohort_course_add(cohort=cohort, course=course)
    return cohort


@pytest.fixture
def manager(programme):
    user = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=user, programme=programme)
    return user


@pytest.fixture
def members(cohort):
    return list(cohort.members.order_by("full_name"))
