"""Surveys: anonymous storage, one answer per person, groups of at least 5, CSV, reminders."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.exceptions import AlreadyAnswered, InvalidAnswers
from assessments.factories import QuestionFactory, survey_with_questions
from assessments.models import Question, SurveyParticipation, SurveyResponse
from assessments.selectors import survey_results
from courses.models import ActivityProgress
from courses.services import enrolment_create
from lms.factories import OrganisationFactory, UserFactory
from lms.models import ProgrammeManager

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(last_module):
    likert = QuestionFactory(qtype=Question.Type.LIKERT, text="El curso fue útil")
    open_text = QuestionFactory(qtype=Question.Type.ESSAY, text="Comentarios")
    return survey_with_questions(
        parent=last_module, questions=[likert, open_text], required=(0,), anonymous=True
    )


@pytest.fixture
def manager(course):
    user = UserFactory(roles=("manager",))
    ProgrammeManager.objects.create(user=user, programme=course.get_programme())
    return user


def key(survey, index):
    return f"q{survey.survey_questions.order_by('sort_order')[index].question_id}"


def answer(user, course, survey, value="4", comment=""):
    enrolment_create(user=user, course=course)
    return services.survey_submit(
        user=user, survey=survey, answers={key(survey, 0): value, key(survey, 1): comment}
    )


def test_an_anonymous_response_stores_no_person(enrolled, course, survey):
    response = answer(enrolled, course, survey)
    stored = SurveyResponse.objects.get(pk=response.pk)
    assert stored.user_id is None
    field_names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not field_names & {
        "created_at",
        "submitted_at",
        "answered_at",
    }  # no time to match participations
    assert SurveyParticipation.objects.filter(user=enrolled, survey=survey).exists()
    assert ActivityProgress.objects.get(user=enrolled, activity_id=survey.pk).state == "complete"


def test_a_named_survey_keeps_the_person(enrolled, course, last_module):
    named = survey_with_questions(
        parent=last_module,
        anonymous=False,
        questions=[
            QuestionFactory(qtype=Question.Type.LIKERT),
            QuestionFactory(qtype=Question.Type.ESSAY),
        ],
    )
    response = answer(enrolled, course, named)
    assert response.user_id == enrolled.pk


def test_each_person_answers_once(enrolled, course, survey):
    answer(enrolled, course, survey)
    with pytest.raises(AlreadyAnswered):
        answer(enrolled, course, survey, value="1")
    assert SurveyResponse.objects.count() == 1


def test_a_required_question_must_be_answered(enrolled, course, survey):
    with pytest.raises(InvalidAnswers):
        services.survey_submit(user=enrolled, survey=survey, answers={key(survey, 1): "hola"})
    assert not SurveyParticipation.objects.exists() and not SurveyResponse.objects.exists()


def test_answering_through_the_page(client, enrolled, course, survey):
    client.force_login(enrolled)
    html = client.get(survey.url).content.decode()
    assert reverse("assessments:survey_answer", args=[survey.pk]) in html
    client.post(
        reverse("assessments:survey_answer", args=[survey.pk]), {f"r_{key(survey, 0)}": "5"}
    )
    response = client.post(
        reverse("assessments:survey_answer", args=[survey.pk]),
        {f"r_{key(survey, 0)}": "1"},
        follow=True,
    )
    assert SurveyResponse.objects.count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_results_hide_groups_and_questions_below_five(course, survey):
    big, small = (
        OrganisationFactory(name="Secretaría grande"),
        OrganisationFactory(name="Secretaría chica"),
    )
    for i in range(5):
        answer(
            UserFactory(organisation=big),
            course,
            survey,
            value=str(i % 5 + 1),
            comment="texto" if i < 4 else "",
        )
    for _ in range(2):
        answer(UserFactory(organisation=small), course, survey, value="5")
    groups = {g.label: g for g in survey_results(survey)}
    overall = groups[""]
    # Anonymous: only whole batches of five answers show (the first five, all of "grande").
    assert overall.respondents == 5 and not overall.hidden
    likert = overall.questions[0]
    assert not likert.hidden and sum(r["count"] for r in likert.rows) == 5
    assert overall.questions[1].hidden is True  # only 4 comments were written: below the threshold
    assert not groups["Secretaría grande"].hidden
    assert "Secretaría chica" not in groups  # two answers: neither named nor counted


def test_results_and_csv_for_the_programme_manager_only(
    client, course, survey, manager, trainer, learner
):
    for i in range(5):
        answer(UserFactory(), course, survey, value=str(i + 1))
    results = reverse("assessments:survey_results", args=[survey.pk])
    csv_url = reverse("assessments:survey_results_csv", args=[survey.pk])
    for outsider in (trainer, learner, UserFactory(roles=("manager",))):
        client.force_login(outsider)
        assert client.get(results).status_code == 404
        assert client.get(csv_url).status_code == 404
    client.force_login(manager)
    assert client.get(results).status_code == 200
    body = client.get(csv_url).content.decode("utf-8-sig")
    assert (
        "El curso fue útil" in body and "Strongly agree" in body or "Totalmente de acuerdo" in body
    )


def test_csv_neutralises_formulas(client, course, survey, manager):
    for _ in range(5):
        answer(UserFactory(), course, survey, comment='=HYPERLINK("http://x")')
    client.force_login(manager)
    body = client.get(reverse("assessments:survey_results_csv", args=[survey.pk])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in body


def test_reminder_goes_to_those_who_have_not_answered(
    client, course, survey, manager, django_capture_on_commit_callbacks
):
    done = UserFactory()
    answer(done, course, survey)
    waiting = [UserFactory(), UserFactory()]
    for user in waiting:
        enrolment_create(user=user, course=course)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:survey_remind", args=[survey.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in waiting)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:survey_remind", args=[survey.pk]), follow=True)
    assert len(mail.outbox) == 2  # a second reminder within 12 hours is refused
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_a_reminder_retried_after_an_smtp_error_mails_nobody_twice(
    course, survey, manager, settings
):
    """The SMTP server fails on the second learner: the retry reaches only those not reached."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    from assessments.models import SurveyReminder
    from assessments.tasks import send_survey_reminders

    waiting = [UserFactory(), UserFactory(), UserFactory()]
    for user in waiting:
        enrolment_create(user=user, course=course)
    reminder = SurveyReminder.objects.create(survey=survey, sent_by=manager, recipients=3)
    failing = {waiting[1].email}

    class FlakySMTP(EmailBackend):
        def send_messages(self, messages):
            if any(m.to[0] in failing for m in messages):
                raise smtplib.SMTPServerDisconnected("connection lost")
            return super().send_messages(messages)

    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    globals()["FlakySMTP"] = FlakySMTP
    ids = [u.pk for u in waiting]
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_survey_reminders.run(survey.pk, ids, reminder.pk)
    failing.clear()
    send_survey_reminders.run(survey.pk, ids, reminder.pk)
    send_survey_reminders.run(survey.pk, ids, reminder.pk)  # a duplicate task
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in waiting)


def test_small_organisations_are_neither_named_nor_counted(client, course, survey, manager):
    big, small = (
        OrganisationFactory(name="Secretaría grande"),
        OrganisationFactory(name="Colectivo pequeño"),
    )
    for _ in range(5):
        answer(UserFactory(organisation=big), course, survey)
    answer(UserFactory(organisation=small), course, survey)
    client.force_login(manager)
    html = client.get(reverse("assessments:survey_results", args=[survey.pk])).content.decode()
    body = client.get(reverse("assessments:survey_results_csv", args=[survey.pk])).content.decode(
        "utf-8-sig"
    )
    assert "Secretaría grande" in html and "Secretaría grande" in body
    assert "Colectivo pequeño" not in html and "Colectivo pequeño" not in body
