from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import selectors, services
from .exceptions import ProgressError
from .models import ActivityPage, CoursePage, ProgrammePage


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def catalogue(request):
    query = request.GET.get("q", "").strip()[:200]
    try:
        programme_id = int(request.GET.get("programa") or 0) or None
    except ValueError:
        programme_id = None
    mode = request.GET.get("modalidad", "")
    courses = selectors.catalogue(query=query, programme_id=programme_id, mode=mode)
    page = Paginator(courses, 20).get_page(request.GET.get("pagina"))
    return render(
        request,
        "courses/catalogue.html",
        {
            "courses": page,
            "query": query,
            "programme_id": programme_id,
            "mode": mode,
            "programmes": ProgrammePage.objects.live().public().order_by("path"),
            "modes": CoursePage.EnrolmentMode.choices,
        },
    )


@require_POST
@login_required
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except ProgressError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return redirect(course.url)


@require_POST
@login_required
def withdraw(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    if services.enrolment_withdraw(user=request.user, course=course):
        messages.success(request, _("You left the course “%(course)s”. Your progress is kept.") % {"course": course.title})
    return redirect(course.url)


@require_POST
@login_required
def complete(request, activity_id: int):
    activity = get_object_or_404(Page.objects.live().specific(), pk=activity_id)
    if not isinstance(activity, ActivityPage) or not activity.completes_by_button:
        return redirect(activity.url)
    try:
        services.activity_complete(user=request.user, activity=activity)
    except ProgressError as error:
        messages.error(request, error.message)
        return redirect(activity.url)
    course = selectors.course_of(activity)
    status = selectors.course_status(request.user, course)
    if status.complete:
        messages.success(request, _("Congratulations! You completed the course."))
        return redirect(course.url)
    messages.success(request, _("Activity completed."))
    if status.next_activity:
        return redirect(status.next_activity.url)
    return redirect(_safe_next(request, course.url))
