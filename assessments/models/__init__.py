"""Question bank (snippets), quiz and survey pages, and the learner state beside them."""

from .bank import (
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionMatchPair,
    QuestionNumericAnswer,
)
from .pages import QuizPage, QuizQuestion, SurveyPage, SurveyQuestion
from .state import (
    Attempt,
    SurveyParticipation,
    SurveyReminder,
    SurveyReminderDelivery,
    SurveyResponse,
)

__all__ = [
    "Attempt",
    "Question",
    "QuestionCategory",
    "QuestionChoice",
    "QuestionMatchPair",
    "QuestionNumericAnswer",
    "QuizPage",
    "QuizQuestion",
    "SurveyPage",
    "SurveyParticipation",
    "SurveyQuestion",
    "SurveyReminder",
    "SurveyReminderDelivery",
    "SurveyResponse",
]
