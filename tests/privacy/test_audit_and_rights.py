"""Audit log of staff views of personal data; sessions; retention; consent; preferences."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.factories import QuestionFactory, survey_with_questions
from assessments.models import Question, SurveyResponse
from courses.factories import ModulePageFactory
from courses.services import enrolment_create
from lms.factories import UserFactory
from privacy import services
from privacy.erasure import retention_apply
from privacy.export import data_export_request
from privacy.models import (
    AuditEntry,
    DataExport,
    EmailLog,
    MessageOptOut,
    RetentionRun,
    SensitiveConsent,
    SensitiveForm,
)

pytestmark = pytest.mark.django_db


def test_a_staff_export_writes_an_audit_entry(client, trainer, cohort):
    client.force_login(trainer)
    response = client.get(reverse("reports:cohort_export", args=[cohort.pk, "progress", "csv"]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.actor == trainer and entry.action == "export"
    assert f"cohort {cohort.pk}" in entry.what
    assert entry.subject_count == 3
    assert entry.programme_id == cohort.programme_id


def test_a_dashboard_view_is_logged_and_a_refused_one_is_not(
    client, trainer, other_trainer, cohort
):
    client.force_login(other_trainer)
    assert client.get(reverse("reports:cohort", args=[cohort.pk])).status_code == 404
    assert not AuditEntry.objects.exists()
    client.force_login(trainer)
    assert client.get(reverse("reports:cohort", args=[cohort.pk])).status_code == 200
    assert AuditEntry.objects.get().action == "view"


def test_a_learner_cannot_see_the_audit_log(client, members, trainer, cohort):
    services.audit_record(
        actor=trainer, action="export", what="x", programme_id=cohort.programme_id
    )
    client.force_login(members[0])
    assert client.get(reverse("privacy:audit_log")).status_code == 404
    client.force_login(trainer)
    assert client.get(reverse("privacy:audit_log")).status_code == 404


def test_a_manager_sees_the_log_of_their_programme_only(
    client, manager, trainer, cohort, other_programme
):
    services.audit_record(
        actor=trainer, action="export", what="Mío", programme_id=cohort.programme_id
    )
    services.audit_record(
        actor=trainer, action="export", what="Ajeno", programme_id=other_programme.pk
    )
    client.force_login(manager)
    html = client.get(reverse("privacy:audit_log")).content.decode()
    assert "Mío" in html and "Ajeno" not in html


def test_the_audit_log_cannot_be_edited_from_the_site(client, manager, trainer, cohort):
    """No form edits it: the page is read-only, and there is no admin view to change it."""
    entry = services.audit_record(
        actor=trainer, action="export", what="Mío", programme_id=cohort.programme_id
    )
    client.force_login(manager)
    response = client.post(reverse("privacy:audit_log"), {"what": "cambiado"})
    assert response.status_code in (200, 405)
    entry.refresh_from_db()
    assert entry.what == "Mío"
    assert (
        "<form"
        not in client.get(reverse("privacy:audit_log"))
        .content.decode()
        .split("<main", 1)[1]
        .split("</main>")[0]
    )


def test_log_out_everywhere_ends_the_other_sessions(learner):
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        assert (
            c.post(
                reverse("login"), {"username": learner.email, "password": "clave-segura-123"}
            ).status_code
            == 302
        )
    assert learner.email not in phone.get(reverse("privacy:sessions")).content.decode()
    assert learner.privacy_sessions.count() == 2
    phone.post(reverse("privacy:sessions"))
    assert phone.get(reverse("learner_home")).status_code == 200
    assert laptop.get(reverse("learner_home")).status_code == 302


def test_changing_the_password_ends_the_other_sessions(learner):
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        c.post(reverse("login"), {"username": learner.email, "password": "clave-segura-123"})
    response = phone.post(
        reverse("password_change"),
        {
            "old_password": "clave-segura-123",
            "new_password1": "otra-clave-2026-larga",
            "new_password2": "otra-clave-2026-larga",
        },
    )
    assert response.status_code == 302
    assert phone.get(reverse("learner_home")).status_code == 200
    assert laptop.get(reverse("learner_home")).status_code == 302
    assert learner.privacy_sessions.count() == 1


def test_the_data_export_is_built_in_the_background_with_progress(
    client, learner, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"))
    export = DataExport.objects.get(user=learner)
    assert response["Location"] == reverse("privacy:export_status", args=[export.pk])
    assert export.state == "ready" and export.progress == 100
    assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 200


def test_a_queued_export_shows_its_progress_and_refreshes(client, learner):
    export = DataExport.objects.create(user=learner, progress=40, state="building")
    client.force_login(learner)
    html = client.get(reverse("privacy:export_status", args=[export.pk])).content.decode()
    assert 'value="40"' in html and 'http-equiv="refresh"' in html


def test_nobody_else_downloads_my_export(
    client, learner, other_learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=learner)
    client.force_login(other_learner)
    assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 404


def test_retention_removes_old_records_and_reports_what_it_removed(learner, settings):
    old = timezone.now() - timedelta(days=400)
    EmailLog.objects.create(user=learner, subject="viejo")
    EmailLog.objects.update(sent_at=old)
    EmailLog.objects.create(user=learner, subject="nuevo")
    stale = UserFactory()
    stale.last_login = timezone.now() - timedelta(days=4 * 365)
    stale.save()
    removed = retention_apply()
    assert removed["email_log"] == 1 and removed["inactive_accounts"] == 1
    assert list(EmailLog.objects.values_list("subject", flat=True)) == ["nuevo"]
    stale.refresh_from_db()
    assert not stale.is_active and stale.full_name == ""
    assert RetentionRun.objects.get().removed == removed


def test_the_daily_retention_task_is_scheduled(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["privacy-retention"]["task"]
        == "privacy.tasks.apply_retention"
    )


def test_preferences_list_each_kind_of_message_and_save_refusals(client, learner):
    client.force_login(learner)
    html = client.get(reverse("privacy:preferences")).content.decode()
    assert "trainer_reminder" in html and "workshop_reminder" in html
    client.post(reverse("privacy:preferences"), {"workshop_reminder": "on"})
    assert set(MessageOptOut.objects.values_list("kind", flat=True)) == {"trainer_reminder"}


def test_a_one_click_post_unsubscribes_without_login(client, learner):
    from privacy.mail import unsubscribe_headers

    url = unsubscribe_headers(learner, "workshop_reminder")["List-Unsubscribe"].strip("<>")
    assert url.endswith("/un-clic/")
    response = client.post(re.sub(r"^https?://[^/]+", "", url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert MessageOptOut.objects.filter(user=learner, kind="workshop_reminder").exists()


def test_a_sensitive_survey_asks_consent_first_and_refusing_leaves_the_course(
    client, learner, course
):
    module = ModulePageFactory(parent=course)
    question = QuestionFactory(qtype=Question.Type.LIKERT, text="Pregunta sensible")
    survey = survey_with_questions(parent=module, questions=[question], anonymous=False)
    SensitiveForm.objects.create(page=survey, purpose="Origen étnico, para informes agregados.")
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    response = client.get(survey.url)
    assert (
        response.status_code == 302
        and reverse("privacy:consent", args=[survey.pk]) in response["Location"]
    )
    answer = {f"r_q{question.pk}": "4"}
    assert (
        client.post(reverse("assessments:survey_answer", args=[survey.pk]), answer).status_code
        == 302
    )
    assert not SurveyResponse.objects.exists()
    client.post(reverse("privacy:consent", args=[survey.pk]), {"decision": "refuse"})
    assert client.get(course.url).status_code == 200
    client.post(reverse("privacy:consent", args=[survey.pk]), {"decision": "grant"})
    assert client.get(survey.url).status_code == 200
    client.post(reverse("assessments:survey_answer", args=[survey.pk]), answer)
    assert SurveyResponse.objects.filter(user=learner).exists()
    client.post(reverse("privacy:consent_withdraw", args=[survey.pk]))
    assert (
        SensitiveConsent.objects.filter(user=learner, granted=True)
        .exclude(withdrawn_at=None)
        .exists()
    )
    assert client.get(survey.url).status_code == 302


def test_sessions_of_an_erased_person_are_gone(learner):
    from privacy.erasure import user_erase

    c = Client()
    c.post(reverse("login"), {"username": learner.email, "password": "clave-segura-123"})
    user_erase(user_id=learner.pk)
    assert not Session.objects.exists() or c.get(reverse("learner_home")).status_code == 302


def test_a_new_name_asks_whether_to_reissue_the_certificates(
    client, learner, django_capture_on_commit_callbacks
):
    from certificates.models import Certificate
    from courses.factories import course_tree
    from tests.certificates.conftest import complete_course

    course = course_tree(modules=1, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    client.force_login(learner)
    data = {
        "full_name": "Nombre Nuevo Pérez",
        "organisation": learner.organisation_id,
        "position": "",
        "preferred_language": "es",
    }
    response = client.post(reverse("profile"), data)
    assert response["Location"] == reverse("certificates:rename")
    assert "Persona Núñez" in client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:rename"), {"reissue": "yes"})
    assert Certificate.objects.get(user=learner).learner_name == "Nombre Nuevo Pérez"
    assert client.post(reverse("profile"), {**data, "position": "Analista"})["Location"] == reverse(
        "profile"
    )
