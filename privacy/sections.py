"""The people app's and this app's part of a person's data-access ZIP (lms cannot register
hooks that import this app, so the privacy app reads the people app itself)."""

from .models import EmailLog, MessageOptOut, NoticeAcceptance, SensitiveConsent, UserSession
from .registry import DataSection


def people_sections(user) -> list[DataSection]:
    profile = {
        "email": user.email,
        "full_name": user.full_name,
        "position": user.position,
        "organisation": str(user.organisation) if user.organisation_id else "",
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    return [
        DataSection("profile", [profile]),
        DataSection(
            "cohorts",
            [
                {"cohort": m.cohort.name, "joined_at": m.joined_at}
                for m in user.cohort_memberships.select_related("cohort")
            ],
        ),
        DataSection(
            "privacy_notice_acceptances",
            list(
                NoticeAcceptance.objects.filter(user=user).values(
                    "version", "language", "accepted_at"
                )
            ),
        ),
        DataSection(
            "consents",
            [
                {
                    "form": c.page.title,
                    "granted": c.granted,
                    "decided_at": c.decided_at,
                    "withdrawn_at": c.withdrawn_at,
                }
                for c in SensitiveConsent.objects.filter(user=user).select_related("page")
            ],
        ),
        DataSection(
            "refused_messages",
            list(MessageOptOut.objects.filter(user=user).values("kind", "created_at")),
        ),
        DataSection(
            "emails_sent",
            list(EmailLog.objects.filter(user=user).values("subject", "kind", "sent_at")),
        ),
        DataSection(
            "sessions",
            list(UserSession.objects.filter(user=user).values("user_agent", "created_at")),
        ),
    ]
