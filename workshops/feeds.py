"""Calendar files from sessions: one session's .ics and a person's private feed."""

from urllib.parse import urlparse

from django.conf import settings
from django.utils.translation import gettext as _

from .ical import SessionEvent, build_calendar, session_uid
from .models import Registration, WorkshopSession


def _domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def session_event(session: WorkshopSession, *, show_link: bool, waitlisted: bool = False) -> SessionEvent:
    """The event for a session; the meeting link only when `show_link` (a confirmed seat or staff)."""
    page = session.page
    page_url = settings.SITE_URL + (page.url or "")
    place = ", ".join(p for p in (session.place, session.address.replace("\n", ", ")) if p)
    lines = [page.intro] if page.intro else []
    if session.facilitators:
        lines.append(_("Facilitators: %(names)s") % {"names": session.facilitators})
    if session.online_url:
        lines.append(
            _("Online: %(link)s") % {"link": session.online_url}
            if show_link
            else _("Online session: the link is on the workshop page for registered participants.")
        )
    if waitlisted:
        lines.append(_("You are on the waitlist; we will e-mail you if a seat frees up."))
    lines.append(page_url)
    summary = page.title + (f" · {session.label}" if session.label else "")
    if waitlisted:
        summary = _("(Waitlist) %(title)s") % {"title": summary}
    location = place or (session.online_url if show_link else _("Online"))
    return SessionEvent(
        uid=session_uid(session.pk, _domain()),
        sequence=session.sequence,
        start=session.start,
        end=session.end,
        tzid=session.time_zone,
        summary=summary,
        description="\n".join(lines),
        location=location,
        url=page_url,
        status="TENTATIVE" if waitlisted else "CONFIRMED",
        last_modified=page.last_published_at,
    )


def session_ics(session: WorkshopSession, *, show_link: bool, waitlisted: bool = False) -> bytes:
    return build_calendar([session_event(session, show_link=show_link, waitlisted=waitlisted)])


def registrations_ics(registrations, *, name: str) -> bytes:
    events = [
        session_event(
            r.session,
            show_link=r.status == Registration.Status.CONFIRMED,
            waitlisted=r.status == Registration.Status.WAITLISTED,
        )
        for r in registrations
    ]
    return build_calendar(events, name=name)
