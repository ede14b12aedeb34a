"""The service worker, manifest, packages and the sync endpoint over HTTP."""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import Attempt
from offline.models import OfflineItem, QuizPaper
from offline.selectors import account_key

from .conftest import right_pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(enrolled):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrolled)
    return client


def paper_of(client, quiz):
    """The question paper, asked for as the offline script does: a POST with a fresh token."""
    token = client.get("/sin-conexion/token/").json()["token"]
    return client.post(f"/sin-conexion/cuestionarios/{quiz.pk}/", HTTP_X_CSRFTOKEN=token)


def test_the_service_worker_is_served_from_the_root_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert (
        b"/static/offline/offline.js" in response.content and b"offline-shell-" in response.content
    )


def test_the_service_worker_is_the_same_for_every_visitor_and_language(client_of):
    """A browser installs a new worker whenever the script's bytes change: a sign-in or another
    language must not change them (the offline page carries every language of the site)."""
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/sw.js").content
    spanish = client_of.get("/sw.js", HTTP_ACCEPT_LANGUAGE="es-MX").content
    assert anonymous == spanish
    assert "Sin conexión" in spanish.decode() and "No connection" in spanish.decode()


def test_the_site_is_installable(client):
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/mi-aprendizaje/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_every_page_links_the_manifest_and_the_script_but_no_cdn(client, course):
    html = client.get(course.url).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'src="/static/offline/offline.js"' in html and "https://" not in html.split("<body")[0]


def test_a_fresh_csrf_token_names_the_account_and_is_never_cached(client_of, enrolled):
    response = client_of.get("/sin-conexion/token/")
    assert "no-store" in response["Cache-Control"]
    assert response.json()["account"] == account_key(enrolled) and response.json()["token"]


def test_the_question_paper_carries_no_answers_weights_or_feedback(client_of, quiz):
    body = paper_of(client_of, quiz).json()
    paper = QuizPaper.objects.get(pk=body["paper"])
    raw = json.dumps(body)
    assert "weight" not in raw and "feedback" not in raw and '"correct"' not in raw
    assert (
        "Muy bien" not in raw and "Revise la lecci" not in raw and "Vea la lecci" not in raw
    )  # choice and general feedback
    for snap in paper.questions:
        assert f'name="r_{snap["key"]}"' in body["html"]


def test_the_course_package_lists_pages_images_and_offline_quizzes_with_sizes(
    client_of, course, quiz
):
    body = client_of.get(f"/sin-conexion/cursos/{course.pk}/").json()
    urls = [p["url"] for p in body["pages"]]
    assert course.url in urls and quiz.url in urls and "/sin-conexion/" in urls
    assert body["bytes"] == sum(p["bytes"] for p in body["pages"]) + sum(
        i["bytes"] for i in body["images"]
    )
    assert [a["page"] for a in body["answerable"]] == [quiz.pk]


def test_a_course_package_needs_an_enrolment(client, learner, course):
    client.force_login(learner)
    response = client.get(f"/sin-conexion/cursos/{course.pk}/")
    assert response.status_code == 403 and response.json()["error"]


def sync(client, items):
    token = client.get("/sin-conexion/token/").json()["token"]
    return client.post(
        "/sin-conexion/enviar/",
        json.dumps({"items": items}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )


def test_sync_needs_a_csrf_token(client_of):
    response = client_of.post("/sin-conexion/enviar/", "{}", content_type="application/json")
    assert response.status_code == 403


def test_a_repeated_send_is_answered_with_the_first_result(client_of, enrolled, quiz):
    paper_id = paper_of(client_of, quiz).json()["paper"]
    paper = QuizPaper.objects.get(pk=paper_id)
    item = {
        "id": str(uuid.uuid4()),
        "kind": "attempt",
        "page": quiz.pk,
        "paper": paper_id,
        "data": right_pairs(paper),
        "answered_at": timezone.now().isoformat(),
    }
    first = sync(client_of, [item]).json()["items"][0]
    second = sync(client_of, [{**item, "data": []}]).json()["items"][0]
    assert first == second and first["status"] == "accepted" and first["result"]["score"] == 100.0
    assert Attempt.objects.filter(user=enrolled).count() == 1 and OfflineItem.objects.count() == 1


@pytest.mark.parametrize("body", ["not json", json.dumps({"items": "x"}), json.dumps([1, 2])])
def test_bad_input_is_a_clear_400_not_a_500(client_of, body):
    token = client_of.get("/sin-conexion/token/").json()["token"]
    response = client_of.post(
        "/sin-conexion/enviar/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400 and response.json()["error"]


def test_an_unreadable_item_is_reported_and_the_rest_applied(client_of, module):
    from courses.models import LessonPage

    lesson = LessonPage.objects.child_of(module).first()
    good = {
        "id": str(uuid.uuid4()),
        "kind": "completion",
        "page": lesson.pk,
        "answered_at": timezone.now().isoformat(),
    }
    answers = sync(client_of, [{"id": "nope", "kind": "x"}, good]).json()["items"]
    assert [a["status"] for a in answers] == ["invalid", "accepted"]


def test_the_status_page_lists_what_the_server_received(client_of, enrolled, module):
    from courses.models import LessonPage

    lesson = LessonPage.objects.child_of(module).first()
    sync(
        client_of,
        [
            {
                "id": str(uuid.uuid4()),
                "kind": "completion",
                "page": lesson.pk,
                "answered_at": timezone.now().isoformat(),
            }
        ],
    )
    html = client_of.get("/sin-conexion/").content.decode()
    assert lesson.title in html and "data-offline-status" in html


def test_the_quiz_page_offers_offline_answers_only_when_the_editor_allows_it(client_of, quiz):
    assert "data-offline-answer" in client_of.get(quiz.url).content.decode()
    quiz.available_offline = False
    quiz.save_revision().publish()
    assert "data-offline-answer" not in client_of.get(quiz.url).content.decode()


def test_a_module_page_saves_just_that_module(client_of, course, module):
    from courses.models import ModulePage

    html = client_of.get(module.url).content.decode()
    assert f'data-offline-save="/sin-conexion/cursos/{course.pk}/?modulo={module.pk}"' in html
    body = client_of.get(f"/sin-conexion/cursos/{course.pk}/?modulo={module.pk}").json()
    other = ModulePage.objects.child_of(course).exclude(pk=module.pk).first()
    urls = [p["url"] for p in body["pages"]]
    assert module.url in urls and other.url not in urls and body["url"] == module.url
    assert client_of.get(f"/sin-conexion/cursos/{course.pk}/?modulo=abc").status_code == 404


def test_pages_without_an_enrolment_offer_no_saving(client, learner, course):
    client.force_login(learner)
    assert "data-offline-save" not in client.get(course.url).content.decode()
    client.logout()
    assert "data-offline-save" not in client.get(course.url).content.decode()
