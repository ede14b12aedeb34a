from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lms.csv_download import attachment, csv_response

from . import dashboard, exports, overview, selectors, sources, surveys
from .forms import DashboardFilterForm, OverviewFilterForm, ReminderForm

REMINDERS_PER_HOUR = 30


def reports_access(view):
    """Logged-in trainers and managers only; anyone else gets 403 (learners see nothing here)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.can_see_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _cohort_or_404(request, cohort_id: int):
    cohort = selectors.report_cohort(request.user, cohort_id)
    if cohort is None:
        raise Http404
    return cohort


def _programme_or_404(request, programme_id: int):
    programme = selectors.report_programme(request.user, programme_id)
    if programme is None:
        raise Http404
    return programme


def _querystring(params, *drop: str) -> str:
    params = params.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@require_GET
@reports_access
def index(request):
    return render(
        request,
        "reports/index.html",
        {
            "cohorts": selectors.report_cohorts(request.user),
            "programmes": selectors.report_programmes(request.user),
        },
    )


def _dashboard_form(request, cohort, data):
    courses = selectors.cohort_courses(cohort)
    organisations = dashboard.cohort_organisations(cohort)
    return (
        DashboardFilterForm(data, courses=courses, organisations=organisations),
        courses,
        organisations,
    )


@require_GET
@reports_access
def cohort_dashboard(request, cohort_id: int):
    cohort = _cohort_or_404(request, cohort_id)
    form, courses, organisations = _dashboard_form(request, cohort, request.GET)
    if request.GET and not form.is_valid():
        messages.warning(
            request, _("Some filters were not valid; the page shows the default view.")
        )
    course = form.course()
    context = {"cohort": cohort, "form": form, "courses": courses}
    if course is None:
        return render(request, "reports/cohort_dashboard.html", context)
    board = dashboard.cohort_dashboard(
        cohort, course, form.query(request.GET.get("pagina", 1)), organisations=organisations
    )
    context.update(
        board=board,
        legend=dashboard.CELL_LEGEND,
        filters_qs=_querystring(request.GET, "pagina"),
        export_qs=_querystring(request.GET, "pagina", "por_pagina"),
        reminder_form=ReminderForm(cohort=cohort, initial={"mensaje": _default_message(course)}),
        stuck_days=board.query.stuck_days,
        offline_items=sources.offline_items([row.user.pk for row in board.rows], course),
    )
    return render(request, "reports/cohort_dashboard.html", context)


def _default_message(course) -> str:
    return _(
        "We miss you in the course “%(course)s”. You can continue from your phone where you "
        "left off. If something is in the way, reply to this e-mail or call the help line."
    ) % {"course": course.title}


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    # Only a path on this site: anything else would be taken by redirect() for a URL name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


@require_POST
@reports_access
def cohort_remind(request, cohort_id: int):
    """Queue a reminder e-mail to the selected learners (or every stuck learner) after commit."""
    from .tasks import send_reminders

    cohort = _cohort_or_404(request, cohort_id)
    back = _safe_next(request, reverse("reports:cohort", args=[cohort.pk]))
    if not reminders_within_limit(request):
        messages.error(
            request,
            _("You have sent many reminders in the last hour. Please wait before sending more."),
        )
        return redirect(back)
    stuck_ids = None
    if request.POST.get("atascados"):
        form, _courses, _orgs = _dashboard_form(request, cohort, request.POST)
        course = form.course()
        if course is None:
            messages.error(request, _("This cohort has no course yet."))
            return redirect(back)
        query = form.query(1)
        stuck = dashboard.filter_by_state(
            dashboard.cohort_enrolments(cohort, course, organisation_id=query.organisation_id),
            course,
            state="stuck",
            stuck_days=query.stuck_days,
            now=timezone.now(),
        )
        stuck_ids = list(stuck.values_list("user_id", flat=True))
    form = ReminderForm(request.POST, cohort=cohort, stuck_ids=stuck_ids)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    recipients = form.recipients()
    message = form.cleaned_data["mensaje"]
    sender_id = request.user.pk
    transaction.on_commit(lambda: send_reminders.delay(sender_id, recipients, cohort.pk, message))
    messages.success(
        request,
        ngettext(
            "The reminder is on its way to %(count)d learner.",
            "The reminder is on its way to %(count)d learners.",
            len(recipients),
        )
        % {"count": len(recipients)},
    )
    return redirect(back)


def reminders_within_limit(request) -> bool:
    """Reminders per sender and hour (the site's limiter; fails open: staff keep working)."""
    from lms.ratelimit import hit

    return hit(
        "reminders",
        str(request.user.pk),
        limit=REMINDERS_PER_HOUR,
        window_seconds=3600,
        fail_open=True,
    )


def _download(fmt: str, filename: str, sheet: str, header, body):
    if fmt == "csv":
        return csv_response(
            filename, exports.plain_row(header), map(exports.plain_row, body), stream=True
        )
    response = HttpResponse(
        exports.xlsx_bytes(sheet, header, body),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return attachment(response, f"{filename}.xlsx")


@require_GET
@reports_access
def cohort_export(request, cohort_id: int, kind: str, fmt: str):
    cohort = _cohort_or_404(request, cohort_id)
    if kind not in exports.EXPORT_KINDS or fmt not in exports.FORMATS:
        raise Http404
    form, _courses, _orgs = _dashboard_form(request, cohort, request.GET)
    course = form.course()
    if course is None:
        raise Http404
    query = form.query(1)
    rows = dashboard.all_rows(cohort, course, query)
    if kind == "progress":
        header, body = exports.progress_table(
            rows, dashboard.columns_of(dashboard.course_structure(course))
        )
        sheet = _("Progress")
    elif kind == "quizzes":
        header, body = exports.quizzes_table(rows)
        sheet = _("Quiz results")
    else:
        header, body = exports.attendance_table(rows)
        sheet = _("Attendance")
    filename = f"{slugify(cohort.name)[:40]}-{kind}-{timezone.localdate():%Y%m%d}"
    return _download(fmt, filename, str(sheet), header, body)


def _overview_for(request, programme):
    form = OverviewFilterForm(request.GET, courses=selectors.programme_courses(programme))
    valid = form.is_valid()
    if request.GET and not valid:
        messages.warning(
            request, _("Some filters were not valid; the page shows the default view.")
        )
    kind = form.cleaned_data.get("tipo", "") if valid else ""
    course_id = form.cleaned_data.get("curso") if valid else None
    return form, overview.programme_overview(programme, kind=kind, course_id=course_id)


@require_GET
@reports_access
def programme_overview(request, programme_id: int):
    programme = _programme_or_404(request, programme_id)
    form, data = _overview_for(request, programme)
    cohorts = selectors.report_cohorts(request.user).filter(programme=programme)
    return render(
        request,
        "reports/programme_overview.html",
        {
            "programme": programme,
            "form": form,
            "overview": data,
            "surveys": surveys.survey_report(programme, request.user),
            "cohort_ids": set(cohorts.values_list("id", flat=True)),
            "kind_choices": [
                (k, label) for k, label in overview.KIND_FILTERS.items() if k and k != "other"
            ],
            "overview_course": form.cleaned_data.get("curso") if form.is_valid() else None,
            "filters_qs": _querystring(request.GET),
        },
    )


@require_GET
@reports_access
def programme_export(request, programme_id: int, table: str, fmt: str):
    programme = _programme_or_404(request, programme_id)
    if table not in overview.EXPORT_TABLES or fmt not in exports.FORMATS:
        raise Http404
    _form, data = _overview_for(request, programme)
    header, body, sheet = overview.export_table(data, table)
    filename = f"{slugify(programme.title)[:40]}-{table}-{timezone.localdate():%Y%m%d}"
    return _download(fmt, filename, sheet, header, body)
