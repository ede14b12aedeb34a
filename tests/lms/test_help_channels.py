import pytest

from courses.factories import ProgrammePageFactory, course_tree, site_home
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def test_a_lesson_page_names_its_programme_help_channels(client):
    programme = ProgrammePageFactory(
        parent=site_home(), help_phone="800 911 2000", help_email="masculinidades@example.org"
    )
    course = course_tree(programme=programme)
    lesson = LessonPage.objects.descendant_of(course).first()
    html = client.get(lesson.url).content.decode()
    assert "800 911 2000" in html
    assert "mailto:masculinidades@example.org" in html


def test_pages_outside_a_programme_name_the_site_help_channels(client):
    site_home()
    html = client.get("/cuenta/entrar/").content.decode()
    assert "ayuda@example.org" in html
