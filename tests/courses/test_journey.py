"""A learner's whole journey with the test client, following only the links and forms on pages."""

import re

import pytest
from django.urls import reverse

from courses.factories import course_tree
from courses.models import Enrolment, ModulePage
from courses.signals import course_completed

pytestmark = pytest.mark.django_db


def form_actions(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]+)"', html)


def test_a_learner_enrols_from_the_catalogue_and_completes_the_course(client, learner):
    course = course_tree(modules=3, lessons=2, title="Masculinidades en el servicio público")
    module = ModulePage.objects.child_of(course).order_by("path")[2]
    module.requires_previous = True
    module.save_revision().publish()
    events = []
    course_completed.connect(
        lambda **kw: events.append(kw["user"].pk), weak=False, dispatch_uid="journey"
    )
    client.force_login(learner)
    try:
        catalogue = client.get(reverse("courses:catalogue")).content.decode()
        assert course.url in catalogue
        outline = client.get(course.url).content.decode()
        enrol = [a for a in form_actions(outline) if "inscribirme" in a]
        assert enrol
        response = client.post(enrol[0], follow=True)
        outline = response.content.decode()
        assert 'role="status"' in outline
        steps = 0
        while True:
            match = re.search(r'<a class="button" href="([^"]+)">', outline)
            assert match, "the course page offers the next activity"
            lesson = client.get(match.group(1)).content.decode()
            complete = [a for a in form_actions(lesson) if "completar" in a]
            assert complete, "each lesson has a mark-as-complete form"
            response = client.post(complete[0], follow=True)
            assert response.status_code == 200
            steps += 1
            if Enrolment.objects.get(user=learner, course=course).completed_at:
                break
            outline = client.get(course.url).content.decode()
            assert steps < 10
    finally:
        course_completed.disconnect(dispatch_uid="journey")
    assert steps == 6
    assert events == [learner.pk]
    final = client.get(course.url).content.decode()
    assert 'value="100"' in final
    assert "badge-locked" not in final
    home = client.get(reverse("learner_home")).content.decode()
    assert course.title in home
    assert reverse("courses:withdraw", args=[course.pk]) not in final
