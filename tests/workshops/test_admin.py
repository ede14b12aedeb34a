"""Editing a workshop in the Wagtail admin: session times, stable ids, protected sessions."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from lms.factories import UserFactory
from workshops import services
from workshops.admin_forms import as_zone_wall_clock, reinterpret_in_zone
from workshops.factories import WorkshopSessionFactory
from workshops.models import Registration, WorkshopPage, WorkshopSession

pytestmark = pytest.mark.django_db


def session_data(session: WorkshopSession | None, **changes) -> dict:
    data = {
        "label": "",
        "start": "2030-03-12 09:30",
        "end": "2030-03-12 11:00",
        "time_zone": "America/Mexico_City",
        "online_url": "https://reuniones.example.org/admin",
        "place": "",
        "address": "",
        "capacity": "10",
        "facilitators": "",
        "registration_deadline": "",
        "cancellation_deadline": "",
    }
    if session is not None:
        data["id"] = session.pk
    data.update(changes)
    return data


def post_edit(client, page: WorkshopPage, sessions: list[dict], deleted: int | None = None):
    formset = inline_formset(sessions, initial=len([s for s in sessions if "id" in s]))
    if deleted is not None:
        formset[f"{deleted}-DELETE"] = "1"
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "kind": page.kind,
            "intro": page.intro,
            "body": rich_text(""),
            "required": "on",
            "estimated_minutes": "60",
            "sessions": formset,
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


@pytest.fixture
def admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_times_are_entered_in_the_sessions_time_zone(client, admin, workshop, session):
    response = post_edit(
        client,
        workshop,
        [
            session_data(
                session, time_zone="America/Tijuana", cancellation_deadline="2030-03-11 18:00"
            )
        ],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = WorkshopSession.objects.get(pk=session.pk)
    tijuana = ZoneInfo("America/Tijuana")
    assert saved.start == datetime(2030, 3, 12, 9, 30, tzinfo=tijuana)
    assert saved.start.astimezone(ZoneInfo("UTC")).hour == 16  # PDT, UTC-7
    assert saved.cancellation_deadline == datetime(2030, 3, 11, 18, 0, tzinfo=tijuana)


def test_the_edit_form_shows_the_local_time_of_the_session(client, admin, workshop):
    start = datetime(2030, 1, 15, 8, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    WorkshopSessionFactory(
        page=workshop, start=start, end=start.replace(hour=9), time_zone="Europe/Madrid"
    )
    html = client.get(reverse("wagtailadmin_pages:edit", args=[workshop.pk])).content.decode()
    assert "2030-01-15 08:00" in html


def test_publishing_keeps_session_ids_and_registrations(client, admin, workshop, session, enrolled):
    registration = services.registration_create(user=enrolled(), session=session)
    response = post_edit(
        client, workshop, [session_data(session, capacity="30"), session_data(None)]
    )
    assert response.status_code == 302
    assert WorkshopSession.objects.filter(page=workshop).count() == 2
    assert WorkshopSession.objects.get(pk=session.pk).capacity == 30
    assert Registration.objects.get(pk=registration.pk).session_id == session.pk


def test_a_session_with_registrations_cannot_be_removed(client, admin, workshop, session, enrolled):
    services.registration_create(user=enrolled(), session=session)
    response = post_edit(client, workshop, [session_data(session)], deleted=0)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be removed" in html or "No se puede quitar" in html
    assert WorkshopSession.objects.filter(pk=session.pk).exists()


def test_a_session_without_registrations_can_be_removed(client, admin, workshop, session):
    response = post_edit(client, workshop, [session_data(session)], deleted=0)
    assert response.status_code == 302
    assert not WorkshopSession.objects.filter(pk=session.pk).exists()


def test_a_session_needs_a_link_or_a_place_and_must_end_after_it_starts(
    client, admin, workshop, session
):
    response = post_edit(
        client, workshop, [session_data(session, online_url="", end="2030-03-12 09:00")]
    )
    assert response.status_code == 200
    assert WorkshopSession.objects.get(pk=session.pk).start == session.start


def test_deleting_a_workshop_with_registrations_is_refused_with_a_message(
    client, admin, workshop, session, enrolled
):
    services.registration_create(user=enrolled(), session=session)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[workshop.pk]))
    assert response.status_code == 302
    assert WorkshopPage.objects.filter(pk=workshop.pk).exists()


@pytest.mark.parametrize(
    ("zone", "wall"),
    [
        ("America/Mexico_City", datetime(2030, 6, 1, 10, 0)),
        ("America/Tijuana", datetime(2030, 11, 3, 1, 30)),
        ("Europe/Madrid", datetime(2030, 3, 31, 12, 0)),
    ],
)
def test_wall_clock_conversion_round_trips(zone, wall):
    from django.utils import timezone

    entered = timezone.make_aware(wall)  # what the admin form parsed, in the editor's zone
    stored = reinterpret_in_zone(entered, zone)
    assert as_zone_wall_clock(stored, zone) == wall


def test_bulk_deleting_a_module_with_registered_workshops_is_refused(
    client, admin, workshop, session, enrolled
):
    services.registration_create(user=enrolled(), session=session)
    module = workshop.get_parent()
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + f"?id={module.pk}"
    )
    response = client.post(url, {})
    assert response.status_code == 302
    assert WorkshopPage.objects.filter(pk=workshop.pk).exists()
