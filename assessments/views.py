"""Learner, trainer and manager views. Each asks a selector who may see what (else 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.exceptions import ProgressError
from courses.selectors import next_step
from lms.csv_download import csv_response
from lms.models import Role
from lms.selectors import user_roles
from privacy.selectors import consent_needed

from . import grading, selectors, services
from .models import Attempt, QuizPage, SurveyPage

PREFIX = "r_"


def _question_items(snapshots: list[dict], orders: dict, answers: dict) -> list[dict]:
    """What the form shows per question: the public view plus the saved response, pre-marked."""
    items = []
    for number, snapshot in enumerate(snapshots, start=1):
        view = grading.public_question(snapshot, orders.get(snapshot["key"]))
        saved = answers.get(snapshot["key"])
        for choice in view.get("choices", []):
            choice["checked"] = choice["key"] == saved or (
                isinstance(saved, list) and choice["key"] in saved
            )
        for left in view.get("lefts", []):
            left["selected"] = saved.get(left["index"]) if isinstance(saved, dict) else None
        items.append(
            {
                "number": number,
                "q": view,
                "name": PREFIX + snapshot["key"],
                "saved": saved if isinstance(saved, str) else "",
                "required": snapshot.get("required", False),
            }
        )
    return items


def _posted_answers(snapshots: list[dict], data) -> dict:
    return {s["key"]: grading.response_from_post(s, data, PREFIX) for s in snapshots}


# ---------------------------------------------------------------- learner: attempts


@require_POST
@login_required
def attempt_start(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except ProgressError as error:
        messages.error(request, error.message)
        return redirect(quiz.url)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
def attempt_take(request, attempt_id: int):
    if request.method == "POST" and request.POST.get("action") == "submit":
        return _attempt_submit(request, attempt_id)
    attempt = selectors.attempt_of_learner(request.user, attempt_id)
    if attempt is None:
        raise Http404
    if not attempt.is_open:
        return redirect("assessments:attempt_review", attempt_id=attempt.pk)
    # A GET writes nothing: an attempt whose time ran out is shown as it was saved in time, with
    # a button that grades it (a POST); the periodic task closes it for those who never return.
    expired = attempt.expired()
    if request.method == "POST":
        answers = _posted_answers(attempt.questions, request.POST)
        attempt = services.attempt_save(user=request.user, attempt_id=attempt.pk, answers=answers)
        if attempt.is_submitted:
            messages.warning(
                request,
                _("The time was over: your attempt was graded on the answers saved in time."),
            )
            return redirect("assessments:attempt_review", attempt_id=attempt.pk)
        messages.success(
            request, _("Your answers are saved. You can come back and continue later.")
        )
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": _question_items(attempt.questions, attempt.choice_orders, attempt.answers),
            "answered": len(attempt.answers),
            "expired": expired,
        },
    )


def _attempt_submit(request, attempt_id: int):
    attempt = selectors.attempt_of_learner(request.user, attempt_id)
    if attempt is None:
        raise Http404
    answers = _posted_answers(attempt.questions, request.POST)
    try:
        attempt = services.attempt_submit(user=request.user, attempt_id=attempt_id, answers=answers)
    except Attempt.DoesNotExist:
        raise Http404 from None
    if attempt.just_closed and attempt.late:
        messages.warning(
            request,
            _("The time was over when you submitted: only the answers saved in time count."),
        )
    elif attempt.just_closed:
        messages.success(request, _("Your answers were submitted."))
    elif attempt.late:  # closed at its deadline before this submission arrived
        messages.warning(
            request,
            _("The time for this attempt is over: it was graded on the answers saved in time."),
        )
    return redirect("assessments:attempt_review", attempt_id=attempt.pk)


@require_POST
@login_required
def attempt_autosave(request, attempt_id: int):
    """The same save as the form's button, for the small script that saves on every change."""
    attempt = selectors.attempt_of_learner(request.user, attempt_id)
    if attempt is None:
        raise Http404
    if attempt.is_open:
        attempt = services.attempt_save(
            user=request.user,
            attempt_id=attempt.pk,
            answers=_posted_answers(attempt.questions, request.POST),
        )
    return JsonResponse(
        {
            "saved": attempt.is_open,
            "submitted": attempt.is_submitted,
            "seconds_left": attempt.seconds_left(),
            "answered": len(attempt.answers),
        }
    )


