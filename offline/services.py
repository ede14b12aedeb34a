"""Writes for offline use: quiz papers to answer without a connection, and what a device sends
later. Each sent item is applied through the same services as the online forms."""

import logging
import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from assessments import grading
from assessments import services as assessment_services
from assessments.exceptions import AlreadyAnswered
from assessments.models import QuizPage, SurveyPage
from assessments.selectors import quiz_state, survey_snapshots
from courses.exceptions import ActivityLocked, NotEnrolled, ProgressError
from courses.models import ActivityPage, Enrolment
from courses.selectors import course_of, course_status
from courses.services import activity_complete
from lms.models import User

from .exceptions import OfflineRefused
from .models import OfflineItem, QuizPaper

logger = logging.getLogger(__name__)
FIELD_PREFIX = "r_"
MAX_FIELDS = 400


def _require_open(user: User, page: Page) -> None:
    """The activity is published, the learner is enrolled and it is not locked for them."""
    course = course_of(page)
    if course is None or not page.live:
        raise OfflineRefused(_("This activity is no longer published."))
    if not Enrolment.objects.filter(
        user=user, course=course, status=Enrolment.Status.ACTIVE
    ).exists():
        raise NotEnrolled()
    status = course_status(user, course).activity(page.pk)
    if status is None or (status.locked and not status.complete):
        raise ActivityLocked(status.lock_reason if status else None)


@transaction.atomic
def paper_issue(*, user: User, quiz: QuizPage) -> QuizPaper:
    """Draw a quiz for `user` to answer offline, or return their paper not yet answered
    (idempotent while it is unused). Refuses (OfflineRefused, NotEnrolled, ActivityLocked) when
    the quiz is not available offline or the learner could not start an attempt now."""
    if not quiz.available_offline:
        raise OfflineRefused(_("This quiz cannot be taken offline."))
    _require_open(user, quiz)
    state = quiz_state(user, quiz)
    if not state.can_start:
        raise OfflineRefused(state.refusal)
    paper = (
        QuizPaper.objects.filter(user=user, quiz=quiz, attempt__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if paper is not None:
        return paper
    draw = assessment_services.attempt_draw(user=user, quiz=quiz)
    if not draw["questions"]:
        raise OfflineRefused(_("This quiz has no questions yet. Please tell the course team."))
    return QuizPaper.objects.create(user=user, quiz=quiz, **draw)


def form_data(pairs: list | None) -> QueryDict:
    """The [name, value] pairs of a form filled offline, as the online form view receives them."""
    data = QueryDict(mutable=True)
    for pair in (pairs or [])[:MAX_FIELDS]:
        if (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(v, str) for v in pair)
        ):
            data.appendlist(pair[0][:100], pair[1][: grading.MAX_TEXT])
    return data


def _apply_completion(user: User, page: Page, payload: dict) -> dict:
    if not isinstance(page, ActivityPage) or not page.completes_by_button:
        raise OfflineRefused(_("This activity is not completed with a button."))
    if not page.live:
        raise OfflineRefused(_("This activity is no longer published."))
    activity_complete(user=user, activity=page)
    return {"complete": True}


def _apply_attempt(user: User, page: Page, payload: dict) -> tuple[dict, object]:
    if not isinstance(page, QuizPage):
        raise OfflineRefused()
    try:
        paper_id = uuid.UUID(str(payload.get("paper", "")))
    except ValueError:
        raise OfflineRefused(
            _("These answers do not belong to a quiz downloaded for you.")
        ) from None
    paper = QuizPaper.objects.select_for_update().filter(pk=paper_id, user=user, quiz=page).first()
    if paper is None:
        raise OfflineRefused(_("These answers do not belong to a quiz downloaded for you."))
    if paper.attempt_id is not None:
        raise OfflineRefused(
            _(
                "This quiz was already answered from another device or window: the first "
                "answers sent were kept."
            )
        )
    if not page.live:
        raise OfflineRefused(_("This activity is no longer published."))
    attempt = assessment_services.attempt_start(user=user, quiz=page, draw=paper.as_draw())
    data = form_data(payload.get("data"))
    answers = {
        s["key"]: grading.response_from_post(s, data, FIELD_PREFIX) for s in attempt.questions
    }
    attempt = assessment_services.attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)
    paper.attempt = attempt
    paper.save(update_fields=["attempt"])
    result = {
        "attempt": attempt.pk,
        "number": attempt.number,
        "state": attempt.state,
        "score": None if attempt.score is None else float(attempt.score),
        "passed": attempt.passed,
    }
    return result, attempt


def _apply_survey(user: User, page: Page, payload: dict) -> dict:
    if not isinstance(page, SurveyPage):
        raise OfflineRefused()
    if not page.live:
        raise OfflineRefused(_("This activity is no longer published."))
    data = form_data(payload.get("data"))
    answers = {
        s["key"]: grading.response_from_post(s, data, FIELD_PREFIX) for s in survey_snapshots(page)
    }
    try:
        assessment_services.survey_submit(user=user, survey=page, answers=answers)
    except AlreadyAnswered:
        raise OfflineRefused(
            _(
                "You had already answered this survey (on another device or on the site): the "
                "first answers were kept."
            )
        ) from None
    return {}


@transaction.atomic
def _receive(
    *, user: User, item_id: uuid.UUID, kind: str, page: Page, answered_at: datetime, payload: dict
) -> OfflineItem:
    # The row comes first: a concurrent send of the same id waits on the primary key here and
    # then fails, so the item is applied once.
    item = OfflineItem.objects.create(
        id=item_id,
        user=user,
        page=page,
        kind=kind,
        answered_at=answered_at,
        received_at=timezone.now(),
    )
    item.status = OfflineItem.Status.ACCEPTED
    try:
        with transaction.atomic():
            if kind == OfflineItem.Kind.COMPLETION:
                item.result = _apply_completion(user, page, payload)
            elif kind == OfflineItem.Kind.ATTEMPT:
                item.result, item.attempt = _apply_attempt(user, page, payload)
            else:
                item.result = _apply_survey(user, page, payload)
    except ProgressError as error:
        item.status = OfflineItem.Status.REJECTED
        item.message = str(error.message)
        logger.info(
            "offline item refused: user=%s item=%s kind=%s reason=%s",
            user.pk,
            item_id,
            kind,
            error.message,
        )
    item.save(update_fields=["status", "message", "result", "attempt"])
    return item


def item_receive(
    *, user: User, item_id: uuid.UUID, kind: str, page_id: int, answered_at: datetime, payload: dict
) -> OfflineItem:
    """Apply one item sent from a learner's device, once: a repeated send (same id) changes
    nothing and returns the first result. A refusal (attempt limit, enrolment, a conflict with
    another device) is stored as a refused item with its reason, so it too is answered the same
    way every time. Raises OfflineRefused only for an id that another account used, or a page
    that does not exist (nothing is stored then)."""
    stored = OfflineItem.objects.filter(pk=item_id).first()
    if stored is None:
        page = Page.objects.filter(pk=page_id).specific().first()
        if page is None:
            raise OfflineRefused(_("This activity no longer exists."))
        now = timezone.now()
        # A device clock ahead of the server's cannot date an answer in the future.
        answered_at = min(answered_at, now)
        try:
            return _receive(
                user=user,
                item_id=item_id,
                kind=kind,
                page=page,
                answered_at=answered_at,
                payload=payload,
            )
        except IntegrityError:
            stored = OfflineItem.objects.filter(pk=item_id).first()
            if stored is None:
                raise
    if stored.user_id != user.pk:
        raise OfflineRefused(_("This item cannot be accepted."))
    return stored
