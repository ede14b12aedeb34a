"""A lesson page and the learner home weigh under 50 KB each (HTML + CSS + JS, no media),
so they load on a phone over a slow link; the demo lesson with a hosted video included, whose
player fetches nothing before the learner presses play."""

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024


class AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def weight(client, url) -> tuple[int, dict[str, int]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parts = {"html": len(response.content)}
    parser = AssetParser()
    parser.feed(response.content.decode())
    for href in dict.fromkeys(parser.assets):
        path = urlparse(href).path
        assert path.startswith(settings.STATIC_URL), f"{href} is not a local static file"
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, f"{href} not found by the staticfiles finders"
        with open(found, "rb") as asset:
            parts[path] = len(asset.read())
    return sum(parts.values()), parts


@pytest.fixture
def learner_client(demo):
    from lms.models import User

    client = Client()
    client.force_login(User.objects.get(email="maria.lopez@example.org"))
    return client


def test_lesson_learner_home_and_every_activity_type_weigh_under_50_kb(learner_client):
    """The lesson page and the learner home, and the first live page of every activity type
    (quizzes, surveys, workshops…), each under the budget. One demo seed for all of them."""
    from wagtail.models import Page

    from courses.models import ActivityPage, LessonPage

    lesson = LessonPage.objects.live().filter(slug="leccion-1").order_by("path").first()
    urls = [lesson.url, "/mi-aprendizaje/"]
    seen = set()
    for page in Page.objects.live().filter(depth__gt=4).order_by("path").specific():
        if isinstance(page, ActivityPage) and type(page) not in seen:
            seen.add(type(page))
            urls.append(page.url)
    assert len(seen) >= 2
    weights = {url: weight(learner_client, url) for url in dict.fromkeys(urls)}
    heavy = {url: parts for url, (total, parts) in weights.items() if total >= BUDGET}
    assert heavy == {}
    assert any(block.block_type == "media" for block in lesson.body), "the demo's hosted video"
    for url in dict.fromkeys(urls):
        html = learner_client.get(url).content.decode()
        players = re.findall(r"<(?:video|audio)\b[^>]*>", html)
        assert all('preload="none"' in tag for tag in players), (url, players)
        if url == lesson.url:
            assert len(players) == 2 and 'srclang="es"' in html  # the video and its audio only
    _demo_practice_has_the_hosted_video(learner_client)
    print({url: total for url, (total, _parts) in weights.items()})  # noqa: T201


def _demo_practice_has_the_hosted_video(client) -> None:
    """Demo practices show the hosted video with Spanish captions (same seed, no second run)."""
    from community.models import PracticePage

    practice = PracticePage.objects.live().exclude(media=None).order_by("path").first()
    media = practice.media
    assert media.captions_es and media.light_file and media.audio_file and media.transcript
    html = client.get(practice.url).content.decode()
    assert '<video id="practice-media" controls preload="none"' in html
    assert '<track kind="captions" srclang="es"' in html
