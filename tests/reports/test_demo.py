import pytest

from lms.factories import UserFactory
from reports.demo import COHORT, IDLE_LEARNER, TRAINER, seed
from reports.models import ReminderLog

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_leaves_a_stuck_learner(programme, pcourse):
    from courses.models import Enrolment
    from courses.services import cohort_course_add
    from lms.factories import CohortFactory
    from lms.services import cohort_add_member

    trainer = UserFactory(email=TRAINER, roles=("trainer",))
    learner = UserFactory(email=IDLE_LEARNER)
    cohort = CohortFactory(programme=programme, name=COHORT, trainers=[trainer])
    cohort_add_member(cohort=cohort, user=learner)
    cohort_course_add(cohort=cohort, course=pcourse)
    seed(stdout=None)
    first = list(
        Enrolment.objects.filter(user=learner).values_list("enrolled_at", "last_activity_at")
    )
    seed(stdout=None)
    assert (
        list(Enrolment.objects.filter(user=learner).values_list("enrolled_at", "last_activity_at"))
        == first
    )
    assert ReminderLog.objects.filter(recipient=learner).count() == 1

    from reports.dashboard import DashboardQuery, cohort_dashboard

    rows = cohort_dashboard(cohort, pcourse, DashboardQuery(state="stuck")).rows
    assert [r.user for r in rows] == [learner]
