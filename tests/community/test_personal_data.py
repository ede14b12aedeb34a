"""The community registers a person's data with the privacy app: in the ZIP, and erased."""

import pytest

from community import services
from community.models import MessageSent, NotificationPreference, Post, Report, Thread
from privacy.erasure import user_erase
from privacy.registry import data_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(world):
    thread = services.thread_create(
        user=world.a1, space=world.forum, title="Mi historia", body="Algo muy personal"
    )
    reply = services.post_create(user=world.a2, thread=thread, body="Gracias por contarlo")
    services.post_report(user=world.a1, post=reply, reason="Prueba")
    services.preferences_update(user=world.a1, replies=False, mentions=True, digest="weekly")
    return thread, reply


def test_the_data_access_zip_lists_threads_messages_reports_and_choices(world, conversation):
    sections = {s.name: s.rows for s in data_sections(world.a1)}
    assert [r["title"] for r in sections["community_threads"]] == ["Mi historia"]
    assert "Algo muy personal" in sections["community_messages"][0]["message"]
    assert [r["reason"] for r in sections["community_reports"]] == ["Prueba"]
    assert sections["community_email_choices"] == [
        {"replies": False, "mentions": True, "digest": "weekly"}
    ]


def test_erasure_removes_what_the_person_wrote_and_keeps_the_replies_of_others(world, conversation):
    thread, reply = conversation
    counts = user_erase(user_id=world.a1.pk)
    assert counts["community_messages"] == 1 and counts["community_reports"] == 1
    first = Post.objects.filter(thread=thread).order_by("pk").first()
    assert "Algo muy personal" not in first.body and first.is_anonymous
    assert Thread.objects.get(pk=thread.pk).title != "Mi historia"
    assert Post.objects.get(pk=reply.pk).body == reply.body
    assert not Report.objects.filter(reporter=world.a1).exists()
    assert not NotificationPreference.objects.filter(user=world.a1).exists()
    assert not MessageSent.objects.filter(recipient=world.a1).exists()
