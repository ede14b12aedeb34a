"""Reads about workshops scoped to the person asking. Permission rules live here, once."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from courses.models import CoursePage, Enrolment
from courses.selectors import course_of, is_course_staff
from lms.models import AnyUser, Organisation, User

from .models import Registration, SessionMaterial, WorkshopPage, WorkshopSession

ACTIVE = [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]


def can_manage_workshop(user: AnyUser, workshop: WorkshopPage) -> bool:
    """Trainers of a cohort taking the course, the programme's managers and superusers (not
    editors). Which learners each of them sees in a session is `session_roster`'s rule."""
    if not user.is_authenticated:
        return False
    course = course_of(workshop)
    return course is not None and is_course_staff(user, course)


def session_managed_by(user: User, session_id: int) -> WorkshopSession | None:
    """The session when `user` may run it (roster, attendance, check-in code); None otherwise."""
    session = WorkshopSession.objects.select_related("page").filter(pk=session_id).first()
    if session is None or not can_manage_workshop(user, session.page):
        return None
    return session


def confirmed_registration(user: AnyUser, session: WorkshopSession) -> Registration | None:
    if not user.is_authenticated or session.pk is None:
        return None
    return Registration.objects.filter(
        user=user, session=session, status=Registration.Status.CONFIRMED
    ).first()


def materials_visible_to(user: User, session: WorkshopSession) -> QuerySet[SessionMaterial]:
    """The session's materials for its confirmed participants and staff; nothing for anyone else."""
    if confirmed_registration(user, session) or can_manage_workshop(user, session.page):
        return SessionMaterial.objects.filter(session=session).select_related(
            "uploaded_by", "organisation"
        )
    return SessionMaterial.objects.none()


def session_counts(session_ids: list[int]) -> dict[int, dict[str, int]]:
    """session id -> {"confirmed": n, "waitlisted": n}, in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Registration.objects.filter(session_id__in=session_ids, status__in=ACTIVE)
        .values("session_id", "status")
        .annotate(n=Count("id"))
    ):
        counts[row["session_id"]][row["status"]] = row["n"]
    return counts


def can_run_sessions(user: User) -> bool:
    """Trainers, managers and superusers: people who may see the sessions list."""
    from lms.selectors import may_see_learner_data

    return may_see_learner_data(user)


@dataclass
class SessionRow:
    session: WorkshopSession
    confirmed: int = 0
    waitlisted: int = 0
    registration: Registration | None = None
    holder: object = None
    materials: list = field(default_factory=list)
    show_link: bool = False
    can_register: bool = False
    can_cancel: bool = False
    can_check_in: bool = False
    past: bool = False

    @property
    def seats_left(self) -> int:
        return max(self.session.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.seats_left == 0


def _may_book_slot(
    user: User, session: WorkshopSession, holder: Organisation | None, org_slots: set[int]
) -> bool:
    """A guidance slot is bookable by a member of the organisation holding it, or of none holding
    another."""
    if not user.organisation_id:
        return False
    if holder is not None:
        return holder.pk == user.organisation_id
    return not org_slots


def workshop_page_context(
    user: AnyUser, page: WorkshopPage, *, enrolment: Enrolment | None = None
) -> dict:
    """Everything the workshop page shows, per session, for this person, in a few queries."""
    now = timezone.now()
    sessions = sorted(page.sessions.all(), key=lambda s: (s.start, s.pk or 0))
    ids = [s.pk for s in sessions if s.pk]
    counts = session_counts(ids)
    mine = {}
    if user.is_authenticated:
        mine = {r.session_id: r for r in Registration.objects.filter(user=user, session_id__in=ids)}
    staff = can_manage_workshop(user, page)
    holders = {}
    if page.is_guidance:
        for reg in (
            Registration.objects.filter(
                session_id__in=ids, status__in=ACTIVE, organisation__isnull=False
            )
            .select_related("organisation")
            .order_by("-queued_at")
        ):
            holders[reg.session_id] = reg.organisation
    by_id = {s.pk: s for s in sessions if s.pk}
    org_slots = {
        sid
        for sid, org in holders.items()
        if user.is_authenticated
        and org.pk == user.organisation_id
        and not by_id[sid].has_ended(now)
    }
    active = next((r for r in mine.values() if r.holds_workshop(by_id[r.session_id], now)), None)
    visible_material_sessions = {
        sid for sid, r in mine.items() if r.status == Registration.Status.CONFIRMED
    }
    materials = defaultdict(list)
    if page.accepts_materials:
        shown = ids if staff else list(visible_material_sessions)
        for material in SessionMaterial.objects.filter(session_id__in=shown).select_related(
            "organisation"
        ):
            materials[material.session_id].append(material)
    rows = []
    for session in sessions:
        reg = mine.get(session.pk)
        confirmed = reg is not None and reg.status == Registration.Status.CONFIRMED
        row = SessionRow(
            session=session,
            confirmed=counts[session.pk].get(Registration.Status.CONFIRMED, 0),
            waitlisted=counts[session.pk].get(Registration.Status.WAITLISTED, 0),
            registration=reg if reg and reg.is_active else None,
            holder=holders.get(session.pk),
            materials=materials.get(session.pk, []),
            show_link=bool(session.online_url) and (confirmed or staff),
            past=session.has_ended(now),
        )
        row.can_register = bool(
            enrolment
            and session.pk
            and active is None
            and session.is_open_for_registration(now)
            and (not page.is_guidance or _may_book_slot(user, session, row.holder, org_slots))
        )
        row.can_cancel = bool(
            row.registration
            and not session.has_started(now)
            and (
                row.registration.status == Registration.Status.WAITLISTED or session.can_cancel(now)
            )
        )
        row.can_check_in = (
            confirmed
            and session.checkin_open(now)
            and reg.attendance != Registration.Attendance.ATTENDED
        )
        rows.append(row)
    return {
        "session_rows": rows,
        "upcoming_rows": [r for r in rows if not r.past],
        "past_rows": [r for r in rows if r.past],
        "my_registration": active,
        "attended": active is not None and active.attendance == Registration.Attendance.ATTENDED,
        "can_manage": staff,
    }


def upcoming_registrations(
    user: AnyUser, *, limit: int | None = None, now: datetime | None = None
) -> QuerySet[Registration]:
    """The person's active registrations in sessions that have not ended, soonest first."""
    if not user.is_authenticated:
        return Registration.objects.none()
    now = now or timezone.now()
    qs = (
        Registration.objects.filter(
            user=user, status__in=ACTIVE, session__end__gt=now, workshop__live=True
        )
        .select_related("session", "workshop")
        .order_by("session__start")
    )
    return qs[:limit] if limit else qs


