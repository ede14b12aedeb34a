"""Reads about quizzes and surveys, scoped to the person asking. Permission rules live here."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from wagtail.models import Locale, Page

from courses.models import CoursePage
from courses.selectors import course_of, is_course_staff
from lms.models import AnyUser, Organisation, Role, User
from lms.selectors import learners_visible_to, managed_programme_ids, user_roles

from . import grading
from .models import (
    Attempt,
    Question,
    QuizPage,
    SurveyPage,
    SurveyParticipation,
    SurveyResponse,
)

MIN_GROUP = 5
# An anonymous survey's results change only by whole batches of this many answers per group.
RELEASE_BATCH = 5
SUBMITTED = (Attempt.State.GRADED, Attempt.State.NEEDS_GRADING)


# ---------------------------------------------------------------- quiz, learner side


def final_score(attempts: list, method: str) -> float | None:
    """The score that counts for a quiz: highest or last graded attempt (objects or dicts)."""
    scores = [
        (_get(a, "number"), float(_get(a, "score")))
        for a in attempts
        if _get(a, "state") == Attempt.State.GRADED and _get(a, "score") is not None
    ]
    if not scores:
        return None
    if method == QuizPage.GradingMethod.LAST:
        return max(scores)[1]
    return max(s for _n, s in scores)


def _get(item: dict | object, name: str) -> object:
    return item[name] if isinstance(item, dict) else getattr(item, name)


@dataclass
class QuizState:
    attempts: list[Attempt]
    open_attempt: Attempt | None
    attempts_left: int | None
    final_score: float | None
    passed: bool
    can_start: bool
    refusal: str = ""
    gain: dict | None = None
    waiting: bool = False


def quiz_state(user: User, quiz: QuizPage) -> QuizState:
    """What a learner sees on a quiz page: their attempts, what is left, the score that counts."""
    from django.utils.translation import gettext as _

    attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    open_attempt = next((a for a in attempts if a.is_open), None)
    used = len(attempts)
    left = None if not quiz.max_attempts else max(0, quiz.max_attempts - used)
    refusal = ""
    if quiz.kind == QuizPage.Kind.PRE and used and not open_attempt:
        refusal = _("You have taken this pre-test.")
    elif left == 0 and not open_attempt:
        refusal = _("You have used all the attempts allowed.")
    submitted = [a for a in attempts if a.is_submitted]
    return QuizState(
        attempts=attempts,
        open_attempt=open_attempt,
        attempts_left=left,
        final_score=final_score(submitted, quiz.grading_method),
        passed=any(a.passed for a in submitted),
        can_start=not refusal,
        refusal=refusal,
        gain=learning_gain(user, quiz) if quiz.kind == QuizPage.Kind.POST else None,
        waiting=any(a.state == Attempt.State.NEEDS_GRADING for a in attempts),
    )


def first_graded_score(attempts: list) -> float | None:
    """The score of the first sitting that is fully graded (objects or dicts, in number order)."""
    first = next((a for a in attempts if _get(a, "state") == Attempt.State.GRADED), None)
    return (
        float(_get(first, "score"))
        if first is not None and _get(first, "score") is not None
        else None
    )


def gain_of(pre_attempts: list, post_attempts: list) -> dict:
    """{"pre", "post", "gain"}: like with like, the first graded sitting of each test (a second
    post-test attempt after seeing its review would measure the review, not the course)."""
    pre, post = first_graded_score(pre_attempts), first_graded_score(post_attempts)
    gain = round(post - pre, 2) if pre is not None and post is not None else None
    return {"pre": pre, "post": post, "gain": gain}


def learning_gain(user: User, post: QuizPage) -> dict | None:
    """{"pre", "post", "gain"} for a post-test and the pre-test it names (see `gain_of`)."""
    if not post.pre_test_id:
        return None
    attempts = list(
        Attempt.objects.filter(
            user=user, quiz_id__in=(post.pre_test_id, post.pk), state=Attempt.State.GRADED
        ).order_by("number")
    )
    return gain_of(
        [a for a in attempts if a.quiz_id == post.pre_test_id],
        [a for a in attempts if a.quiz_id == post.pk],
    )


def post_test_taken(user: User, pre: QuizPage) -> bool:
    """Whether the learner submitted a post-test that names this pre-test."""
    return Attempt.objects.filter(user=user, quiz__pre_test=pre, state__in=SUBMITTED).exists()


def show_right_answers(attempt: Attempt, quiz: QuizPage, attempts_used: int) -> bool:
    """Whether the review of a submitted attempt may show the right answers (and the feedback,
    which often gives them away). A pre-test keeps them until its post-test is taken: otherwise
    the post-test measures memory of the review."""
    if attempt.is_open or quiz.show_answers == QuizPage.ShowAnswers.NEVER:
        return False
    if quiz.kind == QuizPage.Kind.PRE and quiz.post_tests.exists():
        return post_test_taken(attempt.user, quiz)
    if quiz.show_answers == QuizPage.ShowAnswers.IMMEDIATELY:
        return True
    return bool(quiz.max_attempts) and attempts_used >= quiz.max_attempts


def attempt_of_learner(user: AnyUser, attempt_id: int) -> Attempt | None:
    """A learner's own attempt (someone else's is None: the view answers 404)."""
    if not user.is_authenticated:
        return None
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


# ---------------------------------------------------------------- quiz, staff side


def quiz_results_for(user_ids: list[int], course: CoursePage) -> dict[int, dict]:
    """user id -> {"best_score", "pre", "post", "gain", "failed_out"} for a course, in 2 queries.

    best_score: the best score that counts among graded quizzes (0-100); pre, post, gain: the
    first graded sitting of the pre-test and of the post-test that names it (`gain_of`);
    failed_out: used every attempt of a required graded quiz or post-test without passing.
    """
    user_ids = list(user_ids)
    empty = {"best_score": None, "pre": None, "post": None, "gain": None, "failed_out": False}
    result = {uid: dict(empty) for uid in user_ids}
    if not user_ids or course is None:
        return result
    quizzes = {q.pk: q for q in QuizPage.objects.descendant_of(course).live().order_by("path")}
    if not quizzes:
        return result
    rows = (
        Attempt.objects.filter(quiz_id__in=quizzes, user_id__in=user_ids, state__in=SUBMITTED)
        .values("user_id", "quiz_id", "number", "state", "score", "passed")
        .order_by("number")
    )
    by_user: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_user[row["user_id"]][row["quiz_id"]].append(row)
    post = next((q for q in quizzes.values() if q.kind == QuizPage.Kind.POST), None)
    pre_id = post.pre_test_id if post and post.pre_test_id in quizzes else None
    for uid in user_ids:
        attempts = by_user.get(uid, {})
        entry = result[uid]
        graded = [
            final_score(attempts.get(q.pk, []), q.grading_method)
            for q in quizzes.values()
            if q.kind == QuizPage.Kind.GRADED
        ]
        graded = [s for s in graded if s is not None]
        entry["best_score"] = max(graded) if graded else None
        if pre_id:
            entry.update(gain_of(attempts.get(pre_id, []), attempts.get(post.pk, [])))
        entry["failed_out"] = any(
            q.required
            and q.kind != QuizPage.Kind.PRE
            and q.max_attempts
            and len(attempts.get(q.pk, [])) >= q.max_attempts
            and all(
                a["state"] == Attempt.State.GRADED and not a["passed"]
                for a in attempts.get(q.pk, [])
            )
            for q in quizzes.values()
        )
    return result


def can_monitor_quiz(user: User, quiz: QuizPage) -> bool:
    """Trainers of a cohort taking the course, its programme's managers, editors, superusers."""
    course = course_of(quiz)
    return course is not None and is_course_staff(user, course)


