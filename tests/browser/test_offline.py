"""Offline use on a phone: save a course, read, complete and answer without a connection, and
have it count exactly once when the connection returns; a shared phone keeps accounts apart."""

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, PHONE, log_in, make_user, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS_JS = """async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("lms-offline", 1);
    r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  return await new Promise((ok) => {
    const r = db.transaction("items").objectStore("items").getAll();
    r.onsuccess = () => ok(r.result); });
}"""

RESEND_JS = """async (items) => {
  const tok = await (await fetch("/sin-conexion/token/", {credentials: "same-origin"})).json();
  const r = await fetch("/sin-conexion/enviar/", {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": tok.token},
    body: JSON.stringify({items: items.map(i => ({id: i.id, kind: i.kind, page: i.page,
      paper: i.paper, data: i.data, answered_at: i.answered_at}))})});
  return (await r.json()).items;
}"""


@pytest.fixture
def offline_course(site):
    """An open course: one module with two lessons and a quiz that can be taken offline."""
    from assessments.factories import QuestionFactory, quiz_with_questions
    from assessments.models import Question
    from courses.factories import course_tree
    from courses.models import ModulePage

    course = course_tree(modules=1, lessons=2, mode="open", title="Curso para llevar")
    module = ModulePage.objects.child_of(course).first()
    quiz_with_questions(
        parent=module,
        title="Cuestionario sin conexión",
        pass_mark=50,
        max_attempts=1,
        available_offline=True,
        questions=[
            QuestionFactory(text="¿Cuál es la correcta?"),
            QuestionFactory(qtype=Question.Type.TRUEFALSE, text="¿Es falso?", correct_answer=False),
        ],
    )
    return course


def enrolled_learner(course, **fields):
    from courses.services import enrolment_create

    user = make_user(**fields)
    enrolment_create(user=user, course=course)
    return user


def save_course(page, course):
    page.goto(course.url)
    box = page.locator("[data-offline-save]")
    expect(box).to_be_visible()
    expect(box.locator("[data-offline-ask]")).to_have_text("Guardar para usar sin conexión")
    box.locator("[data-offline-ask]").click()
    expect(box.locator("[data-offline-size]")).to_contain_text("Se guardarán unos")
    box.locator("[data-offline-go]").click()
    expect(box.locator("progress")).to_have_attribute("value", "100", timeout=20_000)
    expect(box.locator("[data-offline-saved]")).not_to_be_empty()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def answer_right(page):
    """The right answers of the offline form (choice texts are shown; their keys are not)."""
    form = page.locator("[data-offline-form]")
    form.locator("label", has_text="Correcta").first.click()
    form.locator("input[value=false]").check()
    form.locator("button[type=submit]").click()


def test_a_course_saved_offline_is_read_completed_and_answered_then_counted_once(
    page, context, browser, live_server, offline_course
):
    from assessments.models import Attempt, QuizPage
    from courses.models import ActivityProgress, LessonPage
    from lms.factories import CohortFactory
    from lms.models import CohortMembership
    from offline.models import OfflineItem

    learner = enrolled_learner(offline_course, full_name="Citlali Pérez Gómez")
    trainer = make_user(roles=("trainer",))
    cohort = CohortFactory(programme=offline_course.get_parent(), trainers=[trainer])
    CohortMembership.objects.create(cohort=cohort, user=learner)
    from courses.models import CohortCourse

    CohortCourse.objects.create(cohort=cohort, course=offline_course)
    lessons = list(LessonPage.objects.descendant_of(offline_course).order_by("path"))
    quiz_url = QuizPage.objects.descendant_of(offline_course).get().url

    log_in(page, learner)
    save_course(page, offline_course)
    assert run_axe(page) == []

    context.set_offline(True)
    page.goto(lessons[0].url)
    expect(page.locator("h1")).to_have_text(lessons[0].title)
    page.reload()
    expect(page.locator("h1")).to_have_text(lessons[0].title)
    expect(page.locator("#offline-banner")).to_be_visible()
    # The saved copy, not the network's: a stored page carries no CSRF token.
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    page.locator("form[action*='/completar/'] button").click()
    expect(page.locator("main .message")).to_be_visible()

    page.goto(quiz_url)
    expect(page.locator("[data-offline-form]")).to_be_visible()
    assert run_axe(page) == []
    answer_right(page)
    expect(page.locator("[data-offline-answer] .badge-pending")).to_be_visible()
    assert not Attempt.objects.exists() and not OfflineItem.objects.exists()

    page.close()
    page = context.new_page()
    page.goto(quiz_url)  # reopened without a connection: the answers are still waiting
    expect(page.locator("[data-offline-answer] .badge-pending")).to_be_visible()

    context.set_offline(False)
    expect(page.locator("[data-offline-answer] .badge-sent")).to_be_visible(timeout=15_000)
    attempt = Attempt.objects.get(user=learner)
    assert (
        attempt.state == Attempt.State.GRADED and float(attempt.score) == 100.0 and attempt.passed
    )
    assert ActivityProgress.objects.get(user=learner, activity_id=lessons[0].pk).state == "complete"
    assert OfflineItem.objects.filter(user=learner).count() == 2

    items = page.evaluate(ITEMS_JS)
    again = page.evaluate(RESEND_JS, items)
    assert {a["id"]: (a["status"], a["result"]) for a in again} == {
        i["id"]: ("accepted" if i["state"] == "sent" else i["state"], i["result"]) for i in items
    }
    assert Attempt.objects.filter(user=learner).count() == 1 and OfflineItem.objects.count() == 2

    trainer_context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    trainer_page = trainer_context.new_page()
    log_in(trainer_page, trainer)
    trainer_page.goto(f"/reportes/cohortes/{cohort.pk}/")
    section = trainer_page.locator("#offline-results").locator("..")
    expect(section).to_contain_text("Citlali")
    expect(section.locator("tbody tr")).to_have_count(2)
    expect(section).to_contain_text("100")
    trainer_context.close()


