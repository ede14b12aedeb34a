"""Public verification, the learner's certificates and the managers' certificate desk."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .codes import normalise_code
from .credentials.publishing import credential_verification
from .exceptions import CertificateActionRefused
from .forms import CohortForm, ReissueForm, RevokeForm, VerifyForm
from .models import Certificate
from .ratelimit import client_address, hit


def _verify_allowed(request) -> bool:
    limit = getattr(settings, "CERTIFICATES_VERIFY_RATE", 30)
    return hit("verify", client_address(request), limit=limit, window_seconds=60)


def _too_many(request):
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def verify_form(request):
    """A form to type a code; a valid one goes to the certificate's verification page."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        from .codes import format_code

        return redirect("certificates:verify", code=format_code(form.cleaned_data["code"]))
    return render(request, "certificates/verify_form.html", {"form": form})


def verify(request, code: str):
    """What anyone may know about a certificate: name, course, hours, date and validity."""
    if not _verify_allowed(request):
        return _too_many(request)
    canonical = normalise_code(code)
    certificate = selectors.certificate_by_code(canonical) if canonical else None
    if certificate is None:
        return render(
            request,
            "certificates/verify.html",
            {"certificate": None, "code": code, "form": VerifyForm()},
            status=404,
        )
    response = render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "code": code, **credential_verification(certificate)},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def my_certificates(request):
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": selectors.learner_certificates(request.user)},
    )