# How long a cancelled registration (or session) stays in a personal feed as a CANCELLED event,
# so every subscribed calendar sees the cancellation before the event leaves the feed.
CANCELLED_IN_FEED = timedelta(days=30)


def feed_registrations(user: User, *, now: datetime | None = None) -> QuerySet[Registration]:
    """Registrations in the personal calendar feed: active ones from the last 90 days on, and
    those cancelled (by the person or with the whole session) in the last 30 days."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            user=user, session__end__gt=now - timedelta(days=90), workshop__live=True
        )
        .filter(
            Q(status__in=ACTIVE)
            | Q(status=Registration.Status.CANCELLED, cancelled_at__gt=now - CANCELLED_IN_FEED)
        )
        .select_related("session", "workshop", "user")
        .order_by("session__start")
    )


def registration_for_calendar(user: AnyUser, session: WorkshopSession) -> Registration | None:
    """The person's registration a session's .ics link answers for: the active one, else a
    cancelled one (the link then answers with the CANCELLED event)."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, session=session, superseded=False)
        .select_related("session", "user")
        .order_by("-updated_at")
        .first()
    )


def open_workshops_for(
    user: AnyUser, *, now: datetime | None = None, limit: int = 3
) -> list[WorkshopPage]:
    """Live workshops of the person's courses with an upcoming open session they are not in."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    course_paths = list(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE).values_list(
            "course__path", flat=True
        )
    )
    if not course_paths:
        return []
    taken = (
        Registration.objects.filter(user=user, status__in=ACTIVE, superseded=False)
        .filter(Q(session__end__gt=now) | Q(attendance=Registration.Attendance.ATTENDED))
        .values("workshop_id")
    )
    in_courses = Q()
    for path in course_paths:
        in_courses |= Q(path__startswith=path)
    pages = (
        WorkshopPage.objects.live()
        .filter(in_courses)
        .exclude(pk__in=taken)
        .filter(sessions__start__gt=now)
        .distinct()
        .order_by("path")
    )
    return list(pages[:limit])


def session_roster(session: WorkshopSession, viewer: User) -> QuerySet[Registration]:
    """The session's confirmed participants then its waitlist in order, as far as `viewer` may see
    them: a trainer the learners of their own cohorts (also when other cohorts share the course),
    a manager those of their programmes' cohorts, a superuser everyone. Check
    `session_managed_by` first."""
    from lms.selectors import learners_visible_to

    rows = (
        Registration.objects.filter(session=session, status__in=ACTIVE)
        .select_related("user", "organisation", "user__organisation")
        .order_by("-status", "queued_at", "id")
    )
    if not viewer.is_superuser:
        rows = rows.filter(user__in=learners_visible_to(viewer).values("pk"))
    return rows


def may_show_checkin_code(user: User, session: WorkshopSession) -> bool:
    """The check-in code lets whoever is in the room mark themself present: shown to the
    programme's managers, and to a trainer with at least one of their own learners confirmed."""
    from lms.selectors import managed_programme_ids

    if user.is_superuser:
        return True
    course = course_of(session.page)
    programme_paths = Page.objects.filter(pk__in=managed_programme_ids(user)).values_list(
        "path", flat=True
    )
    if course is not None and any(course.path.startswith(p) for p in programme_paths):
        return True
    return session_roster(session, user).filter(status=Registration.Status.CONFIRMED).exists()


