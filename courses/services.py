"""Writes for enrolment and progress. Views, tasks, handlers and commands all call these."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from lms.models import Cohort, CohortMembership, User

from .exceptions import ActivityLocked, EnrolmentRefused, NotEnrolled
from .models import ActivityProgress, CohortCourse, CoursePage, Enrolment
from .progress import COMPLETE, IN_PROGRESS, WAITING, CourseStatus, evaluate
from .selectors import (
    course_of,
    course_structure,
    enrolment_cohort_for,
    prerequisites_missing,
    progress_states,
)
from .signals import activity_completed, course_completed, enrolment_withdrawn

logger = logging.getLogger(__name__)


@transaction.atomic
def enrolment_create(
    *, user: User, course: CoursePage, cohort: Cohort | None = None, check_rules: bool = True
) -> Enrolment:
    """Enrol a learner (idempotent; re-activates a withdrawn enrolment, keeping its progress).

    With `check_rules`, a self-enrolment must be in a published open course, or in a
    cohort-only course through one of the learner's cohorts that takes it; and the course's
    prerequisites must be complete. Raises EnrolmentRefused (nothing changed) otherwise.
    """
    existing = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if existing and existing.status == Enrolment.Status.ACTIVE:
        return existing
    if check_rules:
        if not course.live:
            raise EnrolmentRefused()
        if course.enrolment_mode != CoursePage.EnrolmentMode.OPEN and cohort is None:
            cohort = enrolment_cohort_for(user, course)
            if cohort is None:
                raise EnrolmentRefused(
                    _("This course is offered to cohorts: your trainer enrols you.")
                )
        if missing := prerequisites_missing(user, course):
            raise EnrolmentRefused(
                _("Complete these courses first: %(courses)s.")
                % {"courses": ", ".join(c.title for c in missing)}
            )
    if existing:
        existing.status = Enrolment.Status.ACTIVE
        existing.cohort = existing.cohort or cohort
        if not existing.completed_at:
            states = progress_states(user, [course.id])[course.id]
            existing.progress_percent = evaluate(course_structure(course), states).percent
        existing.save(update_fields=["status", "cohort", "progress_percent"])
        return _with_owner(existing)
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"cohort": cohort}
    )
    if enrolment.status != Enrolment.Status.ACTIVE:  # withdrawn by a concurrent request meanwhile
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.save(update_fields=["status"])
    return _with_owner(enrolment)


def _with_owner(enrolment: Enrolment) -> Enrolment:
    """Every enrolment has a cohort, so a trainer or the programme's manager sees the learner: one
    who enrolled by themself joins the course's open-enrolment cohort."""
    if enrolment.cohort_id is None:
        cohort = self_enrolment_cohort(course=enrolment.course)
        if cohort is not None:
            Enrolment.objects.filter(pk=enrolment.pk, cohort__isnull=True).update(cohort=cohort)
            enrolment.cohort = cohort
            CohortMembership.objects.get_or_create(cohort=cohort, user=enrolment.user)
    return enrolment


@transaction.atomic
def self_enrolment_cohort(*, course: CoursePage) -> Cohort | None:
    """The cohort that learners who enrol in `course` by themselves join (created on first need,
    idempotent). Its trainers are whoever the programme manager names; until then the programme's
    managers see its learners, grade their essays and remind them. None outside a programme."""
    existing = Cohort.objects.filter(self_enrolment_course=course).first()
    if existing is not None:
        return existing
    programme = course.get_programme()
    if programme is None:
        return None
    cohort, created = Cohort.objects.get_or_create(
        self_enrolment_course=course,
        defaults={
            "programme": programme,
            "name": _("Open enrolment · %(course)s") % {"course": course.title},
        },
    )
    if created:
        CohortCourse.objects.get_or_create(cohort=cohort, course=course)
    return cohort


@transaction.atomic
def enrolment_withdraw(*, user: User, course: CoursePage) -> bool:
    """Unenrol (idempotent). Progress and a completed course stay recorded; returns True when
    an active enrolment was withdrawn."""
    updated = Enrolment.objects.filter(
        user=user, course=course, status=Enrolment.Status.ACTIVE
    ).update(status=Enrolment.Status.WITHDRAWN)
    if updated:
        enrolment = Enrolment.objects.get(user=user, course=course)
        enrolment_withdrawn.send(sender=Enrolment, enrolment=enrolment, user=user, course=course)
    return bool(updated)