def _pdf_response(certificate: Certificate) -> FileResponse:
    if not certificate.pdf or not default_storage.exists(certificate.pdf.name):
        raise Http404
    filename = f"certificado-{slugify(certificate.course_title)[:50]}-{certificate.code}.pdf"
    response = FileResponse(
        default_storage.open(certificate.pdf.name, "rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request, code: str):
    """The learner's own PDF; anyone else's code answers 404."""
    canonical = normalise_code(code)
    certificate = selectors.learner_certificate(request.user, canonical) if canonical else None
    if certificate is None or not certificate.downloadable:
        raise Http404
    return _pdf_response(certificate)


# --- managers ----------------------------------------------------------------------------------


def _manager_or_404(request):
    if not selectors.is_certificate_manager(request.user):
        raise Http404


@login_required
def manage_index(request):
    _manager_or_404(request)
    courses = list(selectors.managed_courses(request.user).specific())
    rows = [
        (course, selectors.state_counts(Certificate.objects.filter(course=course)))
        for course in courses
    ]
    return render(
        request,
        "certificates/manage_index.html",
        {"rows": rows, "states": Certificate.State.choices},
    )


@login_required
@never_cache
def manage_course(request, course_id: int):
    _manager_or_404(request)
    course = selectors.managed_course(request.user, course_id)
    if course is None:
        raise Http404
    cohorts = selectors.managed_cohorts(request.user, course)
    cohort = None
    if request.GET.get("cohort"):
        try:
            cohort = cohorts.filter(pk=int(request.GET["cohort"])).first()
        except ValueError:
            cohort = None
    state = request.GET.get("state", "")
    if state not in Certificate.State.values:
        state = ""
    certificates = selectors.managed_certificates(request.user, course, cohort=cohort, state=state)
    context = {
        "course": course,
        "cohorts": cohorts,
        "cohort": cohort,
        "state": state,
        "states": Certificate.State.choices,
        "counts": selectors.state_counts(
            selectors.managed_certificates(request.user, course, cohort=cohort)
        ),
        "certificates": certificates[:500],
        "total": certificates.count(),
        "cohort_form": CohortForm(cohorts=cohorts, initial={"cohort": cohort}),
        "archives": (archives := list(selectors.archives_for(course, cohort)) if cohort else []),
        "archive_pending": any(a.state == a.State.PENDING for a in archives),
        "batches": course.certificate_batches.filter(cohort=cohort)[:3] if cohort else [],
    }
    return render(request, "certificates/manage_course.html", context)


@login_required
def manage_certificate(request, certificate_id: int):
    _manager_or_404(request)
    certificate = selectors.managed_certificate(request.user, certificate_id)
    if certificate is None:
        raise Http404
    return render(
        request,
        "certificates/manage_certificate.html",
        {
            "certificate": certificate,
            "revoke_form": RevokeForm(),
            "reissue_form": ReissueForm(initial={"learner_name": certificate.user.full_name}),
        },
    )


def _managed_or_404(request, certificate_id: int) -> Certificate:
    _manager_or_404(request)
    certificate = selectors.managed_certificate(request.user, certificate_id)
    if certificate is None:
        raise Http404
    return certificate


def _back(certificate: Certificate):
    return redirect("certificates:manage_certificate", certificate_id=certificate.pk)


@login_required
@require_POST
def revoke(request, certificate_id: int):
    certificate = _managed_or_404(request, certificate_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the revocation."))
        return _back(certificate)
    services.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
    messages.success(request, _("The certificate was revoked."))
    return _back(certificate)


@login_required
@require_POST
def reinstate(request, certificate_id: int):
    certificate = _managed_or_404(request, certificate_id)
    if certificate.state != Certificate.State.REVOKED:
        messages.error(request, _("Only a revoked certificate can be reinstated."))
        return _back(certificate)
    services.certificate_reinstate(certificate=certificate)
    messages.success(request, _("The certificate was reinstated: it verifies as valid again."))
    return _back(certificate)


@login_required
@require_POST
def reissue(request, certificate_id: int):
    certificate = _managed_or_404(request, certificate_id)
    form = ReissueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the name on the certificate."))
        return _back(certificate)
    try:
        services.certificate_reissue(
            certificate=certificate,
            learner_name=form.cleaned_data["learner_name"],
            use_current_template=form.cleaned_data["use_current_template"],
        )
    except CertificateActionRefused as refusal:
        messages.error(request, refusal.message)
        return _back(certificate)
    messages.success(request, _("The certificate is being re-issued with the same code."))
    return _back(certificate)


@login_required
@require_POST
def retry(request, certificate_id: int):
    certificate = _managed_or_404(request, certificate_id)
    if services.certificate_retry(certificate=certificate):
        messages.success(request, _("The certificate was queued again."))
    else:
        messages.error(request, _("Only a failed certificate can be retried."))
    return _back(certificate)


@login_required
def manage_download(request, certificate_id: int):
    certificate = _managed_or_404(request, certificate_id)
    return _pdf_response(certificate)


def _course_and_cohort(request, course_id: int):
    _manager_or_404(request)
    course = selectors.managed_course(request.user, course_id)
    if course is None:
        raise Http404
    form = CohortForm(request.POST, cohorts=selectors.managed_cohorts(request.user, course))
    return course, (form.cleaned_data["cohort"] if form.is_valid() else None)


@login_required
@require_POST
def bulk_issue(request, course_id: int):
    course, cohort = _course_and_cohort(request, course_id)
    if cohort is None:
        messages.error(request, _("Choose one of the cohorts listed."))
        return redirect("certificates:manage_course", course_id=course.pk)
    batch = services.certificate_batch_create(
        cohort=cohort, course=course, requested_by=request.user
    )
    return redirect("certificates:batch", batch_id=batch.pk)


@login_required
@never_cache
def batch(request, batch_id: int):
    _manager_or_404(request)
    found = selectors.managed_batch(request.user, batch_id)
    if found is None:
        raise Http404
    progress = selectors.batch_progress(found)
    running = found.finished_at is None or progress["done"] < progress["total"]
    return render(
        request,
        "certificates/batch.html",
        {"batch": found, "progress": progress, "running": running},
    )


@login_required
@require_POST
def archive_request(request, course_id: int):
    course, cohort = _course_and_cohort(request, course_id)
    if cohort is None:
        messages.error(request, _("Choose one of the cohorts listed."))
        return redirect("certificates:manage_course", course_id=course.pk)
    services.certificate_archive_create(cohort=cohort, course=course, requested_by=request.user)
    messages.success(
        request, _("The ZIP file is being prepared; it will be listed here when ready.")
    )
    return redirect(
        reverse("certificates:manage_course", args=[course.pk]) + f"?cohort={cohort.pk}"
    )


@login_required
def archive_download(request, archive_id: int):
    _manager_or_404(request)
    archive = selectors.managed_archive(request.user, archive_id)
    if archive is None or not archive.file or not default_storage.exists(archive.file.name):
        raise Http404
    filename = (
        f"certificados-{slugify(archive.cohort.name)[:40]}-{slugify(archive.course.title)[:40]}.zip"
    )
    return FileResponse(
        default_storage.open(archive.file.name, "rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=filename,
    )
