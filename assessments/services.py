"""Writes for quizzes, surveys and the question bank. Views, tasks and commands call these."""

import logging
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.exceptions import ActivityLocked, NotEnrolled
from courses.models import ActivityProgress, CoursePage, Enrolment
from courses.selectors import course_of, course_status
from courses.services import (
    activity_await_grading,
    activity_complete,
    activity_reopen,
    activity_start,
)
from lms.models import User

from . import grading
from .exceptions import (
    AlreadyAnswered,
    AssessmentError,
    AttemptRefused,
    InvalidAnswers,
    NoQuestions,
)
from .imports import questions_import_apply
from .models import (
    Attempt,
    Question,
    QuizPage,
    SurveyPage,
    SurveyParticipation,
    SurveyReminder,
    SurveyReminderDelivery,
    SurveyResponse,
)
from .selectors import RELEASE_BATCH, questions_in_locale, survey_snapshots

logger = logging.getLogger(__name__)
REMINDER_INTERVAL = timedelta(hours=12)
_random = secrets.SystemRandom()


# ---------------------------------------------------------------- drawing questions


def _questions_for(quiz: QuizPage, form: str) -> list[Question]:
    prefetch = ("choices", "numeric_answers", "pairs")
    category_id = (
        quiz.draw_category_b_id
        if form == "B" and quiz.draw_category_b_id
        else quiz.draw_category_id
    )
    if category_id:
        pool = questions_in_locale(
            Question.objects.filter(category_id=category_id).prefetch_related(*prefetch),
            locale_id=quiz.locale_id,
        )
        return _random.sample(pool, min(quiz.draw_count or len(pool), len(pool)))
    rows = quiz.quiz_questions.select_related("question").order_by("sort_order")
    if quiz.parallel_forms and form:
        rows = rows.filter(form__in=("", form))
    ids = [row.question_id for row in rows]
    by_id = Question.objects.prefetch_related(*prefetch).in_bulk(ids)
    return questions_in_locale(
        [by_id[i] for i in ids if i in by_id], locale_id=quiz.locale_id, keep_all=True
    )


def _form_for(user: User, quiz: QuizPage) -> str:
    if not quiz.parallel_forms:
        return ""
    if quiz.kind == QuizPage.Kind.POST and quiz.pre_test_id:
        first = (
            Attempt.objects.filter(user=user, quiz_id=quiz.pre_test_id).order_by("number").first()
        )
        if first and first.form:
            return "B" if first.form == "A" else "A"
        return "A"
    previous = Attempt.objects.filter(user=user, quiz=quiz).order_by("number").first()
    return previous.form if previous and previous.form else _random.choice("AB")


def _opaque_choice_keys(snapshot: dict) -> dict:
    """Give the choices random keys for this attempt: stable letters would tell a learner which
    position the editor wrote first, often the right answer."""
    if snapshot["type"] in (grading.SINGLE, grading.MULTIPLE):
        keys: set[str] = set()
        for choice in snapshot["choices"]:
            key = secrets.token_hex(3)
            while key in keys:
                key = secrets.token_hex(3)
            keys.add(key)
            choice["key"] = key
    return snapshot


def _draw(quiz: QuizPage, form: str) -> tuple[list[dict], dict[str, list[str]]]:
    questions = _questions_for(quiz, form)
    if quiz.shuffle_questions:
        _random.shuffle(questions)
    snapshots = [_opaque_choice_keys(q.snapshot()) for q in questions]
    orders = {}
    for snap in snapshots:
        keys = [c["key"] for c in snap.get("choices", [])]
        if quiz.shuffle_choices and snap["type"] in (grading.SINGLE, grading.MULTIPLE):
            _random.shuffle(keys)
        orders[snap["key"]] = keys
    return snapshots, orders


# ---------------------------------------------------------------- attempts


