"""A learner on a phone opens a lesson with a hosted video: nothing is fetched until play, the
light version plays, captions and transcript are there, axe-core finds nothing serious; without
JavaScript the player, the downloads and the transcript still work."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, make_user, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

MEDIA_FILES = re.compile(r"/medios/\d+/(ligero|archivo|audio)/")


@pytest.fixture
def video_lesson(open_course):
    from courses.models import LessonPage
    from hosted_media.demo import demo_media

    lesson = LessonPage.objects.descendant_of(open_course).order_by("path").first()
    lesson.body.append(("media", {"media": demo_media(), "title": "Video de la lección"}))
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def enrolled_learner(open_course):
    from courses.services import enrolment_create

    learner = make_user()
    enrolment_create(user=learner, course=open_course, check_rules=False)
    return learner


def test_the_light_version_is_fetched_only_when_the_learner_presses_play(
    page, video_lesson, enrolled_learner
):
    log_in(page, enrolled_learner)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(video_lesson.url)
    video = page.locator("video")
    expect(video).to_have_attribute("preload", "none")
    page.wait_for_load_state("networkidle")
    assert [u for u in requested if MEDIA_FILES.search(u)] == []
    assert run_axe(page) == []
    expect(page.locator("main")).to_contain_text("versión ligera")

    before_click = len(requested)
    video.focus()
    page.keyboard.press("Space")  # Chromium's own controls: the space bar plays a focused video
    page.wait_for_function("() => document.querySelector('video').currentSrc !== ''")
    current = video.evaluate("v => v.currentSrc")
    assert "/ligero/" in current
    page.wait_for_function("() => document.querySelector('video').readyState >= 2")
    assert current in requested[before_click:]
    assert video.evaluate("v => v.paused") is False
    assert not any(MEDIA_FILES.search(u) for u in requested[:before_click])
    assert not any("/archivo/" in u or "/audio/" in u for u in requested)
    assert video.evaluate("v => v.textTracks[0].language + ':' + v.textTracks[0].mode") == (
        "es:showing"
    )


def test_without_javascript_the_player_downloads_and_transcript_work(
    browser, live_server, video_lesson, enrolled_learner
):
    from .conftest import PHONE

    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=live_server.url, locale="es-MX"
    )
    page = context.new_page()
    log_in(page, enrolled_learner)
    page.goto(video_lesson.url)
    expect(page.locator("video[controls][preload=none]")).to_have_count(1)
    expect(page.get_by_role("link", name="Descargar la versión ligera")).to_be_visible()
    page.get_by_text("Leer la transcripción").last.click()
    expect(page.locator("main")).to_contain_text("Compartir las tareas del hogar")
    context.close()
