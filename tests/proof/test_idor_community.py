"""The community's URLs with an object id, walked as a member of another cohort: a private
space's threads, posts and attachments are never shown, and a POST changes nothing.
(Additive to test_idor.py, so the two merge without conflict.)"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .urlwalk import PARAM

pytestmark = pytest.mark.django_db


def community_routes() -> list[tuple[str, list[str]]]:
    """(name, parameter names) of every community URL that takes an object id."""
    routes = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "community":
            for sub in pattern.url_patterns:
                if isinstance(sub, URLPattern) and "<int:" in str(sub.pattern):
                    routes.append(
                        (
                            f"community:{sub.name}",
                            [m["name"] for m in PARAM.finditer(str(sub.pattern))],
                        )
                    )
    return routes


def private_ids(viewer) -> dict[str, list[int]]:
    from community.models import Post, Space, Thread
    from community.selectors import space_access

    hidden = [s.pk for s in Space.objects.all() if not space_access(viewer, s).can_read]
    return {
        "space_id": hidden,
        "thread_id": list(Thread.objects.filter(space_id__in=hidden).values_list("pk", flat=True)),
        "post_id": list(
            Post.objects.filter(thread__space_id__in=hidden).values_list("pk", flat=True)
        ),
    }


def secrets_of(viewer) -> set[str]:
    from community.models import Post, Thread
    from community.text import plain_text

    ids = private_ids(viewer)
    texts = set(Thread.objects.filter(pk__in=ids["thread_id"]).values_list("title", flat=True))
    texts |= {
        plain_text(b)[:40]
        for b in Post.objects.filter(pk__in=ids["post_id"]).values_list("body", flat=True)
    }
    return {t for t in texts if len(t) > 8}


@pytest.fixture
def other_cohort_member(demo):
    from lms.models import User

    return User.objects.get(email="ernesto.garcia@example.org")


def test_demo_has_a_private_space_this_member_cannot_read(other_cohort_member):
    ids = private_ids(other_cohort_member)
    assert ids["space_id"] and ids["thread_id"] and ids["post_id"]
    assert len(community_routes()) >= 10


def test_get_of_every_private_community_url_is_not_found_and_leaks_nothing(other_cohort_member):
    client = Client(raise_request_exception=False)
    client.force_login(other_cohort_member)
    ids, secrets, findings = private_ids(other_cohort_member), secrets_of(other_cohort_member), []
    for name, params in community_routes():
        for value in ids[params[0]]:
            url = reverse(name, kwargs={params[0]: value})
            response = client.get(url)
            body = response.content.decode(errors="replace") if not response.streaming else ""
            if response.status_code not in (404, 405) or any(s in body for s in secrets):
                findings.append((url, response.status_code))
    assert findings == []


def test_post_to_every_private_community_url_changes_nothing(
    other_cohort_member, django_capture_on_commit_callbacks
):
    from community.models import Post, Report, Thread

    def state():
        return (
            sorted(Post.objects.values_list("pk", "body", "hidden_at")),
            sorted(Thread.objects.values_list("pk", "pinned", "locked", "hidden_at")),
            Report.objects.count(),
        )

    before = state()
    client = Client(raise_request_exception=False)
    client.force_login(other_cohort_member)
    ids, errors = private_ids(other_cohort_member), []
    with django_capture_on_commit_callbacks(execute=True):
        for name, params in community_routes():
            for value in ids[params[0]]:
                url = reverse(name, kwargs={params[0]: value})
                response = client.post(
                    url, {"body": "intruso", "title": "intruso", "reason": "x", "action": "lock"}
                )
                if response.status_code >= 500 or response.status_code == 200:
                    errors.append((url, response.status_code))
    assert errors == []
    assert state() == before
