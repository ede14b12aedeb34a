"""The service worker and web app manifest (served from the site root), the learner's offline
page, the packages a device stores and the endpoint that receives what it did offline."""

import json
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assessments.models import QuizPage, SurveyPage
from assessments.selectors import survey_snapshots, survey_state
from courses.exceptions import ProgressError
from courses.models import CoursePage, ModulePage

from . import selectors, services
from .models import OfflineItem

MAX_ITEMS = 50
STATIC_SHELL = ["css/site.css", "offline/offline.js", "offline/icon-192.png"]


def _release() -> str:
    """Changes when the site's static files or the release change: a new service worker then
    installs and replaces the old shell cache (saved courses and queues are kept)."""
    return getattr(settings, "RELEASE_ID", "") or static("offline/offline.js")


@require_GET
def service_worker(request):
    body = render_to_string(
        "offline/sw.js",
        {
            "version": _release(),
            "shell": [static(path) for path in STATIC_SHELL],
            "static_url": settings.STATIC_URL,
            "offline_url": reverse("offline:status"),
            "token_url": reverse("offline:token"),
            "sync_url": reverse("offline:sync"),
            # Every language, not the request's: a sign-in must not install a new worker.
            "offline_page": render_to_string(
                "offline/no_connection.html",
                {"site_language": settings.LANGUAGE_CODE, "languages": settings.LANGUAGES},
            ),
        },
        request=request,
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on navigation; it must never be stale.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request):
    manifest = {
        "name": _("Training platform"),
        "short_name": _("Training"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("learner_home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_GET
def token(request):
    """A fresh CSRF token for a send made long after the page was loaded, and the account the
    session belongs to (a device sends a queue only under the account that filled it)."""
    return JsonResponse(
        {"token": get_token(request), "account": selectors.account_key(request.user)}
    )


@never_cache
@require_GET
def status(request):
    """What this device keeps and what it sent (filled in by the script from the device's
    storage), and what the server received from the learner's devices."""
    items = selectors.learner_items(request.user) if request.user.is_authenticated else []
    return render(request, "offline/status.html", {"items": items})


@never_cache
@require_GET
@login_required
def course_package(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    module = None
    if request.GET.get("modulo"):
        try:
            module = ModulePage.objects.live().child_of(course).get(pk=int(request.GET["modulo"]))
        except (ValueError, ModulePage.DoesNotExist):
            raise Http404 from None
    package = selectors.course_package(request.user, course, module)
    if package is None:
        return JsonResponse(
            {"error": _("Enrol in the course to save it on this device.")}, status=403
        )
    return JsonResponse(package)


@never_cache
@require_POST
@login_required
def quiz_package(request, quiz_id: int):
    """The learner's question paper: the questions as the attempt form shows them, rendered by
    the same template, without weights, right answers or feedback. Issuing a paper writes (a
    `QuizPaper`), so the offline script asks for it with a POST and its CSRF token."""
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        paper = services.paper_issue(user=request.user, quiz=quiz)
    except ProgressError as error:
        return JsonResponse({"error": str(error.message)}, status=409)
    return JsonResponse(
        {
            "page": quiz.pk,
            "kind": "quiz",
            "title": quiz.title,
            "paper": str(paper.pk),
            "html": _items_html(request, selectors.paper_items(paper)),
        }
    )


@never_cache
@require_POST
@login_required
def survey_package(request, survey_id: int):
    """The survey's questions for answering offline (asked for like a quiz paper, by POST)."""
    survey = get_object_or_404(SurveyPage.objects.live(), pk=survey_id)
    if not survey.available_offline:
        return JsonResponse({"error": _("This survey cannot be answered offline.")}, status=409)
    if survey_state(request.user, survey)["answered"]:
        return JsonResponse({"error": _("You have already answered this survey.")}, status=409)
    return JsonResponse(
        {
            "page": survey.pk,
            "kind": "survey",
            "title": survey.title,
            "paper": "",
            "html": _items_html(request, selectors.survey_paper_items(survey_snapshots(survey))),
        }
    )


def _items_html(request, items: list[dict]) -> str:
    return "".join(
        render_to_string(
            "assessments/includes/question_input.html", {"item": item}, request=request
        )
        for item in items
    )


def _parse_item(raw) -> tuple[uuid.UUID, str, int, object, dict] | None:
    if not isinstance(raw, dict):
        return None
    try:
        item_id = uuid.UUID(str(raw.get("id", "")))
        page_id = int(raw.get("page", 0))
    except (TypeError, ValueError):
        return None
    kind = raw.get("kind")
    answered_at = (
        parse_datetime(str(raw.get("answered_at", ""))) if raw.get("answered_at") else None
    )
    if kind not in OfflineItem.Kind.values or page_id <= 0 or answered_at is None:
        return None
    if timezone.is_naive(answered_at):
        answered_at = timezone.make_aware(answered_at, timezone.utc)
    return item_id, kind, page_id, answered_at, raw


def _item_answer(item: OfflineItem) -> dict:
    if item.status == OfflineItem.Status.RECEIVED:
        # Seen while another send of the same item is being applied: the device keeps it and
        # sends it again, to be answered with the result.
        return {"id": str(item.pk), "status": "retry", "message": ""}
    return {
        "id": str(item.pk),
        "status": item.status,
        "message": item.message,
        "result": item.result,
        "received_at": item.received_at.isoformat(),
    }


@require_POST
def sync(request):
    """Receive what a device queued offline: {"items": [{id, kind, page, answered_at, paper?,
    data?}]}. Each item is applied once; the answer lists each item's (first) result."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in to send what you did offline.")}, status=401)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": _("The data sent could not be read.")}, status=400)
    raw_items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
        return JsonResponse({"error": _("The data sent could not be read.")}, status=400)
    answers = []
    for raw in raw_items:
        parsed = _parse_item(raw)
        if parsed is None:
            answers.append(
                {
                    "id": str(raw.get("id", "")) if isinstance(raw, dict) else "",
                    "status": "invalid",
                    "message": _("The data sent could not be read."),
                }
            )
            continue
        item_id, kind, page_id, answered_at, payload = parsed
        try:
            item = services.item_receive(
                user=request.user,
                item_id=item_id,
                kind=kind,
                page_id=page_id,
                answered_at=answered_at,
                payload=payload,
            )
        except ProgressError as error:
            answers.append({"id": str(item_id), "status": "invalid", "message": str(error.message)})
            continue
        answers.append(_item_answer(item))
    return JsonResponse({"items": answers})
