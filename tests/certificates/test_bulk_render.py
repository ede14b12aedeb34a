"""Certificates issued in bulk: one insert per chunk, renders queued as groups, each group
rendered certificate by certificate with the same guarantees as a single render."""

from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from certificates import services, tasks
from certificates.models import Certificate
from certificates.services.issuing import RENDER_BATCH
from courses.models import Enrolment
from lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(small_course):
    """Twenty learners who completed the course, with no certificate yet."""
    from django.utils import timezone

    users = [UserFactory() for _ in range(20)]
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=u, course=small_course, completed_at=timezone.now(), progress_percent=100
            )
            for u in users
        ]
    )
    return users


def test_issuing_in_bulk_costs_a_few_queries_whatever_the_number(
    small_course, completed, django_assert_max_num_queries
):
    with (
        mock.patch.object(tasks.render_certificates, "delay"),
        mock.patch.object(tasks.render_certificate, "delay"),
        django_assert_max_num_queries(10),
    ):
        assert services.certificate_issue_missing(course=small_course) == 20
    assert Certificate.objects.filter(course=small_course).count() == 20
    assert set(Certificate.objects.values_list("user", flat=True)) == {u.pk for u in completed}
    assert Certificate.objects.values("code").distinct().count() == 20


def test_bulk_issue_queues_groups_after_commit_and_records_when(
    small_course, completed, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.render_certificates, "delay") as group,
        mock.patch.object(tasks.render_certificate, "delay") as single,
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.certificate_issue_missing(course=small_course)
        group.assert_not_called()
        for callback in callbacks:
            callback()
    ids = sorted(Certificate.objects.values_list("pk", flat=True))
    sent = [call.args[0] for call in group.call_args_list] + [
        [call.args[0]] for call in single.call_args_list
    ]
    assert sorted(i for g in sent for i in g) == ids
    assert max(len(g) for g in sent) == RENDER_BATCH
    assert not Certificate.objects.filter(queued_at__isnull=True).exists()