def _open_enrolment(user: User, quiz: QuizPage) -> tuple[CoursePage, Enrolment]:
    course = course_of(quiz)
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course=course, status=Enrolment.Status.ACTIVE)
        .first()
        if course
        else None
    )
    if enrolment is None:
        raise NotEnrolled()
    return course, enrolment


def attempt_draw(*, user: User, quiz: QuizPage) -> dict:
    """The questions an attempt of `user` would be asked now (form, snapshots, choice orders),
    drawn as `attempt_start` draws them, for an attempt answered later (offline). Writes nothing."""
    form = _form_for(user, quiz)
    snapshots, orders = _draw(quiz, form)
    return {"form": form, "questions": snapshots, "choice_orders": orders}


@transaction.atomic
def attempt_start(*, user: User, quiz: QuizPage, draw: dict | None = None) -> Attempt:
    """Start an attempt, or resume the one in progress (idempotent while one is open).

    An expired open attempt is first closed and graded on what was saved. Refuses (AttemptRefused,
    NotEnrolled, ActivityLocked, NoQuestions) without changing anything. Starts of one learner are
    serialised on their enrolment row; the unique attempt number is the last guard.

    `draw` (from `attempt_draw`) starts a new attempt with questions drawn earlier, for answers
    given offline: then an attempt open on the site is refused rather than resumed.
    """
    course, _enrolment = _open_enrolment(user, quiz)
    status = course_status(user, course).activity(quiz.pk)
    if status is None or (status.locked and not status.complete):
        raise ActivityLocked(status.lock_reason if status else None)
    now = timezone.now()
    current = (
        Attempt.objects.select_for_update()
        .filter(user=user, quiz=quiz, state=Attempt.State.IN_PROGRESS)
        .first()
    )
    if current is not None:
        if not current.expired(now):
            if draw is not None:
                raise AttemptRefused(
                    _("You have an attempt of this quiz open on the site: submit it there first.")
                )
            return current
        _close(current, now=now, late=True)
    used = Attempt.objects.filter(user=user, quiz=quiz).count()
    if quiz.kind == QuizPage.Kind.PRE and used:
        raise AttemptRefused(_("A pre-test is taken once: it records where you started."))
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise AttemptRefused(
            _("You have used all the attempts allowed (%(n)s).") % {"n": quiz.max_attempts}
        )
    if draw is None:
        form = _form_for(user, quiz)
        snapshots, orders = _draw(quiz, form)
    else:
        form, snapshots, orders = draw["form"], draw["questions"], draw["choice_orders"]
    if not snapshots:
        raise NoQuestions()
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                quiz=quiz,
                number=used + 1,
                form=form,
                questions=snapshots,
                choice_orders=orders,
                started_at=now,
                deadline=deadline,
            )
    except IntegrityError:
        # A concurrent start won the race: resume its attempt rather than opening a second one.
        winner = Attempt.objects.filter(
            user=user, quiz=quiz, state=Attempt.State.IN_PROGRESS
        ).first()
        if winner is None or draw is not None:
            raise AttemptRefused() from None
        return winner
    activity_start(user=user, activity=quiz)
    return attempt


def _clean_answers(attempt: Attempt, answers: dict) -> dict:
    keys = {q["key"] for q in attempt.questions}
    merged = dict(attempt.answers)
    for key, value in answers.items():
        if key not in keys:
            continue
        if value in (None, "", [], {}):
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


@transaction.atomic
def attempt_save(*, user: User, attempt_id: int, answers: dict) -> Attempt:
    """Save answers of an open attempt as the learner goes (idempotent for the same answers).

    After the deadline nothing is saved: the attempt is closed and graded on what was saved in
    time (returned with `late=True`). A submitted attempt is returned unchanged.
    """
    attempt = (
        Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id, user=user)
    )
    if not attempt.is_open:
        return attempt
    now = timezone.now()
    if attempt.expired(now):
        return _close(attempt, now=now, late=True)
    attempt.answers = _clean_answers(attempt, answers)
    attempt.answers_saved_at = now
    # Conditional, like closing: a save racing a submission never rewrites a submitted attempt.
    if not Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(
        answers=attempt.answers, answers_saved_at=now
    ):
        return Attempt.objects.get(pk=attempt.pk)
    return attempt


