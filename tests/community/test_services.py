"""Posting, moderation, privacy and completion rules, through the services and selectors."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community import services
from community.exceptions import CodeNotAccepted, CommunityError
from community.models import MessageSent, Post, Report, Space, Thread
from community.selectors import moderation_queue, space_access, spaces_visible_to

pytestmark = pytest.mark.django_db


def test_posting_needs_the_code_of_participation(world):
    from lms.factories import UserFactory
    from lms.services import cohort_add_member

    newcomer = UserFactory()
    cohort_add_member(cohort=world.cohort_a, user=newcomer)
    with pytest.raises(CodeNotAccepted):
        services.thread_create(
            user=newcomer, space=world.cohort_space, title="Hola", body="Primer mensaje"
        )
    services.code_accept(user=newcomer)
    assert services.thread_create(
        user=newcomer, space=world.cohort_space, title="Hola", body="Primer mensaje"
    ).pk


def test_cohort_space_is_private_to_members_and_trainers(world):
    space = world.cohort_space
    assert space_access(world.a1, space).can_read
    assert space_access(world.trainer, space).can_moderate
    assert space_access(world.manager, space).can_moderate
    assert not space_access(world.b1, space).can_read
    assert not space_access(world.outsider, space).can_read
    with pytest.raises(CommunityError):
        services.thread_create(user=world.b1, space=space, title="Intruso", body="No debería poder")


def test_programme_forum_is_open_to_every_learner_of_the_programme(world):
    assert space_access(world.b1, world.forum).can_post
    assert not space_access(world.b1, world.forum).can_moderate
    assert space_access(world.manager, world.forum).can_moderate
    assert not space_access(world.trainer, world.forum).can_moderate
    assert not space_access(world.outsider, world.forum).can_read
    assert world.forum in [s for s, _a in spaces_visible_to(world.b1)]


def test_course_space_is_for_enrolled_learners_and_the_trainers_of_cohorts_taking_it(world):
    assert space_access(world.a1, world.course_space).can_read
    assert space_access(world.trainer, world.course_space).can_moderate
    assert not space_access(world.b1, world.course_space).can_read


def test_body_is_sanitised_and_anonymous_only_where_allowed(world):
    thread = services.thread_create(
        user=world.a1,
        space=world.cohort_space,
        title="T",
        body="<script>x</script>hola",
        anonymous=True,
    )
    post = thread.posts.get()
    assert post.body == "<p>hola</p>" and not post.is_anonymous
    anonymous = services.thread_create(
        user=world.a1, space=world.forum, title="T", body="hola", anonymous=True
    )
    assert anonymous.is_anonymous and anonymous.posts.get().is_anonymous


def test_posting_is_rate_limited_per_person(world):
    thread = services.thread_create(user=world.a1, space=world.forum, title="T", body="uno")
    for n in range(4):
        services.post_create(user=world.a1, thread=thread, body=f"mensaje {n}")
    with pytest.raises(CommunityError, match="quickly|rápido"):
        services.post_create(user=world.a1, thread=thread, body="uno más")
    services.post_create(user=world.a2, thread=thread, body="otra persona sí puede")


def test_edit_only_within_the_window(world):
    thread = services.thread_create(user=world.a1, space=world.forum, title="T", body="uno")
    post = thread.posts.get()
    services.post_edit(user=world.a1, post=post, body="corregido")
    assert post.edited_at
    with pytest.raises(CommunityError):
        services.post_edit(user=world.a2, post=post, body="ajeno")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=1))
    post.refresh_from_db()
    with pytest.raises(CommunityError):
        services.post_edit(user=world.a1, post=post, body="tarde")


def test_report_hide_restore_and_the_author_is_told_why(world, django_capture_on_commit_callbacks):
    thread = services.thread_create(user=world.a1, space=world.cohort_space, title="T", body="hola")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_create(user=world.a2, thread=thread, body="algo ofensivo")
    services.post_report(user=world.a1, post=reply, reason="ofensivo")
    services.post_report(user=world.a1, post=reply, reason="otra vez")
    assert Report.objects.filter(post=reply).count() == 1
    assert list(moderation_queue(world.trainer)) == [reply]
    assert list(moderation_queue(world.a1)) == []
    with pytest.raises(CommunityError):
        services.post_hide(moderator=world.a1, post=reply, reason="no soy moderadora")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(moderator=world.trainer, post=reply, reason="Lenguaje que descalifica")
    assert list(moderation_queue(world.trainer)) == []
    assert [m.to for m in mail.outbox] == [[world.a2.email]]
    assert "Lenguaje que descalifica" in mail.outbox[0].body
    services.post_restore(moderator=world.trainer, post=reply)
    reply.refresh_from_db()
    assert not reply.is_hidden


def test_pin_and_lock_are_for_moderators(world):
    thread = services.thread_create(user=world.a1, space=world.cohort_space, title="T", body="hola")
    services.thread_set_flags(moderator=world.trainer, thread=thread, pinned=True, locked=True)
    with pytest.raises(CommunityError, match="closed|cerrado"):
        services.post_create(user=world.a2, thread=thread, body="tarde")
    services.post_create(user=world.trainer, thread=thread, body="la moderación sí responde")


def test_reply_and_mention_emails_go_once(world, django_capture_on_commit_callbacks):
    from community.notifications import post_notify

    thread = services.thread_create(user=world.a1, space=world.cohort_space, title="T", body="hola")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_create(
            user=world.a2, thread=thread, body="Hola @facilitadora-ana-ruiz y @beatriz-otra-cohorte"
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    # The author hears of the reply; the trainer of the mention; Beatriz cannot read the space.
    assert recipients == sorted([world.a1.email, world.trainer.email])
    assert all(m.extra_headers["List-Unsubscribe"].startswith("<http") for m in mail.outbox)
    assert post_notify(post_id=reply.pk) == 0
    assert MessageSent.objects.count() == 2


def test_digest_is_sent_once_per_period(world):
    from community.notifications import digest_send

    services.preferences_update(user=world.b1, replies=True, mentions=True, digest="daily")
    thread = services.thread_create(user=world.a1, space=world.forum, title="Novedad", body="hola")
    tomorrow = timezone.now() + timedelta(days=1)
    mail.outbox.clear()
    assert digest_send(user_id=world.b1.pk, period="daily", now=tomorrow) is True
    assert digest_send(user_id=world.b1.pk, period="daily", now=tomorrow) is False
    assert len(mail.outbox) == 1 and thread.title in mail.outbox[0].body
    assert MessageSent.objects.filter(recipient=world.b1, kind="digest").count() == 1


def test_digest_task_sends_once_even_when_queued_twice(world, django_capture_on_commit_callbacks):
    from community.tasks import send_digests

    services.preferences_update(user=world.b1, replies=True, mentions=True, digest="weekly")
    thread = services.thread_create(user=world.a1, space=world.forum, title="Semana", body="hola")
    Thread.objects.filter(pk=thread.pk).update(last_post_at=timezone.now() - timedelta(days=7))
    Post.objects.filter(thread=thread).update(created_at=timezone.now() - timedelta(days=7))
    mail.outbox.clear()
    send_digests.delay("weekly")
    send_digests.delay("weekly")
    assert len(mail.outbox) == 1


def _png() -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_attachments_follow_the_upload_rules(world):
    image = SimpleUploadedFile("foto.png", _png(), content_type="image/png")
    thread = services.thread_create(
        user=world.a1, space=world.forum, title="Con foto", body="mire", attachment=image
    )
    post = thread.posts.get()
    assert post.is_image and post.attachment_type == "png"
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(CommunityError):
        services.thread_create(
            user=world.a2, space=world.forum, title="Falso", body="x", attachment=fake
        )
    assert Thread.objects.filter(title="Falso").count() == 0


def test_discussion_activity_completes_by_its_rule(world):
    from community.models import DiscussionPage
    from courses.models import ActivityProgress, ModulePage
    from courses.services import enrolment_create

    module = ModulePage.objects.descendant_of(world.course).first()
    page = DiscussionPage(
        title="Conversatorio",
        slug="conversatorio",
        prompt="¿Qué opina?",
        threads_required=1,
        replies_required=2,
    )
    module.add_child(instance=page)
    page.save_revision().publish()
    space = Space.objects.get(kind=Space.Kind.ACTIVITY, page=page)
    for user in (world.a1, world.a2, world.trainer):
        enrolment_create(user=user, course=world.course, check_rules=False)
    mine = services.thread_create(user=world.a1, space=space, title="Mío", body="uno")
    services.post_create(user=world.a1, thread=mine, body="me respondo (no cuenta)")
    peer1 = services.thread_create(user=world.a2, space=space, title="De Pedro", body="dos")
    peer2 = services.thread_create(
        user=world.trainer, space=space, title="De la facilitadora", body="tres"
    )
    services.post_create(user=world.a1, thread=peer1, body="respuesta 1")
    assert not ActivityProgress.objects.filter(
        user=world.a1, activity_id=page.pk, state="complete"
    ).exists()
    services.post_create(user=world.a1, thread=peer2, body="respuesta 2")
    assert ActivityProgress.objects.get(user=world.a1, activity_id=page.pk).state == "complete"


def test_a_new_cohort_and_a_published_course_get_their_spaces(world):
    from courses.factories import CoursePageFactory
    from lms.factories import CohortFactory

    cohort = CohortFactory(programme=world.programme)
    assert Space.objects.filter(kind=Space.Kind.COHORT, cohort=cohort).exists()
    course = CoursePageFactory(parent=world.programme, live=False)
    course.save_revision().publish()
    assert Space.objects.filter(kind=Space.Kind.COURSE, page=course).exists()


def test_a_lesson_links_to_a_practice(world, client):
    """Library pages are Wagtail pages: a lesson's rich text links to them like to any page."""
    from community.models import LibraryIndexPage, PracticePage
    from courses.factories import LessonPageFactory, site_home
    from courses.models import ModulePage

    index = LibraryIndexPage(title="Biblioteca", slug="biblioteca")
    site_home().add_child(instance=index)
    practice = PracticePage(
        title="Radio maya",
        slug="radio-maya",
        organisation_name="OSC",
        summary="s",
        approach="<p>a</p>",
    )
    index.add_child(instance=practice)
    module = ModulePage.objects.descendant_of(world.course).first()
    lesson = LessonPageFactory(
        parent=module,
        body=[("text", f'<p>Vea <a linktype="page" id="{practice.pk}">la práctica</a>.</p>')],
    )
    assert f'href="{practice.url}"' in client.get(lesson.url).content.decode()


def test_editors_may_manage_spaces_themes_and_profiles(db):
    from community.handlers import grant_permissions
    from lms.factories import UserFactory

    grant_permissions(sender=None)
    editor = UserFactory(roles=("editor",))
    assert editor.has_perm("community.change_space") and editor.has_perm("community.add_theme")