@transaction.atomic
def cohort_course_add(*, cohort: Cohort, course: CoursePage) -> CohortCourse:
    """Enrol a whole cohort in a course; members who join later are enrolled too.

    Idempotent: a repeated call only enrols members who have no enrolment yet. The first call
    also re-activates members who had withdrawn from the course. Prerequisites are not
    checked: the programme staff decide for the cohort.
    """
    link, created = CohortCourse.objects.get_or_create(cohort=cohort, course=course)
    member_ids = set(cohort.memberships.values_list("user_id", flat=True))
    existing = dict(
        Enrolment.objects.filter(course=course, user_id__in=member_ids).values_list(
            "user_id", "status"
        )
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(user_id=uid, course=course, cohort=cohort)
            for uid in sorted(member_ids - existing.keys())
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    if created:
        Enrolment.objects.filter(
            course=course,
            user_id__in=[u for u, s in existing.items() if s == Enrolment.Status.WITHDRAWN],
        ).update(status=Enrolment.Status.ACTIVE, cohort=cohort)
    return link


@transaction.atomic
def cohort_member_enrol(*, cohort: Cohort, user: User) -> list[Enrolment]:
    """Enrol a new cohort member in every course of the cohort (idempotent)."""
    return [
        enrolment_create(user=user, course=link.course, cohort=cohort, check_rules=False)
        for link in CohortCourse.objects.filter(cohort=cohort).select_related("course")
    ]


def _progress_row(user: User, activity: Page, course: CoursePage) -> ActivityProgress:
    progress, _created = ActivityProgress.objects.get_or_create(
        user=user, activity_id=activity.pk, defaults={"course": course}
    )
    return progress


@transaction.atomic
def activity_start(*, user: User, activity: Page) -> ActivityProgress | None:
    """Record that an enrolled learner opened an open (not locked) activity; idempotent.

    Moves `not_started` to `in_progress` and stamps the enrolment's last activity. Returns the
    progress row, or None when the learner is not enrolled or the activity is locked.
    """
    course = course_of(activity)
    if course is None or not user.is_authenticated:
        return None
    if not Enrolment.objects.filter(
        user=user, course=course, status=Enrolment.Status.ACTIVE
    ).exists():
        return None
    states = progress_states(user, [course.id])[course.id]
    if states.get(activity.pk) in (IN_PROGRESS, WAITING, COMPLETE):
        return ActivityProgress.objects.get(user=user, activity_id=activity.pk)
    status = evaluate(course_structure(course), states).activity(activity.pk)
    if status is None or status.locked:
        return None
    progress = _progress_row(user, activity, course)
    if progress.state == ActivityProgress.State.NOT_STARTED:
        progress.state = ActivityProgress.State.IN_PROGRESS
        progress.started_at = timezone.now()
        progress.save(update_fields=["state", "started_at", "updated_at"])
        Enrolment.objects.filter(user=user, course=course).update(
            last_activity_at=progress.started_at
        )
    return progress


@transaction.atomic
def activity_complete(*, user: User, activity: Page, check_locks: bool = True) -> ActivityProgress:
    """Mark an activity complete for an enrolled learner; idempotent.

    Recomputes the course; the first time the course becomes complete it sets
    `Enrolment.completed_at` and sends `course_completed`, inside this transaction. Concurrent
    calls for the same learner and course are serialised on the enrolment row, so the event
    fires once. Raises NotEnrolled, or ActivityLocked when the activity is not part of the
    published course or (with `check_locks`) is locked; nothing changes then.
    """
    course = course_of(activity)
    if course is None:
        raise ActivityLocked()
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course=course, status=Enrolment.Status.ACTIVE)
        .first()
    )
    if enrolment is None:
        raise NotEnrolled()
    already_complete = enrolment.completed_at is not None
    structure = course_structure(course)
    states = progress_states(user, [course.id])[course.id]
    if states.get(activity.pk) == COMPLETE:
        return ActivityProgress.objects.get(user=user, activity_id=activity.pk)
    status = evaluate(structure, states, already_complete=already_complete).activity(activity.pk)
    if status is None:
        raise ActivityLocked()
    if check_locks and status.locked:
        raise ActivityLocked(status.lock_reason)
    now = timezone.now()
    progress = _progress_row(user, activity, course)
    progress.state = COMPLETE
    progress.started_at = progress.started_at or now
    progress.completed_at = now
    progress.save(update_fields=["state", "started_at", "completed_at", "updated_at"])
    activity_completed.send(
        sender=ActivityProgress, progress=progress, user=user, activity=activity
    )
    states[activity.pk] = COMPLETE
    enrolment.user = user
    _enrolment_update(
        enrolment, evaluate(structure, states, already_complete=already_complete), now
    )
    return progress


