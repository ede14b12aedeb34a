"""What the assessments app holds about a person, registered with the privacy app. Anonymous survey
answers are linked to nobody, so they are neither exported nor erased (aggregates stay correct)."""

from wagtail import hooks

from privacy.registry import AuditedView, DataSection, programme_of_page

from .models import Attempt, SurveyParticipation, SurveyResponse


@hooks.register("privacy_data_sections")
def assessment_sections(user) -> list[DataSection]:
    return [
        DataSection(
            "quiz_attempts",
            [
                {
                    "quiz": a.quiz.title,
                    "number": a.number,
                    "state": a.state,
                    "started_at": a.started_at,
                    "submitted_at": a.submitted_at,
                    "score": a.score,
                    "passed": a.passed,
                    "answers": a.answers,
                }
                for a in Attempt.objects.filter(user=user).select_related("quiz").order_by("pk")
            ],
        ),
        DataSection(
            "surveys_answered",
            [
                {"survey": p.survey.title}
                for p in SurveyParticipation.objects.filter(user=user).select_related("survey")
            ],
        ),
        DataSection(
            "named_survey_answers",
            [
                {"survey": r.survey.title, "answers": r.answers}
                for r in SurveyResponse.objects.filter(user=user).select_related("survey")
            ],
        ),
    ]


def _survey_programme(kwargs) -> int | None:
    return programme_of_page(kwargs.get("survey_id"))


def _survey_count(kwargs) -> int:
    return SurveyResponse.objects.filter(survey_id=kwargs.get("survey_id")).count()


@hooks.register("privacy_audited_views")
def audited_views():
    return {
        "assessments:survey_results_csv": AuditedView(
            "Survey results CSV (survey {survey_id})", _survey_programme, _survey_count, export=True
        ),
        "assessments:survey_results": AuditedView(
            "Survey results (survey {survey_id})", _survey_programme, _survey_count
        ),
        "assessments:grade_attempt": AuditedView(
            "Attempt to grade ({attempt_id})",
            lambda kw: programme_of_page(
                Attempt.objects.filter(pk=kw.get("attempt_id"))
                .values_list("quiz_id", flat=True)
                .first()
            ),
            lambda kw: 1,
        ),
    }
