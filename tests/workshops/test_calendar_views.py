from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from lms.services import user_reset_calendar_token
from workshops import services
from workshops.factories import WorkshopSessionFactory
from workshops.models import WorkshopPage

pytestmark = pytest.mark.django_db


def events(body: bytes):
    return Calendar.from_ical(body).walk("VEVENT")


def test_the_session_ics_parses_back_with_its_link_for_a_confirmed_learner(
    client, session, enrolled
):
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    client.force_login(learner)
    response = client.get(reverse("workshops:session_ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = events(response.content)
    assert event.decoded("DTSTART") == session.start
    assert event.decoded("DTEND") == session.end
    assert event["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert session.online_url in str(event["DESCRIPTION"]) + str(event["LOCATION"])
    assert str(event["UID"]).startswith(f"workshop-session-{session.pk}@")


def test_a_waitlisted_learner_gets_a_tentative_event_without_the_link(client, workshop, enrolled):
    session = WorkshopSessionFactory(page=workshop, capacity=1)
    services.registration_create(user=enrolled(), session=session)
    waiting = enrolled()
    services.registration_create(user=waiting, session=session)
    client.force_login(waiting)
    response = client.get(reverse("workshops:session_ics", args=[session.pk]))
    (event,) = events(response.content)
    assert str(event["STATUS"]) == "TENTATIVE"
    assert session.online_url.encode() not in response.content


def test_the_session_ics_is_not_found_for_someone_not_registered(client, session, enrolled):
    client.force_login(enrolled())
    assert client.get(reverse("workshops:session_ics", args=[session.pk])).status_code == 404


def test_the_private_feed_lists_each_registration_with_a_stable_uid(
    client, course, session, enrolled
):
    from workshops.factories import workshop_in_course

    learner = enrolled()
    second = workshop_in_course(course).sessions.get()
    services.registration_create(user=learner, session=session)
    services.registration_create(user=learner, session=second)
    url = reverse("workshops:calendar_feed", args=[learner.calendar_token])
    first_uids = sorted(str(e["UID"]) for e in events(client.get(url).content))
    second_uids = sorted(str(e["UID"]) for e in events(client.get(url).content))
    assert len(first_uids) == 2
    assert first_uids == second_uids


def test_moving_a_session_bumps_the_event_sequence_and_keeps_the_uid(
    client, workshop, session, enrolled
):
    learner = enrolled()
    services.registration_create(user=learner, session=session)
    url = reverse("workshops:calendar_feed", args=[learner.calendar_token])
    (before,) = events(client.get(url).content)
    page = WorkshopPage.objects.get(pk=workshop.pk)
    sessions = list(page.sessions.all())
    sessions[0].start += timedelta(hours=1)
    sessions[0].end += timedelta(hours=1)
    page.sessions = sessions
    page.save_revision().publish()
    (after,) = events(client.get(url).content)
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(hours=1)


def test_the_feed_stops_working_once_the_token_is_reset(client, session, enrolled):
    learner = enrolled()
    old = reverse("workshops:calendar_feed", args=[learner.calendar_token])
    user_reset_calendar_token(user=learner)
    assert client.get(old).status_code == 404
    assert (
        client.get(reverse("workshops:calendar_feed", args=[learner.calendar_token])).status_code
        == 200
    )


def test_the_calendar_page_resets_the_token_on_post(client, enrolled):
    learner = enrolled()
    old = learner.calendar_token
    client.force_login(learner)
    assert old in client.get(reverse("workshops:calendar")).content.decode()
    client.post(reverse("workshops:calendar_reset"))
    learner.refresh_from_db()
    assert learner.calendar_token != old


def test_the_profile_links_to_the_calendar_page(client, enrolled):
    client.force_login(enrolled())
    assert reverse("workshops:calendar") in client.get(reverse("profile")).content.decode()