@transaction.atomic
def attempt_submit(*, user: User, attempt_id: int, answers: dict | None = None) -> Attempt:
    """Submit and grade an attempt on the server (idempotent: a second submit changes nothing).

    Answers sent with a submission after the deadline are ignored. Passing (or submitting a
    pre-test) completes the quiz activity. The returned attempt has `just_closed` True when this
    call closed it. Raises Attempt.DoesNotExist when it is not the learner's attempt.
    """
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz")
        .get(pk=attempt_id, user=user)
    )
    attempt.just_closed = False
    if not attempt.is_open:
        return attempt
    now = timezone.now()
    late = attempt.expired(now)
    if answers and not late:
        attempt.answers = _clean_answers(attempt, answers)
        attempt.answers_saved_at = now
    return _close(attempt, now=now, late=late, user=user)


def _close(attempt: Attempt, *, now: datetime, late: bool, user: User | None = None) -> Attempt:
    """Grade and close an open attempt. The state change is a compare-and-set on the row, so of
    two concurrent closings exactly one counts even where row locks are not available."""
    quiz = attempt.quiz
    results = {
        q["key"]: grading.grade(q, attempt.answers.get(q["key"])).as_dict()
        for q in attempt.questions
    }
    _score(attempt, results, quiz)
    attempt.submitted_at = now
    attempt.late = late
    updated = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(
        state=attempt.state,
        results=results,
        score=attempt.score,
        passed=attempt.passed,
        submitted_at=now,
        late=late,
        answers=attempt.answers,
        answers_saved_at=attempt.answers_saved_at,
        graded_at=attempt.graded_at,
    )
    if not updated:
        return Attempt.objects.get(pk=attempt.pk)
    attempt.results = results
    attempt.just_closed = True
    _sync_completion(user or attempt.user, quiz, closed=attempt)
    return attempt


def _score(attempt: Attempt, results: dict, quiz: QuizPage) -> None:
    items = [(float(q.get("points", 1)), results[q["key"]]) for q in attempt.questions]
    percent, pending = grading.attempt_percent(items)
    attempt.score = None if percent is None else round(percent, 2)
    if pending:
        attempt.state = Attempt.State.NEEDS_GRADING
        attempt.passed = None
        attempt.graded_at = None
    else:
        attempt.state = Attempt.State.GRADED
        # A pre-test has no pass mark: it records the starting point.
        attempt.passed = (
            None
            if quiz.kind == QuizPage.Kind.PRE
            else percent is None or percent >= float(quiz.pass_mark)
        )
        attempt.graded_at = timezone.now()


def _sync_completion(user: User, quiz: QuizPage, closed: Attempt | None = None) -> None:
    """Complete the quiz activity when an attempt passed (any submitted one for a pre-test);
    reopen it when a regrade leaves no passing attempt. `closed`: the attempt just closed,
    which settles it without a query when it completes the activity."""
    if closed is not None and (quiz.completes_on_submission or closed.passed):
        done = True
    else:
        attempts = Attempt.objects.filter(user=user, quiz=quiz).exclude(
            state=Attempt.State.IN_PROGRESS
        )
        done = (
            attempts.exists()
            if quiz.completes_on_submission
            else attempts.filter(passed=True).exists()
        )
    try:
        if done:
            activity_complete(user=user, activity=quiz, check_locks=False)
            return
        if ActivityProgress.objects.filter(
            user=user, activity_id=quiz.pk, state="complete"
        ).exists():
            activity_reopen(user=user, activity=quiz)
        waiting = (
            closed is not None and closed.state == Attempt.State.NEEDS_GRADING
        ) or Attempt.objects.filter(
            user=user, quiz=quiz, state=Attempt.State.NEEDS_GRADING
        ).exists()
        activity_await_grading(user=user, activity=quiz, waiting=waiting)
    except NotEnrolled:
        logger.info(
            "attempt graded for a learner no longer enrolled: user=%s quiz=%s", user.pk, quiz.pk
        )


