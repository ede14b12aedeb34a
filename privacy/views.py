"""Pages of the privacy app: the notice, e-mail confirmation, "Mis datos" (ARCO rights),
message preferences and one-click unsubscribe, sessions, sensitive-data consent, the audit log."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from lms.models import User

from . import erasure, selectors, services, tokens
from .export import data_export_request
from .forms import AcceptNoticeForm, PreferencesForm, signup_form_class
from .middleware import SESSION_ACCEPTED
from .models import DataExport
from .registry import app_message_kinds, message_kinds, unsubscribable_kinds
from .services import signup_user_create


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def signup(request):
    """Sign-up: the short privacy notice accepted explicitly (version and time recorded), then an
    e-mail confirmation link; the account can study but not enrol until the address is confirmed."""
    if request.user.is_authenticated:
        return redirect("learner_home")
    current = selectors.notice_current(get_language())
    form = signup_form_class(current)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = signup_user_create(data=form.cleaned_data, notice=current)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if current is not None:
            request.session[SESSION_ACCEPTED] = current.version
        messages.success(
            request, _("Welcome! We sent you an e-mail: open its link to confirm your address.")
        )
        return redirect("learner_home")
    return render(request, "registration/signup.html", {"form": form, "notice": current})


def notice(request):
    """The integral privacy notice, public, in the visitor's language."""
    return render(
        request, "privacy/notice.html", {"notice": selectors.notice_current(get_language())}
    )


@login_required
def accept_notice(request):
    current = selectors.notice_current(get_language())
    form = AcceptNoticeForm(request.POST or None)
    if current is None:
        return redirect(_next(request, reverse("learner_home")))
    if request.method == "POST" and form.is_valid():
        services.notice_accept(
            user=request.user, version=current.version, language=current.language
        )
        request.session[SESSION_ACCEPTED] = current.version
        messages.success(
            request, _("Thank you: your acceptance of the privacy notice was recorded.")
        )
        return redirect(_next(request, reverse("learner_home")))
    return render(
        request,
        "privacy/accept_notice.html",
        {"notice": current, "form": form, "next": _next(request, "")},
    )


def confirm_email(request, token: str):
    user = services.email_confirm(token=token)
    if user is None:
        return render(request, "privacy/link_invalid.html", status=400)
    messages.success(request, _("Thank you: your e-mail address is confirmed."))
    return redirect("learner_home" if request.user.is_authenticated else "login")


@login_required
@require_POST
def resend_confirmation(request):
    try:
        sent = services.email_confirmation_send(user=request.user)
    except services.ResendTooSoon:
        messages.error(
            request, _("We sent you a link a moment ago. Please wait a minute before asking again.")
        )
    else:
        if sent:
            messages.success(request, _("We sent you a new confirmation link."))
    return redirect(_next(request, reverse("privacy:my_data")))


@login_required
def my_data(request):
    """ "Mis datos": see, download, correct, delete; refuse messages; consents and sessions."""
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": selectors.exports_of(request.user)[:5],
            "deletion": selectors.deletion_request_of(request.user),
            "grace_days": erasure.grace_days(),
            "consents": selectors.consents_of(request.user),
            "confirmed": selectors.email_confirmed(request.user),
            "accepted_version": selectors.notice_accepted_version(request.user),
        },
    )


@login_required
@require_POST
def export_request(request):
    export = data_export_request(user=request.user)
    return redirect("privacy:export_status", export_id=export.pk)


@login_required
def export_status(request, export_id: int):
    export = get_object_or_404(DataExport, pk=export_id, user=request.user)
    return render(request, "privacy/export_status.html", {"export": export})


@login_required
def export_download(request, export_id: int):
    export = get_object_or_404(
        DataExport, pk=export_id, user=request.user, state=DataExport.State.READY
    )
    if not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename="mis-datos.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def deletion_request(request):
    erasure.deletion_request_start(user=request.user)
    messages.success(request, _("We sent you an e-mail: open its link to confirm the deletion."))
    return redirect("privacy:my_data")


def confirm_deletion(request, token: str):
    if tokens.read(tokens.DELETE_SALT, token, max_age=tokens.link_max_age()) is None:
        return render(request, "privacy/link_invalid.html", status=400)
    if request.method == "POST":
        confirmed = erasure.deletion_confirm(token=token)
        if confirmed is None:
            return render(request, "privacy/link_invalid.html", status=400)
        return render(request, "privacy/deletion_confirmed.html", {"deletion": confirmed})
    return render(request, "privacy/confirm_deletion.html")


@login_required
@require_POST
def deletion_cancel(request):
    if erasure.deletion_cancel(user=request.user):
        messages.success(request, _("Your deletion request was cancelled; your account stays."))
    return redirect("privacy:my_data")