def test_a_broker_that_refuses_leaves_the_group_to_the_sweep(
    small_course, completed, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            tasks.render_certificates, "delay", side_effect=ConnectionError("redis down")
        ),
        mock.patch.object(
            tasks.render_certificate, "delay", side_effect=ConnectionError("redis down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert (
            services.certificate_issue_missing(course=small_course) == 20
        )  # issuing itself succeeds
    assert (
        Certificate.objects.filter(state=Certificate.State.PENDING, queued_at__isnull=True).count()
        == 20
    )


def test_issuing_skips_learners_who_got_a_certificate_meanwhile(
    small_course, completed, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.render_certificate, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.certificate_issue(user=completed[0], course=small_course)
    with (
        mock.patch.object(tasks.render_certificates, "delay"),
        mock.patch.object(tasks.render_certificate, "delay"),
    ):
        assert services.certificate_issue_missing(course=small_course) == 19
        assert services.certificate_issue_missing(course=small_course) == 0
    assert Certificate.objects.count() == 20


def test_a_code_drawn_twice_gets_a_new_one_and_nobody_is_left_out(small_course, completed):
    from certificates.codes import ALPHABET
    from certificates.services import issuing

    codes = iter(
        ["AAAAA22222"] * 2 + [f"BBBBB{ALPHABET[n // 30]}{ALPHABET[n % 30]}222" for n in range(40)]
    )
    with (
        mock.patch.object(issuing, "generate_code", lambda: next(codes)),
        mock.patch.object(tasks.render_certificates, "delay"),
        mock.patch.object(tasks.render_certificate, "delay"),
    ):
        assert services.certificate_issue_missing(course=small_course) == 20
    assert Certificate.objects.count() == 20


def test_a_group_renders_each_certificate_and_emails_each_learner_once(
    small_course, completed, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.render_certificates, "delay"):
        services.certificate_issue_missing(course=small_course)
    ids = sorted(Certificate.objects.values_list("pk", flat=True))[:RENDER_BATCH]
    assert tasks.render_certificates.apply(args=[ids]).get() == RENDER_BATCH
    assert tasks.render_certificates.apply(args=[ids]).get() == 0  # delivered again: nothing twice
    ready = Certificate.objects.filter(pk__in=ids, state=Certificate.State.READY)
    assert ready.count() == RENDER_BATCH and all(c.pdf and c.emailed_at for c in ready)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.user.email for c in ready)


class CountingBackend(EmailBackend):
    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return True


def test_a_group_shares_one_mail_connection(small_course, completed, settings):
    settings.EMAIL_BACKEND = "tests.certificates.test_bulk_render.CountingBackend"
    CountingBackend.opened = 0
    with mock.patch.object(tasks.render_certificates, "delay"):
        services.certificate_issue_missing(course=small_course)
    ids = sorted(Certificate.objects.values_list("pk", flat=True))[:4]
    tasks.render_certificates.apply(args=[ids]).get()
    assert CountingBackend.opened == 1
    assert len(mail.outbox) == 4


def test_one_certificate_failing_does_not_stop_its_group(small_course, completed, settings):
    """A transient error sends that certificate to a retrying task of its own; a permanent one
    marks it failed; the rest of the group renders."""
    from django.core.files.storage import default_storage

    with mock.patch.object(tasks.render_certificates, "delay"):
        services.certificate_issue_missing(course=small_course)
    ids = sorted(Certificate.objects.values_list("pk", flat=True))[:4]
    flaky, broken = ids[1], ids[2]
    real_save, failed_once = default_storage.save, []

    def save(name, content, **kwargs):
        code = Certificate.objects.get(pk=flaky).code
        if name.split("/")[-1].startswith(code) and not failed_once:
            failed_once.append(name)
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    Certificate.objects.filter(pk=broken).update(learner_name="x" * 200, course_title="Texto " * 40)
    real_context = services.certificate_context

    def context(certificate, template=None):
        built = real_context(certificate, template)
        if certificate.pk == broken:
            import dataclasses

            return dataclasses.replace(built, body="\n".join(["Una línea larga de texto"] * 80))
        return built

    with (
        mock.patch.object(default_storage, "save", save),
        mock.patch("certificates.services.pdf.certificate_context", context),
        mock.patch.object(tasks.render_certificate, "apply_async") as retry,
    ):
        assert tasks.render_certificates.apply(args=[ids]).get() == 2
    retry.assert_called_once()
    assert retry.call_args.args[0] == (flaky,)
    states = dict(Certificate.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {ids[0]: "ready", flaky: "pending", broken: "failed", ids[3]: "ready"}
    assert tasks.render_certificate.apply(args=[flaky]).get() is True


def test_a_group_delivered_again_after_a_crash_renders_the_suspect_last(small_course, completed):
    with mock.patch.object(tasks.render_certificates, "delay"):
        services.certificate_issue_missing(course=small_course)
    ids = sorted(Certificate.objects.values_list("pk", flat=True))[:4]
    Certificate.objects.filter(pk=ids[0]).update(attempts=1)  # was rendering when the worker died
    Certificate.objects.filter(pk=ids[3]).update(state=Certificate.State.READY)
    assert [c.pk for c in services.certificates_pending_in_order(certificate_ids=ids)] == [
        ids[1],
        ids[2],
        ids[0],
    ]


def test_a_certificate_reissued_after_its_group_read_it_is_left_to_the_reissue(
    small_course, completed
):
    """The group read the row before a manager corrected the name: rendering that stale copy
    would print the old name, so it does nothing; the re-issue's own render prints the new one."""
    with mock.patch.object(tasks.render_certificates, "delay"):
        services.certificate_issue_missing(course=small_course)
    stale = services.certificates_pending_in_order(
        certificate_ids=[Certificate.objects.order_by("pk").first().pk]
    )[0]
    Certificate.objects.filter(pk=stale.pk).update(
        generation=stale.generation + 1, learner_name="Nombre Corregido"
    )
    assert services.certificate_render(certificate_id=stale.pk, certificate=stale) is False
    fresh = Certificate.objects.get(pk=stale.pk)
    assert fresh.state == Certificate.State.PENDING and fresh.attempts == 0
    assert services.certificate_render(certificate_id=stale.pk) is True
