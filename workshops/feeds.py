"""Calendar files from sessions: one session's .ics, a person's private feed, and the
cancellations (RFC 5546 CANCEL) e-mailed when a registration or a whole session is cancelled."""

from email.utils import parseaddr
from urllib.parse import urlparse

from django.conf import settings
from django.utils.translation import gettext as _

from .ical import SessionEvent, build_calendar, session_uid
from .models import Registration, WorkshopSession


def _domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _organizer() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name, address or f"no-reply@{_domain()}"


def session_event(
    session: WorkshopSession,
    *,
    show_link: bool,
    waitlisted: bool = False,
    registration: Registration | None = None,
    with_attendee: bool = False,
) -> SessionEvent:
    """The event for a session; the meeting link only when `show_link` (a confirmed seat or staff).

    A cancelled session, or the person's cancelled registration, gives the same UID with
    STATUS:CANCELLED and the person's SEQUENCE, so calendar apps drop the event they hold.
    The person's address (ATTENDEE) only with `with_attendee`: in the CANCEL e-mailed to them,
    never in a feed, which anyone holding its address can read.
    """
    page = session.page
    page_url = settings.SITE_URL + (page.url or "")
    cancelled = session.is_cancelled or (
        registration is not None and registration.status == Registration.Status.CANCELLED
    )
    place = ", ".join(p for p in (session.place, session.address.replace("\n", ", ")) if p)
    lines = [page.intro] if page.intro else []
    if session.is_cancelled:
        lines.insert(
            0,
            _("This session was cancelled.")
            + (
                " " + _("Reason: %(reason)s") % {"reason": session.cancellation_reason}
                if session.cancellation_reason
                else ""
            ),
        )
    elif cancelled:
        lines.insert(0, _("Your registration for this session was cancelled."))
    if session.facilitators:
        lines.append(_("Facilitators: %(names)s") % {"names": session.facilitators})
    if session.online_url and not cancelled:
        lines.append(
            _("Online: %(link)s") % {"link": session.online_url}
            if show_link
            else _("Online session: the link is on the workshop page for registered participants.")
        )
    if waitlisted and not cancelled:
        lines.append(_("You are on the waitlist; we will e-mail you if a seat frees up."))
    lines.append(page_url)
    summary = page.title + (f" · {session.label}" if session.label else "")
    if cancelled:
        summary = _("(Cancelled) %(title)s") % {"title": summary}
    elif waitlisted:
        summary = _("(Waitlist) %(title)s") % {"title": summary}
    location = place or (session.online_url if show_link and not cancelled else _("Online"))
    organizer_name, organizer = _organizer()
    return SessionEvent(
        uid=session_uid(session.pk, _domain()),
        sequence=registration.event_sequence if registration is not None else session.sequence,
        start=session.start,
        end=session.end,
        tzid=session.time_zone,
        summary=summary,
        description="\n".join(lines),
        location=location,
        url=page_url,
        status="CANCELLED" if cancelled else ("TENTATIVE" if waitlisted else "CONFIRMED"),
        last_modified=page.last_published_at,
        organizer=organizer,
        organizer_name=organizer_name,
        attendee=registration.user.email if registration is not None and with_attendee else "",
    )


def session_ics(
    session: WorkshopSession,
    *,
    show_link: bool,
    waitlisted: bool = False,
    registration: Registration | None = None,
) -> bytes:
    return build_calendar(
        [
            session_event(
                session, show_link=show_link, waitlisted=waitlisted, registration=registration
            )
        ]
    )


def registration_ics(registration: Registration, *, method: str = "PUBLISH") -> bytes:
    """The person's own event for a registration: PUBLISH for confirmations, CANCEL for
    cancellations (the same UID, their raised SEQUENCE, STATUS:CANCELLED)."""
    event = session_event(
        registration.session,
        show_link=registration.status == Registration.Status.CONFIRMED,
        waitlisted=registration.status == Registration.Status.WAITLISTED,
        registration=registration,
        with_attendee=method == "CANCEL",
    )
    return build_calendar([event], method=method)


def registrations_ics(registrations, *, name: str) -> bytes:
    events = [
        session_event(
            r.session,
            show_link=r.status == Registration.Status.CONFIRMED,
            waitlisted=r.status == Registration.Status.WAITLISTED,
            registration=r,
        )
        for r in registrations
    ]
    return build_calendar(events, name=name)
