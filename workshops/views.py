import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import course_of
from lms import ratelimit
from lms.csv_download import csv_response
from lms.models import User
from lms.services import user_reset_calendar_token

from . import checkin as checkin_codes
from . import selectors, services
from .exceptions import WorkshopError
from .feeds import registration_ics, registrations_ics, session_ics
from .forms import AttendanceForm, CheckInForm, MaterialForm, SessionCancelForm
from .models import Registration, SessionMaterial, WorkshopSession
from .uploads import MaterialRejected

logger = logging.getLogger(__name__)
# A whole room may share one address (its Wi-Fi): generous, but it stops a script.
CHECKIN_PER_ADDRESS = 300


def _live_session(session_id: int) -> WorkshopSession:
    session = (
        WorkshopSession.objects.select_related("page")
        .filter(pk=session_id, page__live=True)
        .first()
    )
    if session is None:
        raise Http404
    return session


def _staff_session(request, session_id: int) -> WorkshopSession:
    session = selectors.session_managed_by(request.user, session_id)
    if session is None:
        raise Http404
    return session


def _back(session: WorkshopSession) -> str:
    return f"{session.page.url}#sesion-{session.pk}"


@require_POST
@login_required
def register(request, session_id: int):
    session = _live_session(session_id)
    try:
        registration = services.registration_create(user=request.user, session=session)
    except WorkshopError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request, _("Your seat is confirmed. We sent you the details by e-mail.")
            )
        else:
            messages.success(
                request,
                _(
                    "The session is full: you are on the waitlist. We will e-mail you if a seat "
                    "frees up."
                ),
            )
    return redirect(_back(session))


@require_POST
@login_required
def cancel(request, session_id: int):
    session = _live_session(session_id)
    try:
        cancelled = services.registration_cancel(user=request.user, session=session)
    except WorkshopError as error:
        messages.error(request, error.message)
    else:
        if cancelled:
            messages.success(request, _("Your registration was cancelled."))
    return redirect(_back(session))


@login_required
def session_calendar(request, session_id: int):
    """The session's .ics: the person's own event (also once cancelled: it then says so, with
    the same UID and a raised SEQUENCE), or the session's for its staff."""
    session = _live_session(session_id)
    registration = selectors.registration_for_calendar(request.user, session)
    staff = selectors.can_manage_workshop(request.user, session.page)
    if registration is None and not staff:
        raise Http404
    if registration is not None and (registration.is_active or not staff):
        body = registration_ics(registration)
    else:
        body = session_ics(session, show_link=True)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(session.page.title)[:60] or "sesion"}.ics"'
    )
    return response


def calendar_feed(request, token: str):
    user = (
        User.objects.filter(calendar_token=token, is_active=True).first()
        if len(token) >= 20
        else None
    )
    if user is None:
        raise Http404
    body = registrations_ics(selectors.feed_registrations(user), name=_("My workshops"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
def calendar_settings(request):
    path = reverse("workshops:calendar_feed", args=[request.user.calendar_token])
    feed_url = settings.SITE_URL + path
    webcal_url = "webcal://" + feed_url.split("://", 1)[-1]
    return render(
        request, "workshops/calendar.html", {"feed_url": feed_url, "webcal_url": webcal_url}
    )


@require_POST
@login_required
def calendar_reset(request):
    user_reset_calendar_token(user=request.user)
    messages.success(
        request, _("Your calendar address was changed. The old address no longer works.")
    )
    return redirect("workshops:calendar")


@require_POST
@login_required
def material_upload(request, session_id: int):
    session = _live_session(session_id)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(session))
    try:
        services.material_add(
            user=request.user,
            session=session,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except MaterialRejected as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your presentation is shared with the participants of this session.")
        )
    return redirect(_back(session))


def _visible_material(request, material_id: int) -> SessionMaterial:
    material = get_object_or_404(
        SessionMaterial.objects.select_related("session__page"), pk=material_id
    )
    if (
        not selectors.materials_visible_to(request.user, material.session)
        .filter(pk=material.pk)
        .exists()
    ):
        raise Http404
    return material


@login_required
def material_download(request, material_id: int):
    material = _visible_material(request, material_id)
    name = f"{slugify(material.title)[:60] or 'presentacion'}.{material.file_type}"
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=name)


@require_POST
@login_required
def material_remove(request, material_id: int):
    material = _visible_material(request, material_id)
    session = material.session
    if services.material_delete(user=request.user, material=material):
        messages.success(request, _("The presentation was removed."))
    return redirect(_back(session))


@login_required
def session_cancel(request, session_id: int):
    """A trainer cancels a session with a reason; everyone registered is told, calendars too."""
    session = _staff_session(request, session_id)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not session.is_cancelled:
        try:
            told = services.session_cancel(
                user=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except WorkshopError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The session was cancelled. %(n)s people were told by e-mail.") % {"n": told},
            )
            return redirect("workshops:staff_sessions")
    counts = selectors.session_counts([session.pk]).get(session.pk, {})
    return render(
        request,
        "workshops/session_cancel.html",
        {
            "session": session,
            "form": form,
            "registered": counts.get("confirmed", 0) + counts.get("waitlisted", 0),
        },
    )


