"""Redis (cache and broker) stops while a learner finishes a course: the request succeeds, the
completion is saved, and the certificate follows once Redis is back (pending row + sweep)."""

import time

import pytest
from django.test import Client

from .conftest import CeleryWorker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.slow]


@pytest.fixture
def learner_in_course(site_tree):
    from courses.factories import course_tree
    from courses.models import LessonPage
    from courses.services import enrolment_create
    from lms.factories import UserFactory

    course = course_tree(modules=1, lessons=2, title="Curso con Redis caído", hours=6)
    learner = UserFactory(full_name="Xóchitl Ku'uyoc Núñez")
    enrolment_create(user=learner, course=course)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    return learner, course, lessons


def test_completing_a_course_while_redis_is_down_saves_it_and_the_certificate_follows(
    broker, worker_env, learner_in_course, tmp_path
):
    from courses.models import ActivityProgress, Enrolment

    learner, course, lessons = learner_in_course
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    assert client.post(f"/aprendizaje/actividades/{lessons[0].id}/completar/").status_code == 302

    broker.stop()
    response = client.post(f"/aprendizaje/actividades/{lessons[1].id}/completar/")
    assert response.status_code == 302, response.content[:500]
    assert client.get(course.url).status_code == 200
    assert client.get("/mi-aprendizaje/").status_code == 200
    assert (
        ActivityProgress.objects.filter(user=learner, course=course, state="complete").count() == 2
    )
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None

    certificates = pytest.importorskip("certificates.models")
    certificate = certificates.Certificate.objects.get(user=learner, course=course)
    assert certificate.state == certificates.Certificate.State.PENDING

    broker.start()
    worker = CeleryWorker(worker_env, tmp_path)
    worker.start()
    try:
        from certificates.services import certificates_sweep

        assert certificates_sweep(older_than_seconds=0) == 1

        def ready():
            certificate.refresh_from_db()
            return certificate.state == certificates.Certificate.State.READY

        wait_for(ready, 90, "the certificate to be rendered by the worker")
    finally:
        worker.stop()
    assert certificates.Certificate.objects.filter(user=learner, course=course).count() == 1
    assert certificate.pdf and certificate.pdf.size > 1000


def test_pages_keep_working_while_redis_is_down(broker, learner_in_course):
    """Cache errors degrade to the database: course, lesson and home answer 200 with the same
    page as with Redis up (the CSRF token aside), for a learner and a visitor, not much slower
    (a refused connection costs no timeout)."""
    import re
    import time

    learner, course, lessons = learner_in_course
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    visitor = Client(raise_request_exception=False)
    pages = [
        (client, url)
        for url in (course.url, lessons[0].url, "/mi-aprendizaje/", "/aprendizaje/cursos/", "/")
    ] + [(visitor, course.url), (visitor, lessons[1].url)]

    def rendered(who, url) -> str:
        response = who.get(url)
        assert response.status_code == 200, url
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    for who, url in pages:
        rendered(who, url)  # first visits: the started mark, the cache filled
    with_redis = [rendered(who, url) for who, url in pages]
    broker.stop()
    started = time.monotonic()
    without_redis = [rendered(who, url) for who, url in pages]
    assert time.monotonic() - started < 2 * len(pages)
    for (_who, url), up, down in zip(pages, with_redis, without_redis, strict=True):
        assert down == up, url


def test_a_publish_while_redis_hangs_shows_once_redis_answers_again(
    broker, learner_in_course, settings
):
    """Redis freezes (its data survives) while an editor publishes a new lesson title: the new
    content version cannot be written. Once Redis answers, the publishing process announces it
    again, so no process keeps reading the outline cached before the change."""
    from django.core.cache import cache

    from courses.models import LessonPage
    from lms.caching import VERSION_KEY, content_version

    settings.CONTENT_VERSION_CHECK_SECONDS = 1
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    learner, course, lessons = learner_in_course
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    assert lessons[0].title in client.get(course.url).content.decode()
    before = cache.get(VERSION_KEY)

    broker.pause()
    try:
        page = LessonPage.objects.get(pk=lessons[0].pk)
        page.title = "Título publicado con Redis congelado"
        page.save_revision().publish()
        assert client.get(course.url).status_code == 200
    finally:
        broker.resume()
    time.sleep(settings.CONTENT_VERSION_CHECK_SECONDS)  # the process asks the cache again
    assert "Título publicado con Redis congelado" in client.get(course.url).content.decode()
    assert cache.get(VERSION_KEY) not in (None, before)
    assert cache.get(VERSION_KEY) == content_version()


def test_a_render_lost_with_a_restarted_broker_is_queued_again_by_the_swept_task(
    broker, worker_env, learner_in_course, tmp_path, settings
):
    """The render is queued, then Redis restarts without persistence before any worker took it:
    the message is gone. Once the worker is up, the periodic sweep (sent through the broker and
    run by the real worker, as beat does) queues it again when it is older than the threshold,
    and the certificate is rendered: within 2 minutes of the worker's return."""
    from datetime import timedelta

    from django.utils import timezone

    from certificates import tasks
    from certificates.models import Certificate

    learner, course, lessons = learner_in_course
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    for lesson in lessons:
        assert client.post(f"/aprendizaje/actividades/{lesson.id}/completar/").status_code == 302
    certificate = Certificate.objects.get(user=learner, course=course)
    assert certificate.state == Certificate.State.PENDING and certificate.queued_at is not None

    broker.stop()  # no persistence (--save ""): the queued render is lost with the restart
    broker.start()
    worker = CeleryWorker(worker_env, tmp_path)
    worker.start()
    try:
        # What the passing of the threshold does: the render was queued that long ago.
        threshold = settings.CERTIFICATES_SWEEP_AFTER_SECONDS
        Certificate.objects.filter(pk=certificate.pk).update(
            queued_at=timezone.now() - timedelta(seconds=threshold + 1)
        )
        tasks.sweep_pending_certificates.delay()

        def ready():
            certificate.refresh_from_db()
            return certificate.state == Certificate.State.READY

        wait_for(ready, 90, "the certificate to be rendered after the sweep")
    finally:
        worker.stop()
    assert Certificate.objects.filter(user=learner, course=course).count() == 1
