"""Reads: a learner's own credentials, public ones by id, and the status bits of a list."""

from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet

from lms.models import AnyUser

from ..models import Certificate, Credential
from . import status

# A certificate in these states keeps its newest credential valid; a revoked one does not.
STANDING = (Certificate.State.READY, Certificate.State.PENDING, Certificate.State.FAILED)


def _newer() -> QuerySet[Credential]:
    return Credential.objects.filter(
        certificate=OuterRef("certificate"), generation__gt=OuterRef("generation")
    )


def standing_credentials() -> QuerySet[Credential]:
    """Signed credentials that are neither revoked nor replaced by a re-issue."""
    return (
        Credential.objects.exclude(key_id="")
        .filter(certificate__state__in=STANDING)
        .exclude(Exists(_newer()))
    )


def revoked_positions(list_number: int) -> list[int]:
    """The set bits of a status list, derived from the certificates' state now: every number
    handed out in the list that is not a standing credential (revoked, re-issued, deleted).
    Numbers beyond the last one handed out stay clear."""
    start = (list_number - 1) * status.LIST_SIZE
    end = start + status.LIST_SIZE - 1
    last = (
        Credential.objects.filter(number__range=(start, end))
        .order_by("-number")
        .values_list("number", flat=True)
    )
    last = last.first()
    if last is None:
        return []
    standing = set(
        standing_credentials().filter(number__range=(start, end)).values_list("number", flat=True)
    )
    return [number - start for number in range(start, last + 1) if number not in standing]


def credential_revoked(credential: Credential) -> bool:
    return not standing_credentials().filter(pk=credential.pk).exists()


def certificate_credential(certificate: Certificate) -> Credential | None:
    """The certificate's newest signed credential."""
    return certificate.credentials.exclude(key_id="").order_by("-generation").first()


def learner_credential(user: AnyUser, code: str) -> Credential | None:
    """The newest credential of the user's own downloadable certificate with this code."""
    if not user.is_authenticated:
        return None
    certificate = Certificate.objects.filter(user=user, code=code).first()
    if certificate is None or not certificate.downloadable:
        return None
    return certificate_credential(certificate)


def public_credential(credential_uuid: UUID | str) -> Credential | None:
    """A credential by its (unguessable) id, for wallets importing it; revoked ones are gone."""
    return standing_credentials().filter(uuid=credential_uuid).select_related("certificate").first()
