"""A person's personal data from sign-up to deletion, in the browser (issue 18's proof).

Signs up after reading and accepting the privacy notice, confirms the e-mail from the outbox,
studies, downloads their data (the ZIP is checked against the database), unsubscribes from a
reminder without logging in, asks for deletion and, after the grace period, is gone from every
table, while the programme's report and the anonymous survey's results are unchanged and the
certificate still verifies, without the name.
"""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PASSWORD, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Itzel Ku'uyoc Chablé"
EMAIL = "itzel.kuuyoc@example.org"


def link_in(message, pattern: str) -> str:
    found = re.search(r"https?://\S*" + pattern + r"\S*", message.body)
    assert found, f"no {pattern} link in {message.subject!r}"
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def last_mail_to(address: str):
    return next(m for m in reversed(mail.outbox) if address in m.to)


def tables_mentioning(*needles: str) -> list[str]:
    """Every table with a row holding one of the strings, in any column."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row if v is not None)
                if any(n.lower() in text.lower() for n in needles):
                    found.append(table)
                    break
    return found


def report_figures(programme):
    from reports.overview import programme_overview

    data = programme_overview(programme)
    rows = lambda groups: [(g.label, g.enrolled, g.completed, g.certificates) for g in groups]  # noqa: E731
    return data.totals, rows(data.organisations), rows(data.cohorts)


@pytest.fixture
def privacy_world(site, settings, tmp_path):
    """A programme with an open course (a lesson and an anonymous survey five others answered),
    a cohort with a trainer, and a published privacy notice."""
    from assessments.factories import QuestionFactory, survey_with_questions
    from assessments.models import Question
    from assessments.services import survey_submit
    from courses.factories import LessonPageFactory, ModulePageFactory, course_tree
    from courses.services import enrolment_create
    from lms.factories import CohortFactory, OrganisationFactory, UserFactory
    from lms.services import cohort_add_member
    from tests.privacy.helpers import publish_notice

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "privacy.mail.LoggingEmailBackend"
    settings.PRIVACY_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish_notice(version=1)
    course = course_tree(modules=0, title="Curso de datos personales", hours=4)
    module = ModulePageFactory(parent=course)
    LessonPageFactory(parent=module, title="Lección única")
    likert = QuestionFactory(qtype=Question.Type.LIKERT, text="¿El curso fue útil?")
    survey = survey_with_questions(
        parent=module, questions=[likert], anonymous=True, title="Encuesta anónima"
    )
    org = OrganisationFactory(name="Secretaría de Privacidad", short_name="SEPRIV")
    for value in "45345":
        other = UserFactory(organisation=org)
        enrolment_create(user=other, course=course)
        survey_submit(user=other, survey=survey, answers={f"q{likert.pk}": value})
    trainer = UserFactory(roles=("trainer",))
    cohort = CohortFactory(
        programme=course.get_parent().specific, trainers=[trainer], name="Cohorte Privacidad"
    )
    return {
        "course": course,
        "survey": survey,
        "likert": likert,
        "org": org,
        "trainer": trainer,
        "cohort": cohort,
        "lms_cohort_add": cohort_add_member,
    }


def test_sign_up_confirm_download_unsubscribe_and_be_forgotten(
    page, browser, live_server, privacy_world
):
    from assessments.selectors import survey_results
    from assessments.services import survey_submit
    from certificates.models import Certificate
    from courses.models import ActivityProgress, Enrolment
    from lms.models import User
    from privacy.erasure import retention_apply
    from privacy.models import EmailLog, MessageOptOut, NoticeAcceptance
    from reports.services import reminders_send

    world = privacy_world
    course, survey = world["course"], world["survey"]

    # Sign up: the short notice is on the form, the integral one a link away; acceptance is
    # explicit.
    page.goto("/cuenta/registro/")
    expect(page.locator(".notice-short")).to_contain_text("Aviso corto 1 (es)")
    assert run_axe(page) == []
    integral = page.locator(".notice-short a").get_attribute("href")
    page.locator("input[name=full_name]").fill(NAME)
    page.locator("input[name=email]").fill(EMAIL.upper())
    page.locator("select[name=organisation]").select_option(str(world["org"].pk))
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_accept_notice_error")).to_be_visible()  # not accepted: not created
    assert not User.objects.filter(email=EMAIL).exists()
    reader = browser.new_page(base_url=live_server.url, locale="es-MX")
    reader.goto(integral)
    expect(reader.locator("main")).to_contain_text("Aviso integral 1 (es)")
    reader.close()
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=accept_notice]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/")
    user = User.objects.get(email=EMAIL)
    assert NoticeAcceptance.objects.get(user=user).version == 1

    # Not confirmed: enrolling is refused. The e-mailed link confirms.
    page.goto(course.url)
    page.locator(f"form[action$='/cursos/{course.id}/inscribirme/'] button").click()
    assert not Enrolment.objects.filter(user=user).exists()
    page.goto(link_in(last_mail_to(EMAIL), "/privacidad/confirmar/"))
    assert not Enrolment.objects.filter(user=user).exists() and run_axe(page) == []
    page.locator("main form button[type=submit]").click()
    page.goto(course.url)
    page.locator(f"form[action$='/cursos/{course.id}/inscribirme/'] button").click()
    assert Enrolment.objects.filter(user=user).exists()

    # Study: answer the anonymous survey, finish the lesson; the certificate is issued.
    survey_submit(user=user, survey=survey, answers={f"q{world['likert'].pk}": "5"})
    page.goto(course.url)
    page.locator("main a.button", has_text=re.compile("Continuar|Continue")).first.click()
    page.locator("form[action*='/completar/'] button").click()
    certificate = Certificate.objects.get(user=user, course=course)
    assert certificate.learner_name == NAME

    # A trainer's reminder reaches her with a one-click unsubscribe that needs no login.
    world["lms_cohort_add"](cohort=world["cohort"], user=user)
    reminders_send(
        sender=world["trainer"], cohort=world["cohort"], user_ids=[user.pk], message="¡Siga así!"
    )
    reminder = last_mail_to(EMAIL)
    unsubscribe = link_in(reminder, "/privacidad/baja/")
    assert reminder.extra_headers["List-Unsubscribe"].strip("<>").endswith(unsubscribe + "un-clic/")
    stranger = browser.new_context(base_url=live_server.url, locale="es-MX")
    anonymous = stranger.new_page()
    anonymous.goto(unsubscribe)  # opening the link only asks; the button unsubscribes
    assert run_axe(anonymous) == []
    assert not MessageOptOut.objects.filter(user=user, kind="trainer_reminder").exists()
    anonymous.locator("main form button[type=submit]").click()
    expect(anonymous.locator("h1")).to_have_text(re.compile("Suscripción cancelada"))
    assert run_axe(anonymous) == []
    assert MessageOptOut.objects.filter(user=user, kind="trainer_reminder").exists()
    before = len(mail.outbox)
    reminders_send(
        sender=world["trainer"],
        cohort=world["cohort"],
        user_ids=[user.pk],
        message="Otro recordatorio",
    )
    assert len(mail.outbox) == before

    # "Mis datos": the ZIP, built in the background, holds what the database holds.
    page.goto("/privacidad/mis-datos/")
    assert run_axe(page) == []
    page.get_by_role("button", name=re.compile("Preparar mis datos")).click()
    expect(page.get_by_role("link", name=re.compile("Descargar mis datos"))).to_be_visible()
    assert run_axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Descargar mis datos")).click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    data = json.loads(archive.read("data.json"))
    assert {f"{name}.csv" for name in data} <= set(archive.namelist())
    assert data["profile"][0]["email"] == EMAIL and data["profile"][0]["full_name"] == NAME
    assert len(data["enrolments"]) == Enrolment.objects.filter(user=user).count() == 1
    assert len(data["progress"]) == ActivityProgress.objects.filter(user=user).count()
    assert [c["code"] for c in data["certificates"]] == [certificate.display_code]
    assert [s["survey"] for s in data["surveys_answered"]] == [survey.title]
    assert (
        data["named_survey_answers"] == []
    )  # the anonymous answer is tied to nobody, not even her
    assert len(data["emails_sent"]) == EmailLog.objects.filter(user=user).count() >= 3
    assert data["privacy_notice_acceptances"][0]["version"] == 1
    assert [r["kind"] for r in data["refused_messages"]] == ["trainer_reminder"]
    assert len(data["reminders_received"]) == 1

    # Cancellation: asked, confirmed by e-mail, carried out after the grace period.
    programme = course.get_parent().specific
    report_before = report_figures(programme)
    survey_before = repr(survey_results(survey))
    page.goto("/privacidad/mis-datos/")
    page.get_by_role("button", name=re.compile("Borrar mi cuenta y mis datos")).click()
    page.goto(link_in(last_mail_to(EMAIL), "/privacidad/cancelacion/"))
    page.get_by_role("button", name=re.compile("Sí, borrar")).click()
    expect(page.locator("h1")).to_have_text(re.compile("Borrado confirmado"))
    assert retention_apply(now=timezone.now() + timedelta(days=29))["deletion_requests"] == 0
    assert User.objects.get(pk=user.pk).email == EMAIL  # still inside the grace period
    assert retention_apply(now=timezone.now() + timedelta(days=31))["deletion_requests"] == 1

    assert tables_mentioning(EMAIL, "Itzel", "Ku'uyoc") == []
    assert report_figures(programme) == report_before
    assert repr(survey_results(survey)) == survey_before
    anonymous.goto(f"/v/{certificate.display_code}")
    expect(anonymous.locator(".verify-result")).to_contain_text("válida")
    expect(anonymous.locator(".verify-facts")).to_contain_text(
        "La persona titular pidió no mostrar su nombre."
    )
    expect(anonymous.locator(".verify-facts")).to_contain_text(course.title)
    page.goto("/mi-aprendizaje/")
    page.wait_for_url("**/cuenta/entrar/**")  # her session ended with her account
    stranger.close()
