"""Factories for the bank and the quiz/survey pages, beside the models."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from .models import (
    Question,
    QuestionCategory,
    QuestionChoice,
    QuestionMatchPair,
    QuestionNumericAnswer,
    QuizPage,
    QuizQuestion,
    SurveyPage,
    SurveyQuestion,
)


class QuestionCategoryFactory(DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Categoría {n}")


class QuestionFactory(DjangoModelFactory):
    """A single-choice question: choice "a" right (100), "b" wrong (0) unless `choices` given."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    category = factory.SubFactory(QuestionCategoryFactory)
    name = factory.Sequence(lambda n: f"Pregunta {n}")
    text = factory.Sequence(lambda n: f"¿Texto de la pregunta {n}?")
    qtype = Question.Type.SINGLE

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            if self.qtype not in (Question.Type.SINGLE, Question.Type.MULTIPLE):
                return
            extracted = [("Correcta", 100, "Muy bien"), ("Incorrecta", 0, "Revise la lección")]
        for i, (text, weight, *feedback) in enumerate(extracted):
            QuestionChoice.objects.create(
                question=self,
                sort_order=i,
                text=text,
                weight=weight,
                feedback=feedback[0] if feedback else "",
            )

    @factory.post_generation
    def numeric(self, create, extracted, **kwargs):
        for i, (value, tolerance) in enumerate(extracted or []):
            QuestionNumericAnswer.objects.create(
                question=self, sort_order=i, value=value, tolerance=tolerance
            )

    @factory.post_generation
    def pairs(self, create, extracted, **kwargs):
        for i, (left, right) in enumerate(extracted or []):
            QuestionMatchPair.objects.create(question=self, sort_order=i, left=left, right=right)


class QuizPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = QuizPage

    title = factory.Sequence(lambda n: f"Cuestionario {n}")
    shuffle_choices = False


class SurveyPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SurveyPage

    title = factory.Sequence(lambda n: f"Encuesta {n}")


def quiz_with_questions(*, parent, questions, forms=None, **fields) -> QuizPage:
    """A published quiz under a module with fixed questions (optionally tagged with forms)."""
    quiz = QuizPageFactory(parent=parent, **fields)
    for i, question in enumerate(questions):
        QuizQuestion.objects.create(
            page=quiz, question=question, sort_order=i, form=(forms or {}).get(i, "")
        )
    quiz.save_revision().publish()
    return quiz


def survey_with_questions(*, parent, questions, required=(), **fields) -> SurveyPage:
    survey = SurveyPageFactory(parent=parent, **fields)
    for i, question in enumerate(questions):
        SurveyQuestion.objects.create(
            page=survey, question=question, sort_order=i, required=i in required
        )
    survey.save_revision().publish()
    return survey