@transaction.atomic
def essay_grade(
    *, grader: User, attempt_id: int, question_key: str, percent: float, comment: str = ""
) -> Attempt:
    """Record a trainer's mark for one essay answer (0-100) and regrade the attempt.

    Idempotent for the same mark. When no essay is left waiting, the attempt is graded and the
    quiz activity completed (or reopened) accordingly. The caller checks the grader may do it.
    """
    attempt = Attempt.objects.select_for_update().select_related("quiz", "user").get(pk=attempt_id)
    snapshot = attempt.snapshot(question_key)
    if attempt.is_open or snapshot is None or snapshot["type"] != grading.ESSAY:
        raise AssessmentError(_("This answer cannot be graded."))
    if not 0 <= percent <= 100:
        raise AssessmentError(_("Enter a mark between 0 and 100."))
    feedback = [comment.strip()] if comment.strip() else []
    if snapshot.get("general_feedback"):
        feedback.append(snapshot["general_feedback"])
    results = dict(attempt.results)
    results[question_key] = {
        "status": grading.MANUAL,
        "fraction": round(percent / 100, 4),
        "feedback": feedback,
        "graded_by": grader.pk,
    }
    attempt.results = results
    _score(attempt, results, attempt.quiz)
    attempt.save(update_fields=["results", "score", "passed", "state", "graded_at"])
    _sync_completion(attempt.user, attempt.quiz)
    return attempt


@transaction.atomic
def attempts_close_expired(*, now: datetime | None = None) -> int:
    """Close every open attempt whose deadline passed, graded on what was saved. Idempotent."""
    now = now or timezone.now()
    closed = 0
    for attempt_id in Attempt.objects.filter(
        state=Attempt.State.IN_PROGRESS, deadline__lt=now
    ).values_list("id", flat=True):
        attempt = (
            Attempt.objects.select_for_update().select_related("quiz", "user").get(pk=attempt_id)
        )
        if attempt.is_open and attempt.expired(now):
            _close(attempt, now=now, late=True)
            closed += 1
    return closed


# ---------------------------------------------------------------- surveys


@transaction.atomic
def survey_submit(*, user: User, survey: SurveyPage, answers: dict) -> SurveyResponse:
    """Record one person's answers, once (AlreadyAnswered on a second try, nothing changed).

    The participation row (who answered) and the response (what was answered; no person, time
    or sequential id when the survey is anonymous) are written in the same transaction, and the
    survey activity is completed. An anonymous answer leaves no trace of *when*: the learner's
    "last activity" and the activity's completion time stay as they were, and the response only
    carries the number of its release batch (see `selectors.survey_results`).
    """
    course = course_of(survey)
    if (
        course is None
        or not Enrolment.objects.filter(
            user=user, course=course, status=Enrolment.Status.ACTIVE
        ).exists()
    ):
        raise NotEnrolled()
    status = course_status(user, course).activity(survey.pk)
    if status is None or (status.locked and not status.complete):
        raise ActivityLocked(status.lock_reason if status else None)
    snapshots = survey_snapshots(survey)
    keys = {s["key"] for s in snapshots}
    clean = {k: v for k, v in answers.items() if k in keys and v not in (None, "", [], {})}
    missing = [s for s in snapshots if s["required"] and s["key"] not in clean]
    if missing or not clean:
        raise InvalidAnswers()
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(user=user, survey=survey)
    except IntegrityError:
        raise AlreadyAnswered() from None
    earlier = SurveyResponse.objects.filter(survey=survey)
    response = SurveyResponse.objects.create(
        survey=survey,
        user=None if survey.anonymous else user,
        organisation_id=user.organisation_id,
        questions=snapshots,
        answers=clean,
        release_batch=earlier.count() // RELEASE_BATCH,
        organisation_batch=earlier.filter(organisation_id=user.organisation_id).count()
        // RELEASE_BATCH,
    )
    enrolment = Enrolment.objects.filter(user=user, course=course)
    last_activity = enrolment.values_list("last_activity_at", flat=True).first()
    activity_complete(user=user, activity=survey, check_locks=False)
    if survey.anonymous:
        enrolment.update(last_activity_at=last_activity)
        ActivityProgress.objects.filter(user=user, activity_id=survey.pk).update(completed_at=None)
    return response


