"""What a verifier checks of a credential: signature, status and validity dates; no database.

Each check has its own outcome, so a page can say which one failed.
"""

from dataclasses import dataclass
from datetime import datetime

from pyld import jsonld

from . import proof
from .contexts import DocumentLoader


@dataclass(frozen=True)
class Outcome:
    signature: bool  # signed by one of our keys, unchanged since
    status: bool | None  # not revoked (None: its status could not be read)
    expiry: bool  # within validFrom … validUntil
    issued_here: bool = True

    @property
    def valid(self) -> bool:
        return self.issued_here and self.signature and self.status is True and self.expiry


def _moment(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def within_dates(credential: dict, now: datetime) -> bool:
    start, end = _moment(credential.get("validFrom")), _moment(credential.get("validUntil"))
    if start is None or (start.tzinfo is None) or ("validUntil" in credential and end is None):
        return False
    return start <= now and (end is None or now <= end)


def status_position(credential: dict) -> tuple[str, int] | None:
    """(status list URL, index) of a credential's Bitstring Status List entry, if well formed."""
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return None
    url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
    if not isinstance(url, str) or not str(index).isdigit():
        return None
    return url, int(index)


def check(
    credential: dict,
    *,
    issuer_did: str,
    public_keys: dict[str, str],
    revoked: bool | None,
    now: datetime,
    loader: DocumentLoader,
) -> Outcome:
    """Check a credential against our issuer's keys; `revoked` is what our status list says."""
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != issuer_did:
        return Outcome(
            signature=False, status=None, expiry=within_dates(credential, now), issued_here=False
        )
    try:
        signed = proof.verify(credential, public_keys=public_keys, loader=loader)
    except (jsonld.JsonLdError, TypeError, KeyError):
        signed = False
    return Outcome(
        signature=signed,
        status=None if revoked is None else not revoked,
        expiry=within_dates(credential, now),
    )
