"""The journeys across apps, on the demo site, at a phone's size: quizzes, workshops,
certificates, a trainer's attendance and export, and a stranger checking a certificate."""

import csv
import io
import re
import subprocess

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, confirm_email_from_outbox

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo1234"


def login(page, email, password=DEMO_PASSWORD):
    page.goto("/cuenta/entrar/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/**")


def answer_everything(page):
    """Give an answer to every question of the attempt form, whatever its type, and submit."""
    form = page.locator("#attempt-form")
    for name in set(form.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)")):
        form.locator(f"input[type=radio][name='{name}']").first.check()
    for name in set(
        form.locator("input[type=checkbox]").evaluate_all("els => els.map(e => e.name)")
    ):
        form.locator(f"input[type=checkbox][name='{name}']").first.check()
    for field in form.locator("input[type=text], input[type=number], input:not([type])").all():
        field.fill("8")
    for field in form.locator("textarea").all():
        field.fill("Una respuesta escrita con calma.")
    for select in form.locator("select").all():
        options = select.locator("option").evaluate_all(
            "els => els.map(e => e.value).filter(v => v)"
        )
        if options:
            select.select_option(options[0])
    form.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r".*/revision/.*"))


def take_quiz(page, url) -> bool:
    """Start (or continue) and submit the quiz at `url`; False when it cannot be started."""
    page.goto(url)
    start = page.locator("form[action*='/iniciar/'] button, a.button[href*='/intentos/']")
    if not start.count():
        return False
    start.first.click()
    answer_everything(page)
    return True


def test_learner_takes_pre_test_lessons_quiz_and_post_test(page, demo_site):
    """A new learner enrols in the open course and works through it from the course page."""
    from assessments.models import Attempt, QuizPage
    from courses.models import ActivityProgress, CoursePage
    from lms.models import Organisation, User

    page.goto("/cuenta/registro/")
    page.locator("input[name=full_name]").fill("Guadalupe Chablé Ku'uyoc")
    page.locator("input[name=email]").fill("guadalupe@example.org")
    page.locator("select[name=organisation]").select_option(
        str(Organisation.objects.order_by("pk").first().pk)
    )
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    if page.locator("input[name=accept_notice]").count():
        page.locator("input[name=accept_notice]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/")
    user = User.objects.get(email="guadalupe@example.org")
    confirm_email_from_outbox(page, user.email)
    course = CoursePage.objects.get(slug="masculinidades-servicio-publico")
    page.goto(course.url)
    page.locator(f"form[action$='/cursos/{course.id}/inscribirme/'] button").click()

    for _step in range(25):
        page.goto(course.url)
        follow = page.locator("main a.button", has_text=re.compile("Continuar|Continue"))
        if not follow.count():
            break
        follow.first.click()
        if page.locator("form[action*='/completar/'] button").count():
            page.locator("form[action*='/completar/'] button").click()
        elif page.locator("form[action*='/iniciar/'] button, a.button[href*='/intentos/']").count():
            assert take_quiz(page, page.url)
        else:
            break  # a workshop or a survey: their own journeys below
    submitted = Attempt.objects.filter(user=user).exclude(submitted_at=None)
    kinds = set(submitted.values_list("quiz__kind", flat=True))
    assert {"pre", "graded"} <= kinds, kinds
    assert ActivityProgress.objects.filter(user=user, course=course, state="complete").count() >= 3
    post = QuizPage.objects.live().filter(kind=QuizPage.Kind.POST).descendant_of(course).first()
    if take_quiz(page, post.url):
        assert Attempt.objects.filter(user=user, quiz=post).exclude(submitted_at=None).exists()
    page.goto("/mi-aprendizaje/")
    expect(page.locator("main")).to_contain_text(course.title)


def test_learner_registers_for_a_workshop_session(page, demo_site):
    """A learner of the cohort books a seat; the booking shows on the page and in the database."""
    from workshops.models import Registration, WorkshopPage

    login(page, "participante@example.org")
    before = Registration.objects.filter(
        user__email="participante@example.org", status="confirmed"
    ).count()
    for workshop in WorkshopPage.objects.live().order_by("path"):
        page.goto(workshop.url)
        register = page.locator(
            "form[action*='/inscribirme/'] button",
            has_text=re.compile("Inscribirme|Register|Registrarme|Reservar|Book", re.I),
        )
        if register.count():
            register.first.click()
            expect(page.locator(".messages")).to_be_visible()
            break
    else:
        pytest.fail("no workshop offered a session to register for")
    after = Registration.objects.filter(
        user__email="participante@example.org", status="confirmed"
    ).count()
    assert after == before + 1


def test_learner_downloads_her_certificate_and_a_stranger_verifies_it(
    page, browser, live_server, demo_site
):
    """The PDF names her as she wrote her name; its code checks out on the public page."""
    from certificates.models import Certificate

    certificate = Certificate.objects.filter(
        user__email="maria.lopez@example.org", state="ready"
    ).first()
    assert certificate is not None
    login(page, "maria.lopez@example.org")
    page.goto("/certificados/mis-certificados/")
    with page.expect_download() as download_info:
        page.locator("a[href*='/pdf/']").first.click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "López" in text

    stranger = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    try:
        other = stranger.new_page()
        other.goto("/certificados/verificar/")
        other.locator("main form input[type=text], main form input:not([type])").first.fill(
            certificate.display_code
        )
        other.locator("main form button[type=submit]").click()
        expect(other.locator("main")).to_contain_text("María Guadalupe López Cruz")
        expect(other.locator("main")).to_contain_text(certificate.course_title)
    finally:
        stranger.close()


def test_trainer_marks_attendance_and_exports_the_cohort_report(page, demo_site):
    """Attendance saved from the roster; the cohort's progress CSV lists its learners."""
    from workshops.models import Registration, WorkshopPage

    login(page, "facilitadora.empresas@example.org")
    workshop = WorkshopPage.objects.get(slug="formacion-en-vivo-1")
    session = workshop.sessions.order_by("start").first()
    page.goto(f"/talleres/sesiones/{session.pk}/asistencia/")
    radios = page.locator("input[type=radio][value=attended]")
    assert radios.count() >= 1
    for radio in radios.all():
        radio.check()
    page.locator(
        "main form button[type=submit]", has_text=re.compile("asistencia|attendance", re.I)
    ).click()
    expect(page.locator(".messages")).to_be_visible()
    confirmed = Registration.objects.filter(session=session, status="confirmed")
    assert confirmed.exists()
    assert set(confirmed.values_list("attendance", flat=True)) == {"attended"}

    page.goto("/reportes/")
    page.locator("main a[href*='/reportes/cohortes/']").first.click()
    with page.expect_download() as download_info:
        page.locator("a[href*='/exportar/progress.csv']").first.click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 2
    assert any("Ibáñez" in " ".join(row) or "Mendoza" in " ".join(row) for row in rows[1:])
