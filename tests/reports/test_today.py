"""Staff find their tools: a header menu on every page, and a home with today's work."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_a_trainers_home_shows_their_cohorts_and_todays_work(client, cohort, trainer, other_cohort):
    Enrolment.objects.filter(user__cohort_memberships__cohort=cohort).update(
        last_activity_at=timezone.now() - timedelta(days=30),
        enrolled_at=timezone.now() - timedelta(days=40),
    )
    client.force_login(trainer)
    html = client.get(reverse("learner_home")).content.decode()
    assert cohort.name in html and other_cohort.name not in html
    assert reverse("reports:cohort", args=[cohort.pk]) in html
    assert reverse("assessments:grading_queue") in html
    assert "3 personas no han avanzado" in html or "3 learners have not made progress" in html
    assert "No course in progress" not in html and "No tiene cursos en curso" not in html


@pytest.mark.parametrize("url_name", ["courses:catalogue", "learner_home", "profile"])
def test_the_header_reaches_every_staff_tool_from_any_page(client, cohort, trainer, url_name):
    client.force_login(trainer)
    html = client.get(reverse(url_name)).content.decode()
    header = html.split("</header>")[0]
    for target in ("reports:index", "workshops:staff_sessions", "assessments:grading_queue"):
        assert reverse(target) in header, target


def test_a_manager_reaches_certificate_management_from_the_header(client, programme):
    from lms.factories import UserFactory
    from lms.models import ProgrammeManager

    manager = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=manager, programme=programme)
    client.force_login(manager)
    header = client.get(reverse("courses:catalogue")).content.decode().split("</header>")[0]
    assert reverse("certificates:manage") in header and reverse("reports:index") in header


def test_a_learner_sees_no_staff_tools(client, learner):
    client.force_login(learner)
    header = client.get(reverse("courses:catalogue")).content.decode().split("</header>")[0]
    assert (
        reverse("reports:index") not in header
        and reverse("assessments:grading_queue") not in header
    )


def test_the_admin_asks_no_third_party_for_avatars(client):
    from lms.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "gravatar" not in client.get("/admin/").content.decode()


def test_a_role_granted_or_taken_shows_in_the_header_on_the_next_page(client, learner):
    from lms.models import ROLE_GROUP_NAMES, Role
    from lms.services import user_set_roles

    client.force_login(learner)

    def header() -> str:
        return client.get(reverse("courses:catalogue")).content.decode().split("</header>")[0]

    assert reverse("reports:index") not in header()
    user_set_roles(user=learner, roles=("trainer",))
    assert reverse("reports:index") in header()
    learner.groups.remove(*learner.groups.filter(name=ROLE_GROUP_NAMES[Role.TRAINER]))
    assert reverse("reports:index") not in header()


def test_the_header_costs_one_role_query_per_page(client, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(learner)
    client.get(reverse("courses:catalogue"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("courses:catalogue"))
    role_reads = [
        q
        for q in ctx.captured_queries
        if "auth_group" in q["sql"] or "programmemanager" in q["sql"]
    ]
    assert len(role_reads) == 1
