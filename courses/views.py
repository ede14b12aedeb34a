from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from privacy.selectors import email_confirmed

from . import selectors, services
from .exceptions import ProgressError
from .models import ActivityPage, CoursePage, ProgrammePage


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def _url_of(page, request) -> str:
    return page.get_url(request) or reverse("learner_home")


def _positive_id(value) -> int | None:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= selectors.MAX_ID else None


def catalogue(request):
    query = request.GET.get("q", "").strip()[:200]
    programme_id = _positive_id(request.GET.get("programa"))
    mode = request.GET.get("modalidad", "")
    mode = mode if mode in CoursePage.EnrolmentMode.values else ""
    language = request.GET.get("idioma", "")
    language = language if language in dict(settings.LANGUAGES) else ""
    courses = selectors.catalogue(
        query=query, programme_id=programme_id, mode=mode, language=language
    )
    page = Paginator(courses, 20).get_page(request.GET.get("pagina"))
    active = translation.get_language()
    other_languages = sorted(
        {
            str(get_language_info(c.language)["name_translated"])
            for c in page
            if c.language != active
        }
    )
    filters = {
        k: v
        for k, v in {
            "q": query,
            "programa": programme_id or "",
            "modalidad": mode,
            "idioma": language,
        }.items()
        if v
    }
    return render(
        request,
        "courses/catalogue.html",
        {
            "courses": page,
            "query": query,
            "programme_id": programme_id,
            "mode": mode,
            "language": language,
            "filter_query": urlencode(filters),
            "programmes": ProgrammePage.objects.live().public().order_by("path"),
            "modes": CoursePage.EnrolmentMode.choices,
            "languages": settings.LANGUAGES,
            "other_languages": other_languages,
        },
    )


@require_POST
@login_required
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    if not email_confirmed(request.user):
        messages.error(
            request,
            _(
                "Please confirm your e-mail address first: open the link we sent you, "
                "or ask for a new one in “My data”."
            ),
        )
        return redirect(_url_of(course, request))
    try:
        services.enrolment_create(user=request.user, course=course)
    except ProgressError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return redirect(_url_of(course, request))


@require_POST
@login_required
def withdraw(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    if services.enrolment_withdraw(user=request.user, course=course):
        messages.success(
            request,
            _("You left the course “%(course)s”. Your progress is kept.")
            % {"course": course.title},
        )
    return redirect(_url_of(course, request) if course.live else reverse("learner_home"))


@require_POST
@login_required
def complete(request, activity_id: int):
    """Complete an activity that completes by the learner's button (a lesson). Safe to repeat."""
    activity = get_object_or_404(Page.objects.live().specific(), pk=activity_id)
    if not isinstance(activity, ActivityPage) or not activity.completes_by_button:
        return redirect(_url_of(activity, request))
    try:
        services.activity_complete(user=request.user, activity=activity)
    except ProgressError as error:
        messages.error(request, error.message)
        return redirect(_url_of(activity, request))
    course = selectors.course_of(activity)
    status = selectors.course_status(request.user, course)
    if status.complete:
        messages.success(request, _("Congratulations! You completed the course."))
        return redirect(_url_of(course, request))
    messages.success(request, _("Activity completed."))
    following = status.next_after(activity.pk)
    if following and following.url:
        return redirect(following.url)
    return redirect(_safe_next(request, _url_of(course, request)))
