"""Writes for workshops: registration and waitlist, attendance, check-in, materials, reminders.

Every registration write locks the session row first (`select_for_update`), so the seat count
read and the seat taken are one step: two people racing for the last seat get one seat between them.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.exceptions import ProgressError
from courses.models import CoursePage, Enrolment
from courses.selectors import course_of
from courses.services import activity_complete, activity_reopen
from lms import ratelimit
from lms.models import Organisation, User

from . import checkin as checkin_codes
from .exceptions import AttendanceRefused, CheckInRefused, RegistrationRefused, SessionCancelRefused
from .models import Registration, ReminderSent, SessionMaterial, WorkshopPage, WorkshopSession
from .uploads import MaterialRejected, check_material

logger = logging.getLogger(__name__)

ACTIVE = [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
CHECKIN_MAX_FAILURES = 10


def _queue_email(registration_id: int, kind: str) -> None:
    def send() -> None:
        from .tasks import send_registration_email

        try:
            send_registration_email.delay(registration_id, kind)
        except Exception:  # broker down: the page already told the person; the e-mail is a courtesy
            logger.warning(
                "could not queue %s e-mail for registration %s",
                kind,
                registration_id,
                exc_info=True,
            )

    transaction.on_commit(send)


def _locked_session(session_id: int) -> WorkshopSession:
    return WorkshopSession.objects.select_for_update().get(pk=session_id)


@transaction.atomic
def registration_create(
    *, user: User, session: WorkshopSession, now: datetime | None = None
) -> Registration:
    """Give an enrolled learner a seat, or a waitlist place when the session is full.

    Idempotent for the same session; refuses (RegistrationRefused) a second session of the same
    workshop, closed registration, learners not enrolled in the course and, for one-to-one
    guidance, a slot held by another organisation or a second slot for the same organisation.
    Queues a confirmation e-mail after commit.
    """
    now = now or timezone.now()
    session = _locked_session(session.pk)
    workshop = WorkshopPage.objects.get(pk=session.page_id)
    if not workshop.live:
        raise RegistrationRefused(_("This workshop is not open."))
    course = course_of(workshop)
    if (
        course is None
        or not Enrolment.objects.filter(
            user=user, course=course, status=Enrolment.Status.ACTIVE
        ).exists()
    ):
        raise RegistrationRefused(
            _("Only learners enrolled in the course can register for its workshops.")
        )
    current = (
        Registration.objects.filter(
            user=user, workshop=workshop, status__in=ACTIVE, superseded=False
        )
        .select_related("session")
        .first()
    )
    if current and current.session_id == session.pk:
        return current
    if current and current.attendance == Registration.Attendance.ATTENDED:
        raise RegistrationRefused(_("You already attended this workshop."))
    if current and current.holds_workshop(current.session, now):
        raise RegistrationRefused(
            _(
                "You already have a place in another session of this workshop. Cancel it first "
                "to change sessions."
            )
        )
    if session.is_cancelled:
        raise RegistrationRefused(_("This session was cancelled."))
    if not session.is_open_for_registration(now):
        raise RegistrationRefused(_("Registration for this session has closed."))
    if workshop.is_guidance:
        _check_guidance_slot(user=user, session=session, workshop=workshop, now=now)
    # Seats an editor just added go to the people already waiting before anyone new.
    _promote_waitlisted(session, now)
    confirmed = Registration.objects.filter(
        session=session, status=Registration.Status.CONFIRMED
    ).count()
    status = (
        Registration.Status.CONFIRMED
        if confirmed < session.capacity
        else Registration.Status.WAITLISTED
    )
    registration = Registration.objects.filter(user=user, session=session).first()
    try:
        with transaction.atomic():
            if current:  # a past session they missed: keep it as history, take this one
                current.superseded = True
                current.save(update_fields=["superseded", "updated_at"])
            if registration is None:
                registration = Registration.objects.create(
                    user=user,
                    session=session,
                    workshop=workshop,
                    organisation=user.organisation,
                    status=status,
                    queued_at=now,
                )
            else:
                registration.status = status
                registration.queued_at = now
                registration.superseded = False
                registration.cancelled_at = None
                registration.organisation = user.organisation
                registration.calendar_sequence += (
                    1  # the new confirmation outranks the earlier CANCEL
                )
                registration.save(
                    update_fields=[
                        "status",
                        "queued_at",
                        "superseded",
                        "cancelled_at",
                        "organisation",
                        "calendar_sequence",
                        "updated_at",
                    ]
                )
    except IntegrityError as error:
        # Same learner, two sessions of the workshop at once: the database constraint decides.
        raise RegistrationRefused(
            _(
                "You already have a place in another session of this workshop. Cancel it first "
                "to change sessions."
            )
        ) from error
    _queue_email(
        registration.pk, "confirmed" if status == Registration.Status.CONFIRMED else "waitlisted"
    )
    return registration


def _check_guidance_slot(
    *, user: User, session: WorkshopSession, workshop: WorkshopPage, now: datetime
) -> None:
    if not user.organisation_id:
        raise RegistrationRefused(
            _("Guidance slots are booked by organisations: add yours to your profile first.")
        )
    # Serialise bookings of one organisation across the workshop's slots.
    Organisation.objects.select_for_update().filter(pk=user.organisation_id).first()
    holders = set(
        Registration.objects.filter(session=session, status__in=ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    if holders and holders != {user.organisation_id}:
        raise RegistrationRefused(_("This guidance slot is booked by another organisation."))
    elsewhere = (
        Registration.objects.filter(
            workshop=workshop,
            organisation_id=user.organisation_id,
            status__in=ACTIVE,
            session__end__gt=now,
        )
        .exclude(session=session)
        .exists()
    )
    if elsewhere:
        raise RegistrationRefused(
            _(
                "Your organisation already holds another slot of this guidance; join your "
                "colleagues there."
            )
        )


@transaction.atomic
def registration_cancel(
    *, user: User, session: WorkshopSession, now: datetime | None = None
) -> bool:
    """Give up a seat or a waitlist place (idempotent: False when there was nothing to cancel).

    A confirmed seat can be given up until the cancellation deadline; a waitlist place until the
    session starts. A freed seat goes to the first person on the waitlist, who is e-mailed. The
    learner is e-mailed a calendar CANCEL for the event (same UID, raised SEQUENCE).
    """
    now = now or timezone.now()
    session = _locked_session(session.pk)
    registration = Registration.objects.filter(
        user=user, session=session, status__in=ACTIVE
    ).first()
    if registration is None:
        return False
    if session.has_started(now):
        raise RegistrationRefused(_("The session has already started."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    if was_confirmed and not session.can_cancel(now):
        raise RegistrationRefused(
            _("The cancellation deadline has passed. If you cannot come, please tell the trainer.")
        )
    _cancel(registration, now)
    if was_confirmed:
        _promote_waitlisted(session, now)
    return True


def _cancel(registration: Registration, now: datetime, kind: str = "cancelled") -> None:
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.calendar_sequence += 1
    registration.save(update_fields=["status", "cancelled_at", "calendar_sequence", "updated_at"])
    _queue_email(registration.pk, kind)


@transaction.atomic
def session_cancel(
    *, user: User, session: WorkshopSession, reason: str, now: datetime | None = None
) -> int:
    """Cancel a whole session (a trainer or manager of the workshop): every active registration
    is cancelled and its person e-mailed a calendar CANCEL with the reason; the session's event
    becomes CANCELLED in feeds and in its .ics link (the SEQUENCE is raised). Idempotent: a
    session already cancelled changes nothing (0). Refused once the session has ended.
    Returns how many people were told."""
    from .selectors import can_manage_workshop

    now = now or timezone.now()
    session = _locked_session(session.pk)
    if not can_manage_workshop(user, session.page):
        raise SessionCancelRefused(_("Only the workshop's trainers can cancel a session."))
    if session.is_cancelled:
        return 0
    if session.has_ended(now):
        raise SessionCancelRefused(_("The session has already ended."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise SessionCancelRefused(
            _("Say why the session is cancelled: the people registered will read it.")
        )
    WorkshopSession.objects.filter(pk=session.pk).update(
        cancelled_at=now, cancellation_reason=reason[:1000], sequence=models.F("sequence") + 1
    )
    registrations = list(
        Registration.objects.select_for_update().filter(session=session, status__in=ACTIVE)
    )
    for registration in registrations:
        _cancel(registration, now, kind="session_cancelled")
    logger.info(
        "session %s cancelled by user %s: %s registrations", session.pk, user.pk, len(registrations)
    )
    return len(registrations)


def registrations_release_for_withdrawal(
    *, user: User, course: CoursePage, now: datetime | None = None
) -> int:
    """Give up the seats and waitlist places a learner holds in a course they left (idempotent).

    Deadlines do not apply: the learner can no longer attend, and the seat should go to someone
    waiting. Past sessions keep their attendance history. Returns how many were released.
    """
    now = now or timezone.now()
    released = 0
    pending = Registration.objects.filter(
        user=user, status__in=ACTIVE, session__start__gt=now, workshop__path__startswith=course.path
    ).values_list("id", "session_id")
    for registration_id, session_id in pending:
        with transaction.atomic():
            session = _locked_session(session_id)
            registration = Registration.objects.filter(
                pk=registration_id, status__in=ACTIVE
            ).first()
            if registration is None:
                continue
            was_confirmed = registration.status == Registration.Status.CONFIRMED
            _cancel(registration, now)
            if was_confirmed:
                _promote_waitlisted(session, now)
            released += 1
    return released


def _promote_waitlisted(session: WorkshopSession, now: datetime) -> list[Registration]:
    """Fill free seats from the waitlist in order; the caller holds the session lock."""
    if session.has_started(now):
        return []
    confirmed = Registration.objects.filter(
        session=session, status=Registration.Status.CONFIRMED
    ).count()
    free = session.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(
            session=session, status=Registration.Status.WAITLISTED
        ).order_by("queued_at", "id")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        _queue_email(registration.pk, "promoted")
    return promoted


@transaction.atomic
def session_fill_from_waitlist(*, session_id: int, now: datetime | None = None) -> int:
    """Promote waitlisted people into seats an editor added (idempotent). Returns how many."""
    try:
        session = _locked_session(session_id)
    except WorkshopSession.DoesNotExist:
        return 0
    return len(_promote_waitlisted(session, now or timezone.now()))


def _set_attendance(
    registration: Registration, state: str, *, marked_by: User, now: datetime
) -> bool:
    if registration.attendance == state:
        return False
    previous = registration.attendance
    registration.attendance = state
    registration.attendance_marked_at = now
    registration.attendance_marked_by = marked_by
    registration.save(
        update_fields=["attendance", "attendance_marked_at", "attendance_marked_by", "updated_at"]
    )
    workshop = registration.workshop
    if state == Registration.Attendance.ATTENDED:
        try:
            activity_complete(user=registration.user, activity=workshop, check_locks=False)
        except ProgressError:
            logger.info(
                "attendance without completion (not enrolled): registration=%s", registration.pk
            )
    elif previous == Registration.Attendance.ATTENDED:
        attended_elsewhere = (
            Registration.objects.filter(
                user_id=registration.user_id, workshop=workshop, attendance=previous
            )
            .exclude(pk=registration.pk)
            .exists()
        )
        if not attended_elsewhere:
            activity_reopen(user=registration.user, activity=workshop)
    return True


@transaction.atomic
def attendance_record(
    *, session: WorkshopSession, marks: dict[int, str], marked_by: User, now: datetime | None = None
) -> int:
    """Record attendance for confirmed registrations of a session; returns how many changed.

    "attended" completes the workshop activity (idempotent); changing a mistaken "attended"
    back re-opens it. Marks for registrations of other sessions, and (when `marked_by` is
    given) of learners `marked_by` may not see (another cohort's), are ignored. Only once the
    session has started. Idempotent.
    """
    from lms.selectors import learners_visible_to

    now = now or timezone.now()
    if not session.has_started(now):
        raise AttendanceRefused(_("Attendance can be recorded once the session has started."))
    valid = set(Registration.Attendance.values)
    registrations = (
        Registration.objects.select_for_update()
        .filter(session=session, status=Registration.Status.CONFIRMED, pk__in=list(marks))
        .select_related("user", "workshop")
    )
    if marked_by is not None and not marked_by.is_superuser:
        registrations = registrations.filter(user__in=learners_visible_to(marked_by).values("pk"))
    changed = 0
    for registration in registrations:
        state = marks[registration.pk]
        if state in valid:
            changed += _set_attendance(registration, state, marked_by=marked_by, now=now)
    return changed


@transaction.atomic
def checkin(
    *, user: User, session: WorkshopSession, code: str, now: datetime | None = None
) -> Registration:
    """Mark a registered learner present with the code shown in the room (idempotent).

    Valid only while the session runs and only for a confirmed seat in this session; the code
    of the current or the previous five-minute window. Repeated wrong codes are blocked for a while.
    """
    now = now or timezone.now()
    registration = (
        Registration.objects.select_for_update()
        .filter(user=user, session=session, status=Registration.Status.CONFIRMED)
        .select_related("workshop", "user")
        .first()
    )
    if registration is None:
        raise CheckInRefused(_("Only people registered for this session can check in."))
    if registration.attendance == Registration.Attendance.ATTENDED:
        return registration
    if not session.checkin_open(now):
        raise CheckInRefused(_("Check-in is open only during the session."))
    try:  # fails closed: without its counter the six-digit code could be guessed
        within = ratelimit.hit(
            "checkin",
            f"{session.pk}:{user.pk}",
            limit=CHECKIN_MAX_FAILURES,
            window_seconds=30 * 60,
            fail_open=False,
        )
    except ratelimit.LimiterUnavailable:
        raise CheckInRefused(
            _("Check-in by code is unavailable right now. Ask the trainer to mark your attendance.")
        ) from None
    if not within:
        raise CheckInRefused(_("Too many wrong codes. Ask the trainer to mark your attendance."))
    if not checkin_codes.verify(settings.SECRET_KEY, session.pk, code, now):
        raise CheckInRefused(
            _("That code is not valid. Check the code shown in the room and try again.")
        )
    registration.checked_in_at = now
    registration.save(update_fields=["checked_in_at", "updated_at"])
    _set_attendance(registration, Registration.Attendance.ATTENDED, marked_by=None, now=now)
    return registration


@transaction.atomic
def material_add(
    *,
    user: User,
    session: WorkshopSession,
    title: str,
    upload: UploadedFile,
    max_bytes: int | None = None,
) -> SessionMaterial:
    """Share a presentation with the session (peer-learning only, confirmed participants only).

    The file's type is read from its content; raises MaterialRejected with a message. Not
    idempotent.
    """
    workshop = session.page
    if not workshop.accepts_materials:
        raise MaterialRejected(_("This workshop does not take presentations."))
    if not Registration.objects.filter(
        user=user, session=session, status=Registration.Status.CONFIRMED
    ).exists():
        raise MaterialRejected(_("Only participants of this session can share a presentation."))
    limit = max_bytes or getattr(settings, "WORKSHOPS_MATERIAL_MAX_BYTES", None) or None
    kind = check_material(upload, size=upload.size, **({"max_bytes": limit} if limit else {}))
    title = (title or "").strip()[:200] or (
        user.organisation.name if user.organisation_id else user.full_name
    )
    material = SessionMaterial(
        session=session,
        uploaded_by=user,
        organisation=user.organisation,
        title=title,
        file_type=kind.extension,
        size=upload.size,
        original_name=(upload.name or "")[:255],
    )
    material.file.save(f"presentation.{kind.extension}", upload, save=False)
    material.save()
    return material


@transaction.atomic
def material_delete(*, user: User, material: SessionMaterial) -> bool:
    """Remove a shared presentation (its uploader, or staff who see the uploader). Idempotent."""
    from .selectors import may_remove_material

    if not may_remove_material(user, material):
        return False
    material.delete()  # the file is removed after commit (handlers.material_deleted)
    return True


def session_change_notify(*, session_id: int, sequence: int, now: datetime | None = None) -> int:
    """E-mail the active registrations of an upcoming session about its new time or place.

    Sends nothing when the session changed again since (`sequence` is no longer current): that
    later change sends its own notice with the latest details. Returns the number of e-mails.
    """
    from .emails import send_registration_email

    now = now or timezone.now()
    session = WorkshopSession.objects.filter(
        pk=session_id, sequence=sequence, end__gt=now, page__live=True, cancelled_at__isnull=True
    ).first()
    if session is None:
        return 0
    registrations = Registration.objects.filter(session=session, status__in=ACTIVE).select_related(
        "user", "session", "workshop"
    )
    sent = 0
    for registration in registrations:
        send_registration_email(registration, "changed")
        sent += 1
    return sent


REMINDER_WINDOWS = {
    ReminderSent.Kind.DAY_BEFORE: (timedelta(hours=24), timedelta(hours=1)),
    ReminderSent.Kind.HOUR_BEFORE: (timedelta(hours=1), timedelta(0)),
}


def due_reminder_kind(start: datetime, now: datetime) -> str | None:
    """Which reminder is due for a session starting at `start`: within 24 h, then within the
    hour."""
    for kind, (opens, closes) in REMINDER_WINDOWS.items():
        if start - opens <= now < start - closes:
            return kind
    return None


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Send the day-before and hour-before reminders now due; each at most once per registration.

    A ReminderSent row is claimed (unique per registration and kind, committed) before the
    e-mail goes, so a restarted beat or two workers never send it twice; a failed send releases
    the claim so the next run retries. Returns the number sent.
    """
    from .emails import send_reminder

    now = now or timezone.now()
    candidates = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            workshop__live=True,
            session__start__gt=now,
            session__start__lte=now + timedelta(hours=24),
        )
        .select_related("session", "workshop", "user")
        .order_by("session__start", "id")
    )
    sent = 0
    for registration in candidates.iterator(chunk_size=500):
        kind = due_reminder_kind(registration.session.start, now)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                marker = ReminderSent.objects.create(registration=registration, kind=kind)
        except IntegrityError:
            continue
        try:
            send_reminder(registration, kind)
        except Exception:
            logger.exception("reminder failed: registration=%s kind=%s", registration.pk, kind)
            ReminderSent.objects.filter(pk=marker.pk).delete()
            continue
        ReminderSent.objects.filter(pk=marker.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
