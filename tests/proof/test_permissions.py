"""The permission model, rule by rule: a trainer in a course other cohorts share, editors, and a
programme manager in the Wagtail admin's cohort editor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.factories import ProgrammePageFactory, course_tree, site_home
from courses.services import cohort_course_add
from lms.factories import CohortFactory, UserFactory
from lms.models import Cohort, ProgrammeManager
from lms.services import cohort_add_member
from workshops import services as workshop_services
from workshops.factories import WorkshopSessionFactory, workshop_in_course
from workshops.models import Registration

from .test_idor import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    """One cohort-only course taken by two cohorts, each with its own trainer and learner, both
    registered for one running session of the course's workshop."""
    course = course_tree(mode="cohort")
    programme = course.get_parent()
    people = {}
    for tag in ("a", "b"):
        trainer = UserFactory(roles=("trainer",), full_name=f"Facilitadora {tag.upper()}")
        learner = UserFactory(
            full_name=f"Aprendiz Del Grupo {tag.upper()}", email=f"grupo-{tag}@example.org"
        )
        cohort = CohortFactory(programme=programme, trainers=[trainer])
        cohort_add_member(cohort=cohort, user=learner)
        cohort_course_add(cohort=cohort, course=course)
        people[tag] = {"trainer": trainer, "learner": learner, "cohort": cohort}
    workshop = workshop_in_course(course, capacity=10)
    start = timezone.now() - timedelta(minutes=10)
    session = WorkshopSessionFactory(
        page=workshop, start=start, end=start + timedelta(hours=2), capacity=10
    )
    for tag in ("a", "b"):
        workshop_services.registration_create(
            user=people[tag]["learner"], session=session, now=start - timedelta(days=1)
        )
    return course, session, people


def staff_urls(session) -> dict[str, str]:
    return {
        name: reverse(f"workshops:{name}", args=[session.pk])
        for name in ("attendance", "attendance_csv", "signin_sheet", "checkin_display")
    }


def test_a_trainer_sees_only_her_own_cohort_in_a_shared_course(client, shared):
    """Attendance form, roster CSV and sign-in sheet list cohort A's learner, never cohort B's."""
    _course, session, people = shared
    client.force_login(people["a"]["trainer"])
    for name, url in staff_urls(session).items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = text_of(response)
        assert "Aprendiz Del Grupo B" not in body and "grupo-b@example.org" not in body, name
        if name != "checkin_display":
            assert "Aprendiz Del Grupo A" in body or "grupo-a@example.org" in body, name


def test_a_trainer_cannot_mark_another_cohorts_learner_present(client, shared):
    _course, session, people = shared
    other = Registration.objects.get(session=session, user=people["b"]["learner"])
    mine = Registration.objects.get(session=session, user=people["a"]["learner"])
    client.force_login(people["a"]["trainer"])
    client.post(
        staff_urls(session)["attendance"], {f"r{other.pk}": "attended", f"r{mine.pk}": "attended"}
    )
    workshop_services.attendance_record(
        session=session, marks={other.pk: "attended"}, marked_by=people["a"]["trainer"]
    )
    other.refresh_from_db()
    mine.refresh_from_db()
    assert other.attendance != Registration.Attendance.ATTENDED
    assert mine.attendance == Registration.Attendance.ATTENDED


def test_the_check_in_code_is_for_trainers_with_learners_in_the_session(client, shared):
    course, session, people = shared
    stranger = UserFactory(roles=("trainer",))
    cohort = CohortFactory(programme=course.get_parent(), trainers=[stranger])
    cohort_course_add(cohort=cohort, course=course)
    client.force_login(stranger)
    assert client.get(staff_urls(session)["checkin_display"]).status_code == 404


def test_an_editor_gets_no_learner_data(client, shared):
    """Rosters, CSVs, sign-in sheets, check-in codes, the sessions list: 404 for an editor."""
    _course, session, people = shared
    editor = UserFactory(roles=("editor",))
    client.force_login(editor)
    for name, url in staff_urls(session).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("workshops:staff_sessions")).status_code == 404
    workshop_services.attendance_record(
        session=session,
        marks={r.pk: "attended" for r in Registration.objects.filter(session=session)},
        marked_by=editor,
    )
    assert not Registration.objects.filter(
        session=session, attendance=Registration.Attendance.ATTENDED
    ).exists()


