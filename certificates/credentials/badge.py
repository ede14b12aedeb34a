"""The Open Badges 3.0 documents: Achievement, OpenBadgeCredential and the status list
credential, from plain values; no database, no signing (see `proof`)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .contexts import OB_V3, VC_V2
from .proof import xsd_datetime

CREDENTIAL_CONTEXT = [VC_V2, OB_V3]
STATUS_PURPOSE = "revocation"


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str
    email: str = ""


@dataclass(frozen=True)
class Achievement:
    """The course as an Open Badges achievement."""

    url: str  # the HTTPS address that answers JSON-LD or HTML
    name: str
    description: str
    criteria: str
    criteria_url: str
    hours: Decimal
    programme: str
    image_url: str
    language: str = "es"


@dataclass(frozen=True)
class Award:
    """One learner's credential: who, what, when and where its status is published."""

    credential_id: str  # urn:uuid:...
    learner_email: str
    learner_name: str
    salt: str
    completed_on: object  # datetime.date
    valid_from: datetime
    valid_until: datetime | None
    status_list_url: str
    status_index: int
    certificate_url: str


def identity_hash(value: str, salt: str) -> str:
    """Open Badges' salted identity hash: "sha256$" + hex SHA-256 of the value and the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def _hours(hours: Decimal) -> float | int:
    return int(hours) if hours == int(hours) else float(hours)


def issuer_profile(issuer: Issuer) -> dict:
    profile = {"id": issuer.did, "type": ["Profile"], "name": issuer.name, "url": issuer.url}
    if issuer.email:
        profile["email"] = issuer.email
    return profile


def achievement_document(
    achievement: Achievement, issuer: Issuer, *, with_context: bool = False
) -> dict:
    document = {
        "id": achievement.url,
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"id": achievement.criteria_url, "narrative": achievement.criteria},
        "creditsAvailable": _hours(achievement.hours),
        "fieldOfStudy": achievement.programme,
        "inLanguage": achievement.language,
        "creator": issuer_profile(issuer),
    }
    if achievement.image_url:
        document["image"] = {
            "id": achievement.image_url,
            "type": "Image",
            "caption": achievement.name,
        }
    return {"@context": CREDENTIAL_CONTEXT, **document} if with_context else document


def credential_document(*, issuer: Issuer, achievement: Achievement, award: Award) -> dict:
    """An unsigned OpenBadgeCredential (VC Data Model 2.0) for one learner."""
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(award.learner_email.strip().lower(), award.salt),
                "salt": award.salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": award.learner_name,
            },
        ],
        "activityEndDate": xsd_datetime(
            datetime.combine(award.completed_on, datetime.min.time()).astimezone()
        ),
        "creditsEarned": _hours(achievement.hours),
        "achievement": achievement_document(achievement, issuer),
    }
    document = {
        "@context": CREDENTIAL_CONTEXT,
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": issuer_profile(issuer),
        "validFrom": xsd_datetime(award.valid_from),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{award.status_list_url}#{award.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": str(award.status_index),
            "statusListCredential": award.status_list_url,
        },
        "evidence": [{"id": award.certificate_url, "type": ["Evidence"], "name": achievement.name}],
    }
    if award.valid_until is not None:
        document["validUntil"] = xsd_datetime(award.valid_until)
    return document


def status_list_document(
    *, issuer_did: str, url: str, encoded_list: str, valid_from: datetime
) -> dict:
    """An unsigned BitstringStatusListCredential publishing one list."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encoded_list,
        },
    }
