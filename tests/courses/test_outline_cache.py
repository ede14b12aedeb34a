"""The course outline's rendering is reused between learners in the same state and never shows
one learner's state, a stale title or a draft to another (courses/includes_outline.html)."""

import pytest

from courses import services
from courses.factories import course_tree
from courses.models import LessonPage

pytestmark = pytest.mark.django_db

COMPLETE = ('badge badge-complete">Concluida', 'badge badge-complete">Complete')


def outline(client, course) -> str:
    html = client.get(course.url).content.decode()
    return html.split('<ol class="outline">', 1)[1].split("</ol>", 1)[0]


def lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def completed(html: str) -> int:
    return sum(html.count(badge) for badge in COMPLETE)


def test_each_learner_sees_their_own_states(client, learner, other_learner):
    course = course_tree(modules=1, lessons=3)
    for person in (learner, other_learner):
        services.enrolment_create(user=person, course=course)
    services.activity_complete(user=learner, activity=lessons(course)[0])
    client.force_login(learner)
    assert completed(outline(client, course)) == 1
    client.force_login(other_learner)
    assert completed(outline(client, course)) == 0
    services.activity_complete(user=other_learner, activity=lessons(course)[0])
    services.activity_complete(user=other_learner, activity=lessons(course)[1])
    assert completed(outline(client, course)) == 2
    client.force_login(learner)
    assert completed(outline(client, course)) == 1


def test_a_visitor_who_is_not_enrolled_sees_no_badges(client, learner, other_learner):
    course = course_tree(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    assert "badge" in outline(client, course)
    client.force_login(other_learner)
    assert "badge" not in outline(client, course)
    client.logout()
    assert "badge" not in outline(client, course)


def test_a_published_title_shows_at_once(client, learner):
    course = course_tree(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    outline(client, course)
    lesson = lessons(course)[1]
    lesson.title = "Título nuevo de la lección"
    lesson.save_revision().publish()
    assert "Título nuevo de la lección" in outline(client, course)


def test_the_outline_is_in_the_language_of_the_interface(client, learner):
    course = course_tree(modules=1, lessons=1)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    spanish = outline(client, course)
    client.cookies["django_language"] = "en"
    english = outline(client, course)
    assert "Sin iniciar" in spanish
    assert "Not started" in english


def test_the_kept_outline_holds_no_token_and_no_name(client, learner):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    from courses.selectors import course_status
    from lms.caching import content_version

    course = course_tree(modules=1, lessons=2)
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert "csrfmiddlewaretoken" in html  # the page has forms with the person's token ...
    states = course_status(learner, course).states_key
    key = make_template_fragment_key(
        "course-outline", [course.pk, "es", "1", content_version(), states]
    )
    kept = cache.get(key)
    assert kept and '<ol class="outline">' in kept  # ... the kept outline has none
    assert "csrfmiddlewaretoken" not in kept
    assert learner.full_name not in kept and learner.email not in kept