def quiz_learner_rows(user: User, quiz: QuizPage) -> list[dict]:
    """Per learner the staff member may see: attempts used, the score that counts, the gain."""
    course = course_of(quiz)
    learners = list(
        learners_visible_to(user)
        .filter(enrolments__course=course, enrolments__status="active")
        .select_related("organisation")
        .order_by("full_name")
        .distinct()
    )
    results = quiz_results_for([u.pk for u in learners], course)
    counts = Counter(
        Attempt.objects.filter(quiz=quiz, user__in=learners)
        .exclude(state=Attempt.State.IN_PROGRESS)
        .values_list("user_id", flat=True)
    )
    scores = defaultdict(list)
    for row in Attempt.objects.filter(
        quiz=quiz, user__in=learners, state=Attempt.State.GRADED
    ).values("user_id", "number", "state", "score"):
        scores[row["user_id"]].append(row)
    return [
        {
            "learner": u,
            "attempts": counts.get(u.pk, 0),
            "score": final_score(scores[u.pk], quiz.grading_method),
            **{k: results[u.pk][k] for k in ("pre", "post", "gain", "failed_out")},
        }
        for u in learners
    ]


def _gradable(user: AnyUser) -> QuerySet[Attempt]:
    """Attempts the user may grade: learners of their cohorts, in courses those cohorts take
    (trainers) or in the programmes they manage (managers)."""
    from courses.models import CoursePage
    from lms.selectors import cohorts_visible_to

    if not user.is_authenticated:
        return Attempt.objects.none()
    attempts = Attempt.objects.all()
    if user.is_superuser:
        return attempts
    paths = set(
        CoursePage.objects.filter(cohort_courses__cohort__in=cohorts_visible_to(user)).values_list(
            "path", flat=True
        )
    )
    paths |= set(
        Page.objects.filter(pk__in=managed_programme_ids(user)).values_list("path", flat=True)
    )
    if not paths:
        return Attempt.objects.none()
    in_scope = Q()
    for path in paths:
        in_scope |= Q(quiz__path__startswith=path)
    return attempts.filter(in_scope, user__in=learners_visible_to(user))


