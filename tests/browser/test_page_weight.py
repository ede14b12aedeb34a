"""What a phone actually downloads (issue 17): a demo lesson, its course outline and the learner
home each load under 50 KB of HTML, CSS, JavaScript and fonts, media aside. Measured from the
responses the browser received with its cache off, so whatever a page pulls in itself counts."""

import pytest

from .test_accessibility import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BUDGET = 50 * 1024
MEDIA = {"image", "media"}


def loaded_bytes(page, url: str) -> dict[str, int]:
    """Bytes of every response but images and media for one load of `url`."""
    sizes: dict[str, int] = {}

    def note(response):
        if response.request.resource_type in MEDIA or not 200 <= response.status < 300:
            return
        sizes[response.url] = len(response.body())

    page.on("response", note)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", note)
    return sizes


def test_lesson_outline_and_learner_home_load_under_50_kb(page, live_server, demo_site):
    from courses.models import LessonPage

    lesson = LessonPage.objects.live().filter(slug="leccion-1").order_by("path").first()
    course = lesson.get_parent().get_parent()
    login(page, "maria.lopez@example.org")
    page.route("**/*", lambda route: route.continue_())  # routing turns the HTTP cache off
    weights = {}
    for url in (lesson.url, course.url, "/mi-aprendizaje/"):
        sizes = loaded_bytes(page, url)
        weights[url] = (sum(sizes.values()), sizes)
    print({url: total for url, (total, _sizes) in weights.items()})  # noqa: T201
    assert {url: sizes for url, (total, sizes) in weights.items() if total >= BUDGET} == {}
    assert all(len(sizes) >= 2 for _total, sizes in weights.values())  # the page and its CSS