def test_an_editor_and_trainer_sees_her_cohort(client, shared):
    """A second role grants what it grants: an editor who also trains cohort A sees cohort A."""
    _course, session, people = shared
    people["a"]["trainer"].groups.add(*UserFactory(roles=("editor",)).groups.all())
    client.force_login(people["a"]["trainer"])
    assert "Aprendiz Del Grupo A" in text_of(client.get(staff_urls(session)["attendance_csv"]))


# ---------------------------------------------------------------- the admin's cohort editor


@pytest.fixture
def two_programmes():
    home = site_home()
    ours, theirs = (
        ProgrammePageFactory(parent=home, title="Nuestro"),
        ProgrammePageFactory(parent=home, title="Ajeno"),
    )
    manager = UserFactory(roles=("manager",), full_name="Coordinadora Nuestra")
    ProgrammeManager.objects.create(user=manager, programme=ours)
    their_learner = UserFactory(full_name="Aprendiz Del Otro Programa")
    their_cohort = CohortFactory(programme=theirs, name="Cohorte ajena")
    cohort_add_member(cohort=their_cohort, user=their_learner)
    our_cohort = CohortFactory(programme=ours, name="Cohorte nuestra")
    return manager, ours, theirs, our_cohort, their_cohort, their_learner


def cohort_form(programme_id, trainers=(), members=()) -> dict:
    data = {
        "name": "Cohorte",
        "programme": programme_id,
        "trainers": list(trainers),
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        data[f"memberships-{index}-user"] = member
        data[f"memberships-{index}-ORDER"] = index
    return data


def test_a_manager_cannot_open_or_change_another_programmes_cohort(client, two_programmes):
    manager, ours, _theirs, _our_cohort, their_cohort, _learner = two_programmes
    client.force_login(manager)
    for view in ("edit", "delete", "history", "usage", "copy"):
        url = reverse(f"wagtailsnippets_lms_cohort:{view}", args=[their_cohort.pk])
        assert client.get(url).status_code == 404, view
    edit = reverse("wagtailsnippets_lms_cohort:edit", args=[their_cohort.pk])
    assert (
        client.post(edit, cohort_form(their_cohort.programme_id, trainers=[manager.pk])).status_code
        == 404
    )
    assert not their_cohort.trainers.exists()
    listing = client.get(reverse("wagtailsnippets_lms_cohort:list")).content.decode()
    assert "Cohorte nuestra" in listing and "Cohorte ajena" not in listing
    chooser = client.get(reverse("wagtailsnippetchoosers_lms_cohort:choose")).content.decode()
    assert "Cohorte nuestra" in chooser and "Cohorte ajena" not in chooser
    assert (
        client.get(
            reverse("wagtailsnippetchoosers_lms_cohort:chosen", args=[their_cohort.pk])
        ).status_code
        == 404
    )


def test_the_cohort_form_offers_and_accepts_only_the_managers_programme_and_people(
    client, two_programmes
):
    manager, ours, theirs, _our_cohort, _their_cohort, their_learner = two_programmes
    client.force_login(manager)
    add = reverse("wagtailsnippets_lms_cohort:add")
    page = client.get(add).content.decode()
    assert "Aprendiz Del Otro Programa" not in page
    assert f'value="{theirs.pk}"' not in page
    client.post(add, cohort_form(theirs.pk))
    assert not Cohort.objects.filter(programme=theirs, name="Cohorte").exists()
    client.post(add, cohort_form(ours.pk, trainers=[manager.pk]))  # a manager is no trainer
    client.post(add, cohort_form(ours.pk, members=[their_learner.pk]))
    assert not Cohort.objects.filter(name="Cohorte", memberships__user=their_learner).exists()
    assert not Cohort.objects.filter(name="Cohorte", trainers=manager).exists()
    trainer = UserFactory(roles=("trainer",))
    newcomer = UserFactory()
    response = client.post(add, cohort_form(ours.pk, trainers=[trainer.pk], members=[newcomer.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Cohort.objects.get(name="Cohorte")
    assert created.programme_id == ours.pk and list(created.trainers.all()) == [trainer]
    assert list(created.members.all()) == [newcomer]