def essay_queue(user: User) -> QuerySet[Attempt]:
    """Submitted attempts with an essay waiting, of learners in the trainer's cohorts, oldest
    first."""
    return (
        _gradable(user)
        .filter(state=Attempt.State.NEEDS_GRADING)
        .select_related("user", "quiz")
        .order_by("submitted_at")
    )


def attempt_for_grader(user: User, attempt_id: int) -> Attempt | None:
    """A submitted attempt of a learner the user may grade, or None."""
    return (
        _gradable(user)
        .filter(pk=attempt_id)
        .exclude(state=Attempt.State.IN_PROGRESS)
        .select_related("user", "quiz")
        .first()
    )


# ---------------------------------------------------------------- surveys


def survey_snapshots(survey: SurveyPage) -> list[dict]:
    """The survey's questions as asked now (responses keep their own copy)."""
    rows = (
        survey.survey_questions.select_related("question")
        .prefetch_related("question__choices", "question__numeric_answers", "question__pairs")
        .order_by("sort_order")
    )
    rows = list(rows)
    questions = questions_in_locale(
        [row.question for row in rows], locale_id=survey.locale_id, keep_all=True
    )
    return [
        {**question.snapshot(), "required": row.required}
        for row, question in zip(rows, questions, strict=True)
    ]


def survey_items(survey: SurveyPage) -> list[dict]:
    """The survey's questions as the form shows them (no weights)."""
    items = []
    for number, snapshot in enumerate(survey_snapshots(survey), start=1):
        items.append(
            {
                "number": number,
                "q": grading.public_question(snapshot),
                "name": "r_" + snapshot["key"],
                "saved": "",
                "required": snapshot["required"],
            }
        )
    return items


def survey_state(user: AnyUser, survey: SurveyPage) -> dict:
    answered = (
        user.is_authenticated
        and SurveyParticipation.objects.filter(user=user, survey=survey).exists()
    )
    return {"answered": answered, "can_see_results": can_read_survey_results(user, survey)}