@transaction.atomic
def survey_remind_non_respondents(*, survey: SurveyPage, sent_by: User | None) -> int:
    """E-mail every active learner of the survey's course who has not answered yet (after commit).

    Returns how many are reminded. Refused within 12 hours of the previous reminder. The
    manager learns a count, never names.
    """
    last = SurveyReminder.objects.filter(survey=survey).order_by("-sent_at").first()
    if last and timezone.now() - last.sent_at < REMINDER_INTERVAL:
        raise AssessmentError(
            _("A reminder was sent less than 12 hours ago. Please wait before sending another.")
        )
    course = course_of(survey)
    answered = SurveyParticipation.objects.filter(survey=survey).values("user_id")
    user_ids = list(
        Enrolment.objects.filter(course=course, status=Enrolment.Status.ACTIVE)
        .exclude(user_id__in=answered)
        .values_list("user_id", flat=True)
    )
    reminder = SurveyReminder.objects.create(
        survey=survey, sent_by=sent_by, recipients=len(user_ids)
    )
    if user_ids:
        from .tasks import send_survey_reminders

        survey_id, reminder_id = survey.pk, reminder.pk
        transaction.on_commit(lambda: send_survey_reminders.delay(survey_id, user_ids, reminder_id))
    return len(user_ids)


# ---------------------------------------------------------------- question bank


def questions_import(
    *, source: str, category_name: str = "", on_match: str = "skip"
) -> tuple[list[Question], list[str]]:
    """Create bank questions from a GIFT or a Moodle XML file (told apart by content): every
    question that this platform can ask, or none when one is malformed (GiftError with line
    numbers). Returns the questions created and what was left out, in words for the editor.
    Questions that match ones in the bank are skipped, updated or created again (`on_match`),
    so importing the same file twice with the default creates nothing new. The full account is
    `imports.questions_import_apply`."""
    result = questions_import_apply(source=source, category_name=category_name, on_match=on_match)
    return result.created, result.left_out + result.notes


def survey_reminder_email(
    *, survey: SurveyPage, user: User, reminder_id: int | None = None
) -> bool:
    """E-mail one learner a reminder to answer, unless they answered meanwhile or this reminder
    already reached them; returns whether a message went out.

    With `reminder_id` the send is claimed first (a delivery row, unique per reminder and
    learner) and marked sent after: a retry after an SMTP error re-mails nobody already
    reached. If sending fails the claim is released and the error re-raised (the task retries).
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    if SurveyParticipation.objects.filter(survey=survey, user=user).exists() or not user.is_active:
        return False
    delivery = None
    if reminder_id is not None:
        delivery, created = SurveyReminderDelivery.objects.get_or_create(
            reminder_id=reminder_id, user=user
        )
        if not created and delivery.sent_at is not None:
            return False
    with translation.override(user.preferred_language or "es"):
        url = settings.SITE_URL.rstrip("/") + (survey.url or "")
        subject = _("Reminder: please answer “%(title)s”") % {"title": survey.title}
        body = _(
            "Hello %(name)s,\n\nWe would value your answers to “%(title)s”. It takes a few "
            "minutes.\n\n%(url)s\n\nIf you have already answered, please ignore this message."
        ) % {"name": user.get_short_name(), "title": survey.title, "url": url}
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        if delivery is not None:
            delivery.delete()
        raise
    if delivery is not None:
        SurveyReminderDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
    return True
