"""Offline items are applied once, through the online services, under the online rules."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Attempt, SurveyParticipation, SurveyResponse
from courses.models import ActivityProgress, LessonPage
from offline import services
from offline.exceptions import OfflineRefused
from offline.models import OfflineItem

from .conftest import right_pairs

pytestmark = pytest.mark.django_db


def send(user, page, kind, **payload):
    return services.item_receive(
        user=user,
        item_id=payload.pop("item_id", uuid.uuid4()),
        kind=kind,
        page_id=page.pk,
        answered_at=payload.pop("answered_at", timezone.now()),
        payload=payload,
    )


def test_an_offline_attempt_is_graded_on_the_server_once(enrolled, quiz):
    paper = services.paper_issue(user=enrolled, quiz=quiz)
    item_id = uuid.uuid4()
    first = send(
        enrolled, quiz, "attempt", item_id=item_id, paper=str(paper.pk), data=right_pairs(paper)
    )
    again = send(enrolled, quiz, "attempt", item_id=item_id, paper=str(paper.pk), data=[])
    assert first.status == again.status == OfflineItem.Status.ACCEPTED
    assert (
        again.result == first.result
        and first.result["score"] == 100.0
        and first.result["passed"] is True
    )
    attempt = Attempt.objects.get(user=enrolled, quiz=quiz)
    assert attempt.questions == paper.questions and first.attempt_id == attempt.pk
    assert ActivityProgress.objects.get(user=enrolled, activity_id=quiz.pk).state == "complete"
    assert OfflineItem.objects.count() == 1


def test_an_offline_attempt_past_the_limit_is_refused_and_kept_with_the_reason(enrolled, quiz):
    paper = services.paper_issue(user=enrolled, quiz=quiz)
    online = assessment_services.attempt_start(user=enrolled, quiz=quiz)
    assessment_services.attempt_submit(user=enrolled, attempt_id=online.pk, answers={})
    item = send(enrolled, quiz, "attempt", paper=str(paper.pk), data=right_pairs(paper))
    assert item.status == OfflineItem.Status.REJECTED
    assert "attempts allowed" in item.message or "intentos" in item.message
    assert Attempt.objects.filter(user=enrolled, quiz=quiz).count() == 1


def test_the_same_paper_answered_on_two_devices_keeps_the_first(enrolled, quiz):
    quiz.max_attempts = 0
    quiz.save_revision().publish()
    paper = services.paper_issue(user=enrolled, quiz=quiz)
    assert (
        services.paper_issue(user=enrolled, quiz=quiz).pk == paper.pk
    )  # both devices got the same paper
    first = send(enrolled, quiz, "attempt", paper=str(paper.pk), data=right_pairs(paper))
    second = send(enrolled, quiz, "attempt", paper=str(paper.pk), data=[])
    assert first.status == "accepted" and second.status == "rejected"
    assert "first" in second.message or "primeras" in second.message
    assert Attempt.objects.filter(user=enrolled, quiz=quiz).count() == 1


def test_a_paper_of_another_learner_is_refused(enrolled, other_learner, course, quiz):
    from courses.services import enrolment_create

    enrolment_create(user=other_learner, course=course)
    paper = services.paper_issue(user=other_learner, quiz=quiz)
    item = send(enrolled, quiz, "attempt", paper=str(paper.pk), data=right_pairs(paper))
    assert item.status == "rejected" and not Attempt.objects.exists()


def test_an_item_id_of_another_account_is_not_answered_with_its_result(
    enrolled, other_learner, module
):
    lesson = LessonPage.objects.child_of(module).first()
    item_id = uuid.uuid4()
    send(enrolled, lesson, "completion", item_id=item_id)
    with pytest.raises(OfflineRefused):
        send(other_learner, lesson, "completion", item_id=item_id)


def test_an_offline_completion_completes_the_lesson_once(enrolled, module):
    lesson = LessonPage.objects.child_of(module).first()
    item_id = uuid.uuid4()
    answered = timezone.now() - timezone.timedelta(hours=3)
    first = send(enrolled, lesson, "completion", item_id=item_id, answered_at=answered)
    second = send(enrolled, lesson, "completion", item_id=item_id)
    assert first.pk == second.pk and first.answered_at == answered and first.received_at > answered
    assert ActivityProgress.objects.get(user=enrolled, activity_id=lesson.pk).state == "complete"


def test_an_answer_time_in_the_future_is_taken_as_the_time_received(enrolled, module):
    lesson = LessonPage.objects.child_of(module).first()
    item = send(
        enrolled, lesson, "completion", answered_at=timezone.now() + timezone.timedelta(days=2)
    )
    assert item.answered_at <= item.received_at


def test_a_learner_not_enrolled_gets_a_refused_item(learner, module):
    lesson = LessonPage.objects.child_of(module).first()
    item = send(learner, lesson, "completion")
    assert item.status == "rejected" and item.message


def test_offline_survey_answers_are_recorded_once_and_anonymously(enrolled, survey):
    snap_key = "r_" + survey.survey_questions.first().question.snapshot()["key"]
    first = send(enrolled, survey, "survey", data=[[snap_key, "4"]])
    second = send(enrolled, survey, "survey", data=[[snap_key, "1"]])
    assert first.status == "accepted" and second.status == "rejected"
    response = SurveyResponse.objects.get()
    assert response.user is None and list(response.answers.values()) == ["4"]
    assert SurveyParticipation.objects.filter(user=enrolled).count() == 1
    assert first.result == {}


def test_a_paper_is_refused_when_the_quiz_is_not_available_offline(enrolled, quiz):
    quiz.available_offline = False
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    with pytest.raises(OfflineRefused):
        services.paper_issue(user=enrolled, quiz=quiz)


def test_a_paper_is_refused_when_no_attempt_is_left(enrolled, quiz):
    attempt = assessment_services.attempt_start(user=enrolled, quiz=quiz)
    assessment_services.attempt_submit(user=enrolled, attempt_id=attempt.pk, answers={})
    with pytest.raises(OfflineRefused):
        services.paper_issue(user=enrolled, quiz=quiz)


def test_a_timed_quiz_cannot_be_marked_available_offline(quiz):
    quiz.time_limit_minutes = 20
    with pytest.raises(ValidationError) as error:
        quiz.full_clean()
    assert "available_offline" in error.value.message_dict
