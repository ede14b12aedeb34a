"""An editor translates a course in the Wagtail admin with wagtail-localize (on Wagtail 8)."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from courses.factories import course_tree
from courses.models import CoursePage, LessonPage
from lms.factories import UserFactory
from tests.conftest import page_tree_after_flush

pytestmark = pytest.mark.django_db


def test_an_editor_translates_a_course_and_its_lessons_from_the_admin(
    django_capture_on_commit_callbacks,
):
    page_tree_after_flush()
    english = Locale.objects.get_or_create(language_code="en")[0]
    course = course_tree(modules=1, lessons=2)
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True, is_staff=True))
    submit = "wagtail_localize:submit_page_translation"
    with django_capture_on_commit_callbacks(execute=True):
        for page in [*course.get_ancestors().filter(depth__gt=1).order_by("path"), course]:
            form = editor.get(reverse(submit, args=[page.pk]))
            assert form.status_code == 200
            response = editor.post(
                reverse(submit, args=[page.pk]),
                {"locales": [english.pk], "include_subtree": "on" if page == course else ""},
            )
            assert response.status_code == 302, response.content.decode()[:500]
    translated = CoursePage.objects.get(locale=english, translation_key=course.translation_key)
    assert translated.language == "en"
    lessons = LessonPage.objects.descendant_of(translated)
    assert lessons.count() == 2
    # The English lesson opens in wagtail-localize's translation editor, not the plain form.
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[lessons.first().pk]))
    assert edit.status_code == 200
    assert "w-localize" in edit.content.decode() or "translation-editor" in edit.content.decode()
