"""In Chromium: answers save on change, survive a reload, and the attempt page passes axe."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "clave-segura-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "base_url": live_server.url,
        "locale": "es-MX",
    }


@pytest.fixture
def attempt_setup(transactional_db):

    from assessments.factories import QuestionFactory, quiz_with_questions
    from assessments.models import Question
    from courses.factories import course_tree
    from courses.models import ModulePage
    from courses.services import enrolment_create
    from lms.factories import UserFactory
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()
    course = course_tree(modules=1, lessons=1)
    module = ModulePage.objects.child_of(course).first()
    quiz = quiz_with_questions(
        parent=module,
        time_limit_minutes=30,
        questions=[
            QuestionFactory(text="¿Primera pregunta?"),
            QuestionFactory(qtype=Question.Type.SHORT, text="¿Capital?", choices=[("México", 100)]),
        ],
    )
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    enrolment_create(user=user, course=course)
    return user, quiz


def test_answers_save_as_the_learner_goes_and_come_back_after_a_reload(page, attempt_setup):
    from assessments.models import Attempt

    user, quiz = attempt_setup
    page.set_default_timeout(10_000)
    csp = []
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto("/cuenta/entrar/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/**")
    page.goto(quiz.url)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/evaluaciones/intentos/**")
    page.get_by_label("Correcta", exact=True).check()
    page.locator("#autosave-status").filter(has_text="guardadas").wait_for()
    page.get_by_label("Su respuesta").fill("Mexico")
    page.get_by_label("Su respuesta").blur()
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.length > 0"
    )
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    assert len(attempt.answers) >= 1
    page.reload()
    assert page.get_by_label("Correcta", exact=True).is_checked()
    assert page.locator("#time-left").inner_text() != ""
    if AXE_PATH.exists():
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;window.axe = axe; true;")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
    page.get_by_role("button", name="Entregar para calificar").click()
    page.wait_for_url("**/revision/")
    assert Attempt.objects.get(user=user, quiz=quiz).is_submitted
    assert csp == []