def test_another_account_on_the_same_phone_sees_none_of_the_saved_pages(
    page, context, offline_course
):
    from courses.models import LessonPage

    first = enrolled_learner(offline_course)
    second = make_user()
    lesson = LessonPage.objects.descendant_of(offline_course).order_by("path").first()
    log_in(page, first)
    save_course(page, offline_course)
    assert any(k.startswith("offline-acct-") for k in page.evaluate("caches.keys()"))

    page.locator("header form[action$='/salir/'] button").click()
    # The script first sends what is pending and empties the device, then signs out: wait for
    # the sign-out's own page, or the next navigation would cut it short.
    page.wait_for_url("/")
    page.goto("/cuenta/entrar/")
    page.locator("input[name=username]").fill(second.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mi-aprendizaje/**")
    assert not any(k.startswith("offline-acct-") for k in page.evaluate("caches.keys()"))
    assert page.evaluate(ITEMS_JS) == []

    context.set_offline(True)
    page.goto(lesson.url)
    expect(page.locator("h1")).not_to_have_text(lesson.title)


def test_an_offline_attempt_past_the_attempt_limit_is_refused_and_stays_visible(
    page, context, offline_course
):
    from assessments import services as assessment_services
    from assessments.models import Attempt, QuizPage

    learner = enrolled_learner(offline_course)
    quiz = QuizPage.objects.descendant_of(offline_course).get()
    log_in(page, learner)
    save_course(page, offline_course)

    context.set_offline(True)
    page.goto(quiz.url)
    answer_right(page)
    expect(page.locator("[data-offline-answer] .badge-pending")).to_be_visible()

    # Meanwhile the only attempt allowed is used on another device.
    online = assessment_services.attempt_start(user=learner, quiz=quiz)
    assessment_services.attempt_submit(user=learner, attempt_id=online.pk, answers={})

    context.set_offline(False)
    refused = page.locator("[data-offline-answer] .badge-rejected")
    expect(refused).to_be_visible(timeout=15_000)
    expect(page.locator("[data-offline-answer] .message-error")).to_contain_text("1")
    assert Attempt.objects.filter(user=learner).count() == 1
    page.goto("/sin-conexion/")
    expect(page.locator("[data-offline-items] .badge-rejected")).to_be_visible()
    assert run_axe(page) == []


def test_a_survey_answered_offline_is_sent_in_the_background_with_no_page_open(
    page, context, live_server, offline_course
):
    """Background sync: the service worker sends the queue when the browser says the connection
    is back, although the learner closed the page. (When the browser fires the event is its own
    affair; the test fires it through the DevTools protocol, as Chromium's own tests do.)"""
    import time

    from assessments.factories import QuestionFactory, survey_with_questions
    from assessments.models import Question, SurveyParticipation, SurveyResponse
    from courses.models import ModulePage

    module = ModulePage.objects.child_of(offline_course).first()
    survey = survey_with_questions(
        parent=module,
        title="Encuesta sin conexión",
        available_offline=True,
        questions=[QuestionFactory(qtype=Question.Type.LIKERT, text="¿Le sirvió?")],
    )
    learner = enrolled_learner(offline_course)
    log_in(page, learner)
    save_course(page, offline_course)

    context.set_offline(True)
    page.goto(survey.url)
    form = page.locator("[data-offline-form]")
    form.locator("input[type=radio]").nth(3).check()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-offline-answer] .badge-pending")).to_be_visible()
    page.close()

    context.set_offline(False)
    blank = context.new_page()  # no page of the site is open: only the DevTools session
    cdp = context.new_cdp_session(blank)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        blank.wait_for_timeout(200)
    registration = next(
        r for r in registrations if r["scopeURL"].startswith(live_server.url) and not r["isDeleted"]
    )
    # Up to a minute: on a loaded machine (the whole suite, 53 min) 30 s once ran out.
    deadline = time.monotonic() + 60
    while (
        not SurveyParticipation.objects.filter(user=learner).exists()
        and time.monotonic() < deadline
    ):
        # Again while nothing arrived: an event the browser fired itself while the context was
        # still offline may be pending its own retry.
        cdp.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": live_server.url,
                "registrationId": registration["registrationId"],
                "tag": "offline-send",
                "lastChance": False,
            },
        )
        blank.wait_for_timeout(2000)
    assert SurveyParticipation.objects.filter(user=learner, survey=survey).count() == 1
    assert list(SurveyResponse.objects.get(survey=survey).answers.values()) == ["4"]
