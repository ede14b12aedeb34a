"""The issuer's public documents (did.json, achievements, status lists), a learner's credential
and the credential verification page."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from ..codes import normalise_code
from ..ratelimit import client_address, hit
from . import badge, configuration, publishing, selectors
from .forms import CredentialCheckForm
from .services import achievement_for

JSON_LD_TYPES = ("application/ld+json", "application/json")


def _json(
    document: dict, *, content_type: str = "application/json", filename: str = ""
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=300)
def did_json(request):
    """The issuer's DID document (did:web): its current and retired public keys."""
    document = configuration.did_document()
    if not document["verificationMethod"]:
        raise Http404
    return _json(document, content_type="application/did+json")


def _public_course(course_id: int):
    from courses.models import CoursePage

    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


@require_safe
@vary_on_headers("Accept")
@cache_control(public=True, max_age=300)
def achievement(request, course_id: int):
    """A course as an Open Badges achievement: JSON-LD to a client asking for it, else HTML."""
    course = _public_course(course_id)
    found = achievement_for(course)
    issuer = configuration.issuer()
    preferred = request.get_preferred_type(["text/html", *JSON_LD_TYPES])
    if preferred in JSON_LD_TYPES:
        return _json(
            badge.achievement_document(found, issuer, with_context=True), content_type=preferred
        )
    return render(
        request,
        "certificates/credentials/achievement.html",
        {"achievement": found, "course": course, "issuer": issuer},
    )


@require_safe
@cache_control(public=True, max_age=60)
def status_list(request, list_number: int):
    """A signed Bitstring Status List credential (revocation), its bits from the current state."""
    if list_number < 1:
        raise Http404
    document = publishing.status_list_credential(list_number)
    if document is None:
        raise Http404
    return _json(document)


@login_required
def credential_download(request, code: str):
    """The learner's own credential as a JSON file (to keep, or to import into a wallet)."""
    canonical = normalise_code(code)
    credential = selectors.learner_credential(request.user, canonical) if canonical else None
    if credential is None:
        raise Http404
    response = _json(credential.document, filename=f"credencial-{canonical}.json")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def credential_public(request, credential_uuid):
    """A credential by its unguessable id, for a wallet that imports from an address."""
    credential = selectors.public_credential(credential_uuid)
    if credential is None:
        raise Http404
    response = _json(credential.document)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def linkedin_url(certificate, credential_document: dict | None = None) -> str:
    """LinkedIn's add-to-profile address for a certificate, every field filled in."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": settings.WAGTAIL_SITE_NAME,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "certUrl": certificate.verify_url,
        "certId": certificate.display_code,
    }
    if certificate.expires_on:
        params["expirationYear"] = certificate.expires_on.year
        params["expirationMonth"] = certificate.expires_on.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


@login_required
def learner_certificate(request, code: str):
    """The learner's own certificate: PDF, credential, LinkedIn and wallet."""
    from ..selectors import learner_certificate as own_certificate

    canonical = normalise_code(code)
    certificate = own_certificate(request.user, canonical) if canonical else None
    if certificate is None:
        raise Http404
    credential = selectors.certificate_credential(certificate) if certificate.downloadable else None
    return render(
        request,
        "certificates/credentials/learner_certificate.html",
        {
            "certificate": certificate,
            "credential": credential,
            "linkedin_url": linkedin_url(certificate) if certificate.downloadable else "",
            "wallet_url": configuration.absolute("certificates:credential_public", credential.uuid)
            if credential
            else "",
        },
    )


def credential_verify(request):
    """Anyone checks a credential file: signature, status and dates, each said separately."""
    form = CredentialCheckForm(request.POST or None, request.FILES or None)
    outcome = None
    status = 200
    if request.method == "POST":
        limit = getattr(settings, "CERTIFICATES_VERIFY_RATE", 30)
        if not hit("verify", client_address(request), limit=limit, window_seconds=60):
            response = render(request, "certificates/verify_limited.html", status=429)
            response["Retry-After"] = "60"
            return response
        if form.is_valid():
            outcome = publishing.credential_check(form.cleaned_data["document"])
        else:
            status = 400
    return render(
        request,
        "certificates/credentials/verify.html",
        {"form": form, "outcome": outcome, "title": _("Verify a digital credential")},
        status=status,
    )