@login_required
def attempt_review(request, attempt_id: int):
    attempt = selectors.attempt_of_learner(request.user, attempt_id)
    if attempt is None:
        raise Http404
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz
    used = Attempt.objects.filter(user=request.user, quiz=quiz).count()
    show = selectors.show_right_answers(attempt, quiz, used)
    # A pre-test waiting for its post-test: the score and right or wrong, no answers, no feedback.
    withheld = quiz.kind == QuizPage.Kind.PRE and not show
    return render(
        request,
        "assessments/attempt_review.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "rows": _review_rows(attempt, show_right=show, show_feedback=not withheld),
            "show_right": show,
            "withheld": withheld,
            "next_step": next_step(request.user, quiz) if not attempt.is_open else None,
            "state": selectors.quiz_state(request.user, quiz),
        },
    )


def _mark(status: str | None, fraction: float | None) -> str:
    if status != "graded" or fraction is None:
        return ""
    return "right" if fraction >= 1 else "wrong" if fraction <= 0 else "partly"


def _review_rows(attempt: Attempt, *, show_right: bool, show_feedback: bool = True) -> list[dict]:
    rows = []
    for number, snapshot in enumerate(attempt.questions, start=1):
        result = attempt.results.get(snapshot["key"], {})
        fraction = result.get("fraction")
        rows.append(
            {
                "number": number,
                "snapshot": snapshot,
                "answer": grading.response_text(snapshot, attempt.answers.get(snapshot["key"])),
                "status": result.get("status"),
                "fraction": fraction,
                "earned": None
                if fraction is None
                else round(fraction * float(snapshot.get("points", 1)), 2),
                "points": snapshot.get("points", 1),
                "mark": _mark(result.get("status"), fraction),
                "feedback": result.get("feedback", []) if show_feedback else [],
                "right": grading.correct_answers(snapshot) if show_right else [],
            }
        )
    return rows


# ---------------------------------------------------------------- trainers: essays and results


@login_required
def grading_queue(request):
    if not ({Role.TRAINER, Role.MANAGER} & user_roles(request.user)):
        raise Http404
    return render(
        request,
        "assessments/grading_queue.html",
        {"attempts": selectors.essay_queue(request.user)[:200]},
    )


@login_required
def grade_attempt(request, attempt_id: int):
    attempt = selectors.attempt_for_grader(request.user, attempt_id)
    if attempt is None:
        raise Http404
    if request.method == "POST":
        key = request.POST.get("question", "")
        try:
            mark = float(request.POST.get("percent", "").replace(",", "."))
        except ValueError:
            messages.error(request, _("Enter a mark between 0 and 100."))
            return redirect("assessments:grade_attempt", attempt_id=attempt.pk)
        try:
            services.essay_grade(
                grader=request.user,
                attempt_id=attempt.pk,
                question_key=key,
                percent=mark,
                comment=request.POST.get("comment", "")[:2000],
            )
        except ProgressError as error:
            messages.error(request, error.message)
            return redirect("assessments:grade_attempt", attempt_id=attempt.pk)
        messages.success(request, _("Mark saved."))
        attempt.refresh_from_db()
        if attempt.state == Attempt.State.GRADED:
            return redirect("assessments:grading_queue")
        return redirect("assessments:grade_attempt", attempt_id=attempt.pk)
    essays = [
        {
            "snapshot": s,
            "answer": attempt.answers.get(s["key"], ""),
            "result": attempt.results.get(s["key"], {}),
            "percent": None
            if attempt.results.get(s["key"], {}).get("fraction") is None
            else round(attempt.results[s["key"]]["fraction"] * 100),
        }
        for s in attempt.questions
        if s["type"] == grading.ESSAY
    ]
    return render(request, "assessments/grade_attempt.html", {"attempt": attempt, "essays": essays})