def may_remove_material(user: AnyUser, material: SessionMaterial) -> bool:
    """The uploader, a superuser, or staff of the session who see the uploader (their learner)."""
    if not user.is_authenticated:
        return False
    if material.uploaded_by_id == user.pk or user.is_superuser:
        return True
    if not can_manage_workshop(user, material.session.page):
        return False
    from lms.selectors import learners_visible_to

    return learners_visible_to(user).filter(pk=material.uploaded_by_id).exists()


def attendance_for(user_ids: list[int], course: CoursePage) -> dict[int, dict]:
    """user id -> {"registered", "attended", "absent", "excused"} over the course's workshops, one
    query.

    `registered` counts confirmed seats (past and upcoming); every id asked for is in the result.
    """
    result = {uid: {"registered": 0, "attended": 0, "absent": 0, "excused": 0} for uid in user_ids}
    if not user_ids:
        return result
    rows = (
        Registration.objects.filter(
            user_id__in=user_ids,
            status=Registration.Status.CONFIRMED,
            workshop__path__startswith=course.path,
        )
        .values("user_id")
        .annotate(
            registered=Count("id"),
            attended=Count("id", filter=Q(attendance=Registration.Attendance.ATTENDED)),
            absent=Count("id", filter=Q(attendance=Registration.Attendance.ABSENT)),
            excused=Count("id", filter=Q(attendance=Registration.Attendance.EXCUSED)),
        )
    )
    for row in rows:
        result[row["user_id"]] = {
            k: row[k] for k in ("registered", "attended", "absent", "excused")
        }
    return result


def sessions_managed_by(
    user: AnyUser, *, since: datetime | None = None
) -> QuerySet[WorkshopSession]:
    """Sessions the person runs (the same rule as `can_manage_workshop`), from `since` on, soonest
    first."""
    from courses.models import CohortCourse
    from lms.selectors import managed_programme_ids

    if not user.is_authenticated:
        return WorkshopSession.objects.none()
    since = since or timezone.now() - timedelta(days=30)
    sessions = WorkshopSession.objects.filter(end__gt=since, page__live=True).select_related("page")
    if user.is_superuser:
        return sessions.order_by("start")
    paths = list(
        CohortCourse.objects.filter(cohort__trainers=user)
        .values_list("course__path", flat=True)
        .distinct()
    ) + list(Page.objects.filter(pk__in=managed_programme_ids(user)).values_list("path", flat=True))
    if not paths:
        return WorkshopSession.objects.none()
    under = Q()
    for path in paths:
        under |= Q(page__path__startswith=path)
    return sessions.filter(under).order_by("start")