@login_required
def staff_sessions(request):
    sessions = list(selectors.sessions_managed_by(request.user))
    if not sessions and not selectors.can_run_sessions(request.user):
        raise Http404
    counts = selectors.session_counts([s.pk for s in sessions])
    now = timezone.now()
    rows = [(s, counts.get(s.pk, {}), s.has_ended(now)) for s in sessions]
    return render(request, "workshops/staff_sessions.html", {"rows": rows})


@login_required
def attendance(request, session_id: int):
    session = _staff_session(request, session_id)
    roster = list(selectors.session_roster(session, request.user))
    confirmed = [r for r in roster if r.status == Registration.Status.CONFIRMED]
    form = AttendanceForm(request.POST or None, registrations=confirmed)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.attendance_record(
                    session=session, marks=form.marks(), marked_by=request.user
                )
            except WorkshopError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Attendance saved (%(n)s changed).") % {"n": changed})
                return redirect("workshops:attendance", session_id=session.pk)
        else:
            messages.error(request, _("Please check the marks and try again."))
    return render(
        request,
        "workshops/attendance.html",
        {
            "session": session,
            "workshop": session.page,
            "form": form,
            "waitlist": [r for r in roster if r.status == Registration.Status.WAITLISTED],
            "started": session.has_started(),
            "course": course_of(session.page),
        },
    )


@login_required
def attendance_csv(request, session_id: int):
    session = _staff_session(request, session_id)
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Status"),
        _("Attendance"),
        _("Checked in at"),
        _("Registered at"),
    ]
    rows = (
        [
            reg.user.full_name,
            reg.user.email,
            str(reg.organisation or reg.user.organisation or ""),
            reg.get_status_display(),
            reg.get_attendance_display(),
            reg.checked_in_at.astimezone(session.tz).strftime("%Y-%m-%d %H:%M")
            if reg.checked_in_at
            else "",
            reg.queued_at.astimezone(session.tz).strftime("%Y-%m-%d %H:%M"),
        ]
        for reg in selectors.session_roster(session, request.user)
    )
    return csv_response(f"asistencia-sesion-{session.pk}", header, rows)


@login_required
def signin_sheet(request, session_id: int):
    session = _staff_session(request, session_id)
    from .pdf import signin_sheet_pdf

    pdf = signin_sheet_pdf(
        session,
        list(
            selectors.session_roster(session, request.user).filter(
                status=Registration.Status.CONFIRMED
            )
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hoja-de-firmas-{session.pk}.pdf"'
    return response


@login_required
def checkin_display(request, session_id: int):
    session = _staff_session(request, session_id)
    if not selectors.may_show_checkin_code(request.user, session):
        raise Http404
    now = timezone.now()
    context = {
        "session": session,
        "workshop": session.page,
        "open": session.checkin_open(now),
        "course": course_of(session.page),
    }
    if context["open"]:
        code = checkin_codes.current_code(settings.SECRET_KEY, session.pk, now)
        url = (
            settings.SITE_URL + reverse("workshops:checkin", args=[session.pk]) + f"?codigo={code}"
        )
        context.update(
            code=code,
            checkin_url=url,
            qr_svg=segno.make(url, error="m").svg_inline(
                omitsize=True, title=_("QR code to check in")
            ),
            refresh_seconds=min(checkin_codes.seconds_left(now) + 1, checkin_codes.WINDOW_SECONDS),
        )
    return render(request, "workshops/checkin_display.html", context)


@login_required
def checkin_view(request, session_id: int):
    session = _live_session(session_id)
    registration = selectors.confirmed_registration(request.user, session)
    if registration is None:
        raise Http404
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("codigo", "")[:12]})
    if request.method == "POST" and form.is_valid():
        try:
            within = ratelimit.hit(
                "checkin-address",
                ratelimit.client_ip(request),
                limit=CHECKIN_PER_ADDRESS,
                window_seconds=300,
                fail_open=False,
            )
        except ratelimit.LimiterUnavailable:
            within = None
            form.add_error(
                "code",
                _(
                    "Check-in by code is unavailable right now. Ask the trainer to mark your "
                    "attendance."
                ),
            )
        if within is False:
            form.add_error(
                "code",
                _(
                    "Too many check-in attempts from this network. Wait a few minutes and try "
                    "again."
                ),
            )
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin(user=request.user, session=session, code=form.cleaned_data["code"])
        except WorkshopError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("You are checked in. Welcome!"))
            return redirect(_back(session))
    return render(
        request,
        "workshops/checkin.html",
        {
            "session": session,
            "workshop": session.page,
            "form": form,
            "registration": registration,
            "course": course_of(session.page),
        },
    )