@transaction.atomic
def activity_await_grading(*, user: User, activity: Page, waiting: bool = True) -> bool:
    """Mark a submitted activity as waiting for a trainer's grading (or, with `waiting=False`,
    back to in progress once graded without completing). Never touches a complete activity;
    idempotent. Returns whether a row changed."""
    if waiting:
        course = course_of(activity)
        if course is None or not Enrolment.objects.filter(user=user, course=course).exists():
            return False
        progress = _progress_row(user, activity, course)
        if progress.state in (WAITING, COMPLETE):
            return False
        progress.state = WAITING
        progress.started_at = progress.started_at or timezone.now()
        progress.save(update_fields=["state", "started_at", "updated_at"])
        return True
    changed = ActivityProgress.objects.filter(
        user=user, activity_id=activity.pk, state=WAITING
    ).update(state=IN_PROGRESS, updated_at=timezone.now())
    return bool(changed)


@transaction.atomic
def activity_reopen(*, user: User, activity: Page) -> None:
    """Set a completed activity back to in progress (a regraded quiz); idempotent.

    The enrolment's percentage follows; a completed course stays completed.
    """
    reopened = ActivityProgress.objects.filter(
        user=user, activity_id=activity.pk, state=COMPLETE
    ).update(state=IN_PROGRESS, completed_at=None, updated_at=timezone.now())
    course = course_of(activity)
    if not reopened or course is None:
        return
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None or enrolment.completed_at:
        return
    states = progress_states(user, [course.id])[course.id]
    enrolment.progress_percent = evaluate(course_structure(course), states).percent
    enrolment.save(update_fields=["progress_percent"])


def _enrolment_update(enrolment: Enrolment, status: CourseStatus, now: datetime) -> None:
    enrolment.progress_percent = 100 if enrolment.completed_at else status.percent
    enrolment.last_activity_at = now
    fields = ["progress_percent", "last_activity_at"]
    newly_complete = status.complete and enrolment.completed_at is None
    if newly_complete:
        enrolment.completed_at = now
        enrolment.progress_percent = 100
        fields.append("completed_at")
    enrolment.save(update_fields=fields)
    if newly_complete:
        logger.info("course completed: user=%s course=%s", enrolment.user_id, enrolment.course_id)
        course_completed.send(
            sender=Enrolment, enrolment=enrolment, user=enrolment.user, course=enrolment.course
        )


def course_recompute(*, course: CoursePage) -> int:
    """Re-apply the rules after an editor added or removed activities.

    Completed enrolments stay completed; incomplete ones get a fresh percentage, and those that
    the change made complete (a required activity removed) complete now, firing the event.
    Returns the number of enrolments that became complete. Each enrolment is its own transaction.
    """
    structure = course_structure(course)
    newly = 0
    pending = Enrolment.objects.filter(
        course=course, status=Enrolment.Status.ACTIVE, completed_at__isnull=True
    )
    for enrolment_id in list(pending.values_list("id", flat=True)):
        with transaction.atomic():
            enrolment = (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk=enrolment_id)
                .first()
            )
            if (
                enrolment is None
                or enrolment.completed_at
                or enrolment.status != Enrolment.Status.ACTIVE
            ):
                continue
            states = progress_states(enrolment.user, [course.id])[course.id]
            status = evaluate(structure, states)
            if status.percent != enrolment.progress_percent or status.complete:
                newly += int(status.complete)
                _enrolment_update(enrolment, status, enrolment.last_activity_at or timezone.now())
    return newly