@login_required
def preferences(request):
    kinds = message_kinds()
    form = PreferencesForm(
        request.POST or None, kinds=kinds, refused=selectors.opted_out_kinds(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.message_preferences_set(
            user=request.user, refused=form.refused(), kinds=set(kinds)
        )
        messages.success(request, _("Your message preferences were saved."))
        return redirect("privacy:preferences")
    return render(request, "privacy/preferences.html", {"form": form})


def _unsubscribe_target(token: str):
    payload = tokens.read(tokens.UNSUBSCRIBE_SALT, token) or {}
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    kind = payload.get("k", "")
    return (user, kind) if user is not None and kind in unsubscribable_kinds() else (None, "")


def _kind_context(kind: str, token: str) -> dict:
    app_kind = app_message_kinds().get(kind)
    if app_kind is not None:
        return {"kind_label": app_kind.label, "preferences_url": app_kind.preferences_url}
    return {"kind_label": message_kinds()[kind], "token": token}


def unsubscribe(request, token: str):
    """The unsubscribe link in a non-essential e-mail: opening it unsubscribes, without logging
    in; the page offers to undo (a CSRF-protected form). Kinds that an app keeps on its own
    preferences page are asked for confirmation at the one-click address instead."""
    user, kind = _unsubscribe_target(token)
    if user is None:
        return render(request, "privacy/link_invalid.html", status=400)
    if kind in app_message_kinds():
        return redirect("privacy:unsubscribe_one_click", token=token)
    context = _kind_context(kind, token)
    if request.method == "POST" and request.POST.get("undo") == "1":
        services.message_opt_in(user=user, kind=kind)
        return render(request, "privacy/unsubscribed.html", {**context, "undone": True})
    services.message_opt_out(user=user, kind=kind)
    return render(request, "privacy/unsubscribed.html", context)


ONE_CLICK_BODY = ("List-Unsubscribe", "One-Click")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_one_click(request, token: str):
    """RFC 8058 one-click unsubscribe, the address in the List-Unsubscribe header: the mail client
    POSTs `List-Unsubscribe=One-Click` with no cookie and so no CSRF token. The signed token is
    the authority, and the only effect is refusing one kind of message (idempotent). A GET (a
    person who opened the address, or a link scanner) changes nothing: it shows one button that
    sends the same POST."""
    user, kind = _unsubscribe_target(token)
    if user is None:
        return render(request, "privacy/link_invalid.html", status=400)
    context = _kind_context(kind, token)
    if request.method != "POST":
        return render(
            request, "privacy/unsubscribe_confirm.html", {**context, "one_click": ONE_CLICK_BODY}
        )
    if request.POST.get(ONE_CLICK_BODY[0]) != ONE_CLICK_BODY[1]:
        return render(request, "privacy/unsubscribe_bad_request.html", context, status=400)
    services.message_opt_out(user=user, kind=kind)
    return render(request, "privacy/unsubscribed.html", context)


@login_required
def sessions(request):
    if request.method == "POST":
        ended = services.sessions_end(
            user=request.user, keep_session_key=request.session.session_key
        )
        if request.POST.get("include_this") == "1":
            logout(request)
            return redirect("login")
        messages.success(request, _("%(count)s other sessions were closed.") % {"count": ended})
        return redirect("privacy:sessions")
    return render(
        request,
        "privacy/sessions.html",
        {
            "sessions": selectors.sessions_of(request.user),
            "current": request.session.session_key,
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; the person's other sessions end (their session hash no longer
    matches), and their session records go with them."""

    def form_valid(self, form):
        response = super().form_valid(form)
        session = self.request.session
        services.sessions_end(user=self.request.user, keep_session_key=session.session_key)
        services.session_record(
            user=self.request.user,
            session_key=session.session_key,
            user_agent=self.request.headers.get("User-Agent", ""),
        )
        return response


@login_required
def consent(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id)
    form = selectors.consent_needed(request.user, page_id)
    back = _next(request, page.url or "/")
    if form is None:
        return redirect(back)
    if request.method == "POST":
        granted = request.POST.get("decision") == "grant"
        services.consent_record(user=request.user, page_id=page_id, granted=granted)
        if granted:
            messages.success(
                request,
                _("Thank you: your consent was recorded. You can withdraw it in “My data”."),
            )
            return redirect(back)
        messages.info(
            request, _("You chose not to answer. The rest of the course stays available to you.")
        )
        return redirect("learner_home")
    return render(request, "privacy/consent.html", {"form": form, "page": page, "next": back})


@login_required
@require_POST
def consent_withdraw(request, page_id: int):
    services.consent_withdraw(user=request.user, page_id=page_id)
    messages.success(request, _("Your consent was withdrawn."))
    return redirect("privacy:my_data")


@login_required
def audit_log(request):
    """The audit log, read-only: a programme manager sees their programmes' entries, a superuser all."""
    entries = selectors.audit_entries_visible_to(request.user)
    if not request.user.is_superuser and not request.user.managed_programmes.exists():
        raise Http404
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(request, "privacy/audit_log.html", {"page": page})