@login_required
def quiz_results(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    if not selectors.can_monitor_quiz(request.user, quiz):
        raise Http404
    return render(
        request,
        "assessments/quiz_results.html",
        {
            "quiz": quiz,
            "rows": selectors.quiz_learner_rows(request.user, quiz),
        },
    )


# ---------------------------------------------------------------- surveys


@require_POST
@login_required
def survey_answer(request, survey_id: int):
    survey = get_object_or_404(SurveyPage.objects.live(), pk=survey_id)
    if consent_needed(request.user, survey.pk) is not None:
        return redirect(
            reverse("privacy:consent", args=[survey.pk])
            + "?"
            + urlencode({"next": survey.url or "/"})
        )
    answers = _posted_answers(selectors.survey_snapshots(survey), request.POST)
    try:
        services.survey_submit(user=request.user, survey=survey, answers=answers)
    except ProgressError as error:
        messages.error(request, error.message)
        return redirect(survey.url)
    messages.success(request, survey.thank_you or _("Thank you: your answers were recorded."))
    return redirect(survey.url)


@login_required
def survey_list(request):
    surveys = selectors.surveys_for_manager(request.user)
    if not surveys.exists() and not request.user.is_superuser:
        raise Http404
    return render(
        request,
        "assessments/survey_list.html",
        {
            "surveys": [(s, selectors.survey_counts(s)) for s in surveys],
        },
    )


def _managed_survey(request, survey_id: int) -> SurveyPage:
    survey = get_object_or_404(SurveyPage, pk=survey_id)
    if not selectors.can_read_survey_results(request.user, survey):
        raise Http404
    return survey


@login_required
def survey_results(request, survey_id: int):
    survey = _managed_survey(request, survey_id)
    groups = selectors.survey_results(survey)
    return render(
        request,
        "assessments/survey_results.html",
        {
            "survey": survey,
            # Small organisations are neither named nor counted: a count of 1 could point at a
            # person.
            "groups": [groups[0]] + [g for g in groups[1:] if not g.hidden],
            "hidden_groups": sum(1 for g in groups[1:] if g.hidden),
            "counts": selectors.survey_counts(survey),
            "min_group": selectors.MIN_GROUP,
            "last_reminder": survey.reminders.first(),
        },
    )


@login_required
def survey_results_csv(request, survey_id: int):
    survey = _managed_survey(request, survey_id)
    header = [
        _("Group"),
        _("Respondents"),
        _("Question"),
        _("Answer"),
        _("Count"),
        _("Percent"),
        _("Mean"),
    ]
    return csv_response(f"encuesta-{survey.pk}-resultados", header, _survey_csv_rows(survey))


def _survey_csv_rows(survey: SurveyPage):
    for index, group in enumerate(selectors.survey_results(survey)):
        label = group.label or _("All respondents")
        if group.hidden and index:
            continue
        if group.hidden:
            yield [label, _("fewer than %(n)s") % {"n": selectors.MIN_GROUP}, "", "", "", "", ""]
            continue
        for question in group.questions:
            text = question.snapshot["text"]
            if question.hidden:
                yield [
                    label,
                    group.respondents,
                    text,
                    _("not shown: fewer than %(n)s answers") % {"n": selectors.MIN_GROUP},
                    "",
                    "",
                    "",
                ]
            for row in question.rows:
                yield [
                    label,
                    group.respondents,
                    text,
                    _option_label(row["label"]),
                    row["count"],
                    row["percent"],
                    question.mean,
                ]
            if not question.rows and question.mean is not None:
                yield [label, group.respondents, text, "", question.respondents, "", question.mean]
            for answer in question.texts:
                yield [label, group.respondents, text, answer, 1, "", ""]


def _option_label(label: str) -> str:
    return {"true": _("True"), "false": _("False")}.get(label, label)


@require_POST
@login_required
def survey_remind(request, survey_id: int):
    survey = _managed_survey(request, survey_id)
    from lms.ratelimit import hit

    if not hit("reminders", str(request.user.pk), limit=30, window_seconds=3600, fail_open=True):
        messages.error(
            request,
            _("You have sent many reminders in the last hour. Please wait before sending more."),
        )
        return redirect("assessments:survey_results", survey_id=survey.pk)
    try:
        count = services.survey_remind_non_respondents(survey=survey, sent_by=request.user)
    except ProgressError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A reminder is on its way to %(n)s people who have not answered yet.") % {"n": count},
        )
    return redirect("assessments:survey_results", survey_id=survey.pk)
