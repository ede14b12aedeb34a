"""Writes: signing a certificate's Open Badges credential, once per certificate generation."""

import dataclasses
import json
import logging
import secrets
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext
from wagtail.models import Page

from courses.models import CoursePage

from .. import rendering
from ..models import Certificate, Credential
from . import badge, configuration, proof, status
from .identity import verification_method_id

logger = logging.getLogger(__name__)


def credential_sign(*, certificate: Certificate) -> Credential | None:
    """Sign the OpenBadgeCredential of the certificate's current generation; idempotent.

    Called by the render task before it writes the PDF, which embeds the credential. One
    credential per certificate and generation (a database constraint, and a row lock while
    signing): a retried or duplicate render gets the credential already signed, a re-issue (a new
    generation) signs a new one. Returns None, and signs nothing, when no key is configured.
    Raises contexts.ContextsMissing when npm has not installed the JSON-LD contexts.
    """
    keys = configuration.signing_keys()
    if not keys:
        logger.info(
            "no credential key configured: certificate %s gets no credential", certificate.pk
        )
        return None
    signed = (
        Credential.objects.filter(certificate_id=certificate.pk, generation=certificate.generation)
        .exclude(key_id="")
        .first()
    )
    if signed is not None:
        return signed
    loader = configuration.document_loader()
    with transaction.atomic():
        row = _credential_row(certificate)
        credential = Credential.objects.select_for_update().get(pk=row.pk)
        if credential.key_id:
            return credential
        key = keys[0]
        credential.number = credential.pk
        now = timezone.now()
        document = badge.credential_document(
            issuer=configuration.issuer(),
            achievement=achievement_for(certificate.course),
            award=_award(certificate, credential, now),
        )
        credential.document = proof.sign(
            document,
            key=key,
            verification_method=verification_method_id(configuration.issuer_did(), key.key_id),
            created=now,
            loader=loader,
        )
        credential.key_id = key.key_id
        credential.save(update_fields=["number", "document", "key_id"])
    logger.info(
        "credential signed: certificate=%s generation=%s", certificate.pk, certificate.generation
    )
    return credential


def _credential_row(certificate: Certificate) -> Credential:
    found = Credential.objects.filter(
        certificate_id=certificate.pk, generation=certificate.generation
    ).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Credential.objects.create(
                certificate_id=certificate.pk,
                generation=certificate.generation,
                uuid=uuid.uuid4(),
                salt=secrets.token_hex(16),
            )
    except IntegrityError:  # another render of the same generation created it meanwhile
        return Credential.objects.get(
            certificate_id=certificate.pk, generation=certificate.generation
        )


def _award(certificate: Certificate, credential: Credential, now: datetime) -> badge.Award:
    list_number, index = status.locate(credential.number)
    return badge.Award(
        credential_id=f"urn:uuid:{credential.uuid}",
        learner_email=certificate.user.email,
        learner_name=certificate.learner_name,
        salt=credential.salt,
        completed_on=certificate.completed_on,
        valid_from=now,
        valid_until=_end_of_day(certificate.expires_on) if certificate.expires_on else None,
        status_list_url=configuration.absolute("certificates:credential_status_list", list_number),
        status_index=index,
        certificate_url=certificate.verify_url,
    )


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)) - timedelta(
        seconds=1
    )


def achievement_for(course: CoursePage) -> badge.Achievement:
    """The course as an Open Badges achievement, as its public address describes it."""
    programme = course.get_programme()
    hours = course.hours
    return badge.Achievement(
        url=configuration.absolute("certificates:achievement", course.pk),
        name=course.title,
        description=strip_tags(course.summary or course.title).strip(),
        criteria=_criteria(course.language or "es", hours),
        criteria_url=_absolute_page_url(course),
        hours=hours,
        programme=programme.title if programme else "",
        image_url=settings.SITE_URL + static("certificates/badge.svg"),
        language=course.language or "es",
    )


def _criteria(language: str, hours: Decimal) -> str:
    with translation.override(language):
        return gettext("Complete every required activity of the course (%(hours)s hours).") % {
            "hours": _hours_text(hours)
        }


def _absolute_page_url(page: Page) -> str:
    url = page.url or "/"
    return settings.SITE_URL + url if url.startswith("/") else url


def _hours_text(hours: Decimal) -> str:
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def context_with_credential(
    certificate: Certificate, context: rendering.CertificateContext
) -> rendering.CertificateContext:
    """The render context with the certificate's signed credential to embed in the PDF (signed
    here, once per generation); unchanged when no key is configured."""
    credential = credential_sign(certificate=certificate)
    if credential is None:
        return context
    content = json.dumps(credential.document, ensure_ascii=False, indent=2).encode("utf-8")
    name = f"credencial-{certificate.code}.json"
    return dataclasses.replace(
        context, attachments=(*context.attachments, (name, content, "Open Badges 3.0"))
    )
