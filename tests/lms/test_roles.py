import pytest

from courses.factories import course_tree
from courses.models import ModulePage
from lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_editor_can_open_the_admin_form_to_add_a_lesson(client):
    """Editors get page, image and document permissions from their role group alone."""
    course = course_tree()
    module = ModulePage.objects.child_of(course).first()
    editor = UserFactory(roles=("editor",))
    client.force_login(editor)
    response = client.get(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    assert response.status_code == 200


def test_a_learner_cannot_open_the_admin(client, learner):
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