def can_read_survey_results(user: AnyUser, survey: SurveyPage) -> bool:
    """Managers of the survey's programme (and superusers) read results and send reminders."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if Role.MANAGER not in user_roles(user):
        return False
    paths = Page.objects.filter(pk__in=managed_programme_ids(user)).values_list("path", flat=True)
    return any(survey.path.startswith(p) for p in paths)


def surveys_for_manager(user: AnyUser) -> QuerySet[SurveyPage]:
    if not user.is_authenticated:
        return SurveyPage.objects.none()
    if user.is_superuser:
        return SurveyPage.objects.all().order_by("path")
    paths = list(
        Page.objects.filter(pk__in=managed_programme_ids(user)).values_list("path", flat=True)
    )
    if not paths:
        return SurveyPage.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return SurveyPage.objects.filter(condition).order_by("path")


@dataclass
class QuestionResult:
    snapshot: dict
    respondents: int
    rows: list[dict]  # {"label", "count", "percent"} (choice types) or texts for open ones
    texts: list[str]
    mean: float | None
    hidden: bool


@dataclass
class GroupResult:
    label: str
    respondents: int
    hidden: bool
    questions: list[QuestionResult]


def _question_result(snapshot: dict, answers: list, min_group: int) -> QuestionResult:
    given = [a for a in answers if a not in (None, "", [], {})]
    hidden = len(given) < min_group
    rows, texts, mean = [], [], None
    if not hidden:
        kind = snapshot["type"]
        if kind in grading.CHOICE_TYPES or kind == grading.TRUEFALSE:
            counts = Counter()
            for answer in given:
                for key in answer if isinstance(answer, list) else [answer]:
                    counts[key] += 1
            options = (
                [(c["key"], c["text"]) for c in snapshot.get("choices", [])]
                if kind != grading.TRUEFALSE
                else [("true", "true"), ("false", "false")]
            )
            rows = [
                {
                    "key": key,
                    "label": label,
                    "count": counts[key],
                    "percent": round(100 * counts[key] / len(given)),
                }
                for key, label in options
            ]
            if kind == grading.LIKERT:
                weights = {c["key"]: float(c["weight"]) for c in snapshot["choices"]}
                values = [weights[a] for a in given if a in weights]
                mean = round(sum(values) / len(values), 2) if values else None
        elif kind == grading.NUMERICAL:
            values = [v for v in (grading.parse_number(a) for a in given) if v is not None]
            mean = round(sum(values) / len(values), 2) if values else None
        else:
            texts = sorted(grading.response_text(snapshot, a) for a in given)
    return QuestionResult(
        snapshot=snapshot, respondents=len(given), rows=rows, texts=texts, mean=mean, hidden=hidden
    )


def released(responses: list[dict], key: str) -> list[dict]:
    """The responses of whole batches (at least RELEASE_BATCH answers share the `key` batch
    number)."""
    sizes = Counter(r[key] for r in responses)
    return [r for r in responses if sizes[r[key]] >= RELEASE_BATCH]


def survey_results(survey: SurveyPage, *, min_group: int = MIN_GROUP) -> list[GroupResult]:
    """Results overall (first) and per organisation; a group or question with fewer than
    `min_group` answers is `hidden` (its results empty). Pages should not name hidden
    organisations either: a count of 1 can point at a person. Responses are read in random
    (UUID) order.

    In an anonymous survey each group shows only whole release batches (overall: the survey's
    batches; an organisation: its own batches), so results and exports change by at least
    RELEASE_BATCH answers at a time, free text included: comparing a report before and after
    one person answered shows nothing of that person."""
    responses = list(
        SurveyResponse.objects.filter(survey=survey)
        .order_by("id")
        .values("organisation_id", "questions", "answers", "release_batch", "organisation_batch")
    )
    overall = responses
    if survey.anonymous:
        overall = released(responses, "release_batch")
        for response in responses:
            response["org_batch"] = (response["organisation_id"], response["organisation_batch"])
        responses = released(responses, "org_batch")
    if not overall and not responses:
        return [GroupResult(label="", respondents=0, hidden=True, questions=[])]
    snapshots = _latest_questions(overall + responses)
    groups: dict = defaultdict(list)
    for response in responses:
        groups[response["organisation_id"]].append(response)
    names = dict(
        Organisation.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "name")
    )
    out = [_group("", overall, snapshots, min_group)]
    for org_id in sorted(groups, key=lambda k: names.get(k, "~")):
        out.append(_group(names.get(org_id, ""), groups[org_id], snapshots, min_group, org=True))
    return out


def _latest_questions(responses: list[dict]) -> list[dict]:
    seen, snapshots = set(), []
    for response in responses:
        for snap in response["questions"]:
            if snap["key"] not in seen:
                seen.add(snap["key"])
                snapshots.append(snap)
    return snapshots


def _group(
    label: str, responses: list[dict], snapshots: list[dict], min_group: int, org: bool = False
) -> GroupResult:
    hidden = len(responses) < min_group
    questions = (
        []
        if hidden
        else [
            _question_result(s, [r["answers"].get(s["key"]) for r in responses], min_group)
            for s in snapshots
        ]
    )
    return GroupResult(
        label=label or ("" if not org else "—"),
        respondents=len(responses),
        hidden=hidden,
        questions=questions,
    )


def survey_counts(survey: SurveyPage) -> dict:
    from courses.models import Enrolment

    course = course_of(survey)
    enrolled = Enrolment.objects.filter(course=course, status="active").count() if course else 0
    answered = SurveyParticipation.objects.filter(survey=survey).count()
    return {"enrolled": enrolled, "answered": answered, "pending": max(0, enrolled - answered)}


def learner_quiz_rows(user: AnyUser) -> list[dict]:
    """The learner's quizzes with an attempt, for their home: score that counts, passed, gain."""
    if not user.is_authenticated:
        return []
    attempts = list(
        Attempt.objects.filter(user=user, quiz__live=True)
        .select_related("quiz")
        .order_by("quiz__path", "number")
    )
    by_quiz: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_quiz[attempt.quiz_id].append(attempt)
    rows = []
    for items in by_quiz.values():
        quiz = items[0].quiz
        gain = learning_gain(user, quiz) if quiz.kind == QuizPage.Kind.POST else None
        rows.append(
            {
                "quiz": quiz,
                "open": any(a.is_open for a in items),
                "waiting": any(a.state == Attempt.State.NEEDS_GRADING for a in items),
                "score": final_score(items, quiz.grading_method),
                "passed": any(a.passed for a in items) and quiz.kind != QuizPage.Kind.PRE,
                "gain": gain["gain"] if gain else None,
            }
        )
    return rows


def questions_in_locale(
    questions: Iterable[Question], *, locale_id: int, keep_all: bool = False
) -> list[Question]:
    """The questions as a page in `locale_id` asks them: each replaced by its translation into
    that locale where one exists. A category holds a question with its translations, so a draw
    keeps one question per translation key (the locale's, else the default locale's); a fixed
    list (`keep_all`) keeps its order and length. A question not yet translated is asked in its
    own language."""
    questions = list(questions)
    keys = {q.translation_key for q in questions if q.locale_id != locale_id}
    translated = {
        q.translation_key: q
        for q in Question.objects.filter(translation_key__in=keys, locale_id=locale_id)
        .prefetch_related("choices", "numeric_answers", "pairs")
        .order_by("pk")
    }
    if keep_all:
        return [translated.get(q.translation_key, q) for q in questions]
    default_id = Locale.get_default().pk
    chosen: dict = {}
    for question in questions:
        current = chosen.get(question.translation_key)
        if current is None or (
            current.locale_id not in (locale_id, default_id)
            and question.locale_id in (locale_id, default_id)
        ):
            chosen[question.translation_key] = question
    return [translated.get(key, q) for key, q in chosen.items()]
