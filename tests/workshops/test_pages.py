"""The workshop page and the learner home, seen by different people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.factories import UserFactory
from workshops import services
from workshops.factories import WorkshopSessionFactory
from workshops.models import Registration

pytestmark = pytest.mark.django_db


def test_a_learner_never_sees_another_sessions_link(client, workshop, session, enrolled):
    other = WorkshopSessionFactory(
        page=workshop, online_url="https://reuniones.example.org/sala-secreta"
    )
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    client.force_login(learner)
    html = client.get(workshop.url).content.decode()
    assert session.online_url in html
    assert other.online_url not in html
    home = client.get(reverse("learner_home")).content.decode()
    assert other.online_url not in home
    feed = client.get(
        reverse("workshops:calendar_feed", args=[learner.calendar_token])
    ).content.decode()
    assert other.online_url not in feed
    assert client.get(reverse("workshops:session_ics", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "not enrolled", "enrolled", "waitlisted"])
def test_the_link_is_hidden_from_people_without_a_confirmed_seat(client, workshop, enrolled, who):
    session = WorkshopSessionFactory(page=workshop, capacity=1)
    services.registration_create(user=enrolled(), session=session)
    if who == "not enrolled":
        client.force_login(UserFactory())
    elif who == "enrolled":
        client.force_login(enrolled())
    elif who == "waitlisted":
        waiting = enrolled()
        services.registration_create(user=waiting, session=session)
        client.force_login(waiting)
    html = client.get(workshop.url).content.decode()
    assert session.online_url not in html


def test_the_page_offers_registration_then_cancellation(client, workshop, session, enrolled):
    learner = enrolled()
    client.force_login(learner)
    html = client.get(workshop.url).content.decode()
    assert reverse("workshops:register", args=[session.pk]) in html
    client.post(reverse("workshops:register", args=[session.pk]))
    html = client.get(workshop.url).content.decode()
    assert reverse("workshops:cancel", args=[session.pk]) in html
    client.post(reverse("workshops:cancel", args=[session.pk]))
    assert Registration.objects.get(user=learner).status == "cancelled"


def test_a_refused_registration_shows_a_message_and_changes_nothing(
    client, workshop, session, learner
):
    client.force_login(learner)
    response = client.post(reverse("workshops:register", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_urls_need_post_and_a_live_session(client, workshop, session, enrolled):
    client.force_login(enrolled())
    assert client.get(reverse("workshops:register", args=[session.pk])).status_code == 405
    assert client.post(reverse("workshops:register", args=[99999])).status_code == 404
    workshop.unpublish()
    assert client.post(reverse("workshops:register", args=[session.pk])).status_code == 404


def test_the_page_shows_times_in_the_sessions_time_zone(client, workshop, enrolled):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2030, 3, 12, 9, 30, tzinfo=ZoneInfo("America/Tijuana"))
    WorkshopSessionFactory(
        page=workshop, start=start, end=start + timedelta(hours=1), time_zone="America/Tijuana"
    )
    client.force_login(enrolled())
    html = client.get(workshop.url).content.decode()
    assert "09:30–10:30" in html
    assert "Tijuana" in html


def test_the_learner_home_lists_upcoming_registrations(client, workshop, session, enrolled):
    learner = enrolled()
    client.force_login(learner)
    assert (
        workshop.title in client.get(reverse("learner_home")).content.decode()
    )  # open to register
    services.registration_create(user=learner, session=session)
    html = client.get(reverse("learner_home")).content.decode()
    assert reverse("workshops:session_ics", args=[session.pk]) in html
    assert session.online_url in html


def test_past_sessions_leave_the_home_panel(client, workshop, enrolled):
    learner = enrolled()
    start = timezone.now() + timedelta(hours=3)
    session = WorkshopSessionFactory(page=workshop, start=start, end=start + timedelta(hours=1))
    services.registration_create(user=learner, session=session)
    from workshops.selectors import upcoming_registrations

    assert list(upcoming_registrations(learner)) == [session.registrations.get()]
    assert list(upcoming_registrations(learner, now=start + timedelta(hours=2))) == []


def test_the_guidance_page_names_the_organisation_holding_a_slot(client, guidance, enrolled):
    from lms.factories import OrganisationFactory

    slot = guidance.sessions.order_by("start").first()
    company = OrganisationFactory(name="Minera del Pacífico S.A.", short_name="Minera del Pacífico")
    services.registration_create(user=enrolled(organisation=company), session=slot)
    client.force_login(enrolled(organisation=OrganisationFactory()))
    html = client.get(guidance.url).content.decode()
    assert "Minera del Pacífico" in html
    assert html.count('action="/talleres/sesiones/') == 1  # only the free slot can be booked


def test_an_organisation_holding_a_slot_is_not_offered_another(client, guidance, enrolled):
    from lms.factories import OrganisationFactory

    slot, other = guidance.sessions.order_by("start")
    company = OrganisationFactory()
    services.registration_create(user=enrolled(organisation=company), session=slot)
    client.force_login(enrolled(organisation=company))
    html = client.get(guidance.url).content.decode()
    assert reverse("workshops:register", args=[slot.pk]) in html
    assert reverse("workshops:register", args=[other.pk]) not in html
