"""Community e-mails: RFC 8058 one-click unsubscribe through privacy's address, mentions that
reach only the people who may read the space, and claims that survive a crash."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services
from community.models import MessageSent, NotificationPreference, Space
from community.notifications import (
    ClaimHeld,
    digest_period_key,
    digest_send,
    hidden_notify,
    post_notify,
    preference_of,
)
from community.selectors import space_access, space_readers

pytestmark = pytest.mark.django_db
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _header_url(message) -> str:
    return _path(message.extra_headers["List-Unsubscribe"].strip("<>"))


@pytest.fixture
def mails(world, django_capture_on_commit_callbacks):
    """A reply to Luisa's thread that mentions the trainer, and a daily digest for Beatriz:
    {kind: the e-mail}."""
    services.preferences_update(user=world.b1, replies=True, mentions=True, digest="daily")
    thread = services.thread_create(user=world.a1, space=world.forum, title="Hilo", body="hola")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(user=world.a2, thread=thread, body="Gracias @facilitadora-ana-ruiz")
    digest_send(user_id=world.b1.pk, period="daily", now=timezone.now() + timedelta(days=1))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    return {
        "reply": by_recipient[world.a1.email],
        "mention": by_recipient[world.trainer.email],
        "digest": by_recipient[world.b1.email],
    }


def test_reply_mention_and_digest_carry_the_one_click_headers(mails):
    for kind, message in mails.items():
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = _header_url(message)
        assert url.startswith("/privacidad/baja/") and url.endswith("/un-clic/"), kind
        assert message.extra_headers["X-Message-Kind"] == f"community_{kind}"
        assert url in message.body  # the footer link is the same confirmation page


@pytest.mark.parametrize(
    ("kind", "field", "after"),
    [("reply", "replies", False), ("mention", "mentions", False), ("digest", "digest", "none")],
)
def test_a_one_click_post_unsubscribes_that_kind_only_and_is_idempotent(
    world, mails, kind, field, after
):
    """A mail provider POSTs the body of RFC 8058 with no cookie, no CSRF token and no login."""
    recipient = {"reply": world.a1, "mention": world.trainer, "digest": world.b1}[kind]
    before = NotificationPreference.objects.filter(user=recipient).values().first()
    provider = Client(enforce_csrf_checks=True)
    for _time in (1, 2):
        response = provider.post(_header_url(mails[kind]), ONE_CLICK)
        assert response.status_code == 200
        assert "Suscripción cancelada" in response.content.decode()
    preference = preference_of(recipient)
    assert getattr(preference, field) == after
    others = {"replies", "mentions", "digest"} - {field}
    defaults = before or {"replies": True, "mentions": True, "digest": "none"}
    assert all(getattr(preference, name) == defaults[name] for name in others)


def test_a_get_of_the_one_click_address_shows_one_button_and_unsubscribes_nothing(world, mails):
    """Link scanners open every address in a message: opening it must not unsubscribe."""
    response = Client().get(_header_url(mails["reply"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="List-Unsubscribe" value="One-Click"') == 1
    assert "¿Dejar de recibir" in html
    assert preference_of(world.a1).replies is True


def test_a_forged_token_gets_a_spanish_error_and_changes_nothing(world, mails):
    url = _header_url(mails["reply"])
    token = url.split("/")[-3]
    forged = url.replace(token, token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"))
    for response in (Client().post(forged, ONE_CLICK), Client().get(forged)):
        assert response.status_code == 400
        assert "Este enlace no funciona" in response.content.decode()
    assert preference_of(world.a1).replies is True


def test_a_post_without_the_one_click_body_changes_nothing(world, mails):
    response = Client().post(_header_url(mails["reply"]), {})
    assert response.status_code == 400
    assert "No se cambió nada" in response.content.decode()
    assert preference_of(world.a1).replies is True


def test_a_genuine_token_for_a_kind_that_cannot_be_refused_changes_nothing(world):
    """The hidden-post notice is a moderation message: no link names it, and a signed token
    that does is refused like a forged one."""
    from django.urls import reverse

    from privacy import tokens

    token = tokens.make(tokens.UNSUBSCRIBE_SALT, u=world.a1.pk, k="community_hidden")
    url = reverse("privacy:unsubscribe_one_click", args=[token])
    assert Client().post(url, ONE_CLICK).status_code == 400
    assert not NotificationPreference.objects.filter(user=world.a1).exists()


def test_the_hidden_post_notice_is_a_moderation_message_without_unsubscribe(
    world, django_capture_on_commit_callbacks
):
    thread = services.thread_create(user=world.a1, space=world.forum, title="T", body="hola")
    post = thread.posts.get()
    mail.outbox.clear()
    services.post_hide(moderator=world.manager, post=post, reason="Datos personales")
    assert hidden_notify(post_id=post.pk) is True
    notice = [m for m in mail.outbox if m.to == [world.a1.email]][0]
    assert "List-Unsubscribe" not in notice.extra_headers
    assert "Datos personales" in notice.body


def test_space_readers_agrees_with_space_access_for_every_kind_of_space(world):
    from community.models.activity import DiscussionPage
    from courses.models import ModulePage
    from courses.services import enrolment_create

    enrolment_create(user=world.a1, course=world.course, check_rules=False)
    people = [world.trainer, world.manager, world.a1, world.a2, world.b1, world.outsider]
    spaces = [world.forum, world.course_space, world.cohort_space]
    spaces.append(
        services.space_ensure(kind=Space.Kind.COHORT, cohort=world.cohort_b),
    )
    module = ModulePage.objects.descendant_of(world.course).first()
    activity = DiscussionPage(title="Debate", slug="debate", prompt="¿Qué opina?")
    module.add_child(instance=activity)
    spaces.append(services.space_ensure(kind=Space.Kind.ACTIVITY, page=activity))
    readers = {space.pk: set(space_readers(space).values_list("pk", flat=True)) for space in spaces}
    assert world.a1.pk in readers[spaces[-1].pk] and world.b1.pk not in readers[spaces[-1].pk]
    for space in spaces:
        expected = {p.pk for p in people if space_access(p, space).can_read}
        found = set(space_readers(space).filter(pk__in=[p.pk for p in people]).values_list("pk"))
        assert {pk for (pk,) in found} == expected, space


def test_a_mention_of_someone_who_cannot_read_the_space_sends_nothing(world):
    thread = services.thread_create(user=world.a1, space=world.cohort_space, title="T", body="x")
    post = services.post_create(
        user=world.a2, thread=thread, body="@persona-sin-programa y @beatriz-otra-cohorte"
    )
    mail.outbox.clear()
    post_notify(post_id=post.pk)
    assert {m.to[0] for m in mail.outbox} == {world.a1.email}  # the reply to the author only
    assert not MessageSent.objects.filter(kind="mention").exists()


def test_mentions_are_resolved_in_one_query_that_does_not_grow_with_the_site(world):
    """The people mentioned are looked for only among the space's readers, in one query."""
    from lms.factories import UserFactory

    thread = services.thread_create(user=world.a1, space=world.cohort_space, title="T", body="x")

    def queries_of_a_mention(n: int) -> int:
        UserFactory.create_batch(n, full_name="Facilitadora Ana Ruiz")  # namesakes elsewhere
        post = services.post_create(
            user=world.a1, thread=thread, body="Una pregunta, @facilitadora-ana-ruiz"
        )
        MessageSent.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert post_notify(post_id=post.pk) == 1
        user_queries = [q for q in captured if 'FROM "lms_user"' in q["sql"]]
        assert len(user_queries) == 1, [q["sql"] for q in user_queries]
        return len(captured)

    assert queries_of_a_mention(2) == queries_of_a_mention(40)


def test_a_claim_left_by_a_crash_is_taken_over_once_its_lease_has_passed(world, settings):
    settings.COMMUNITY_MESSAGE_CLAIM_SECONDS = 60
    services.preferences_update(user=world.b1, replies=True, mentions=True, digest="daily")
    services.thread_create(user=world.a1, space=world.forum, title="Novedad", body="hola")
    tomorrow = timezone.now() + timedelta(days=1)
    key, _since, _until = digest_period_key("daily", tomorrow)
    claim = MessageSent.objects.create(recipient=world.b1, kind="digest", key=key)
    mail.outbox.clear()
    with pytest.raises(ClaimHeld) as held:
        digest_send(user_id=world.b1.pk, period="daily", now=tomorrow)
    assert 1 <= held.value.retry_in <= 61 and not mail.outbox
    MessageSent.objects.filter(pk=claim.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=61)
    )
    assert digest_send(user_id=world.b1.pk, period="daily", now=tomorrow) is True
    assert digest_send(user_id=world.b1.pk, period="daily", now=tomorrow) is False
    assert len(mail.outbox) == 1
    assert MessageSent.objects.get(pk=claim.pk).sent_at is not None
