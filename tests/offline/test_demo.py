"""The demo marks one quiz and one survey as available offline, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command

from assessments.models import QuizPage, SurveyPage
from offline.models import OfflineItem

pytestmark = pytest.mark.django_db


def test_the_demo_offers_a_quiz_and_a_survey_offline_and_is_idempotent():
    call_command("seed_demo", quiet=True, stdout=io.StringIO())
    quizzes = QuizPage.objects.filter(available_offline=True)
    assert quizzes.count() == 1 and quizzes.get().time_limit_minutes is None
    assert SurveyPage.objects.filter(available_offline=True).count() == 1
    items = list(OfflineItem.objects.values_list("id", "status"))
    assert items and all(status == "accepted" for _id, status in items)
    call_command("seed_demo", quiet=True, stdout=io.StringIO())
    assert QuizPage.objects.filter(available_offline=True).count() == 1
    assert list(OfflineItem.objects.values_list("id", "status")) == items
