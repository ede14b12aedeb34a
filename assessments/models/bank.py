"""The question bank: categories and questions, edited as Wagtail snippets."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .. import grading
from ..forms import QuestionForm

LIKERT_DEFAULT = [
    _("Strongly disagree"),
    _("Disagree"),
    _("Neither agree nor disagree"),
    _("Agree"),
    _("Strongly agree"),
]


class QuestionCategory(models.Model):
    """A named group of questions, possibly inside another (Moodle's category tree); quizzes can
    draw questions at random from one. Names are unique among siblings."""

    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    idnumber = models.CharField(
        _("ID number"), max_length=100, blank=True, help_text=_("As in Moodle; optional.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("idnumber"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="unique_category_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="unique_top_category_name",
            ),
        ]

    def __str__(self):
        return " / ".join(self.path)

    @property
    def path(self) -> list[str]:
        """Names from the top category down to this one."""
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return names[::-1]


class Question(TranslatableMixin, index.Indexed, ClusterableModel):
    """A question in the bank. Attempts keep a snapshot, so editing it never changes the past."""

    class Type(models.TextChoices):
        SINGLE = grading.SINGLE, _("Single choice")
        MULTIPLE = grading.MULTIPLE, _("Multiple response")
        TRUEFALSE = grading.TRUEFALSE, _("True/false")
        SHORT = grading.SHORT, _("Short answer")
        NUMERICAL = grading.NUMERICAL, _("Numerical")
        MATCHING = grading.MATCHING, _("Matching")
        ESSAY = grading.ESSAY, _("Essay (graded by a trainer)")
        LIKERT = grading.LIKERT, _("Likert scale")

    class Format(models.TextChoices):
        PLAIN = "plain", _("Plain text")
        MOODLE = "moodle", _("Moodle auto-format")
        HTML = "html", _("HTML")
        MARKDOWN = "markdown", _("Markdown")

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    name = models.CharField(
        _("name"), max_length=255, blank=True, help_text=_("Short name for the bank.")
    )
    idnumber = models.CharField(
        _("ID number"),
        max_length=100,
        blank=True,
        help_text=_(
            "As in Moodle; an import matches questions by it first, else by name within the "
            "category."
        ),
    )
    qtype = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.SINGLE)
    text = models.TextField(_("question text"))
    text_format = models.CharField(
        _("text format"), max_length=10, choices=Format.choices, default=Format.PLAIN
    )
    general_feedback = models.TextField(
        _("general feedback"), blank=True, help_text=_("Shown after answering.")
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, default=1)
    case_sensitive = models.BooleanField(
        _("case sensitive"), default=False, help_text=_("Short answer only.")
    )
    ignore_accents = models.BooleanField(
        _("ignore accents"),
        default=True,
        help_text=_("Short answer only: “Mexico” counts as “México”."),
    )
    correct_answer = models.BooleanField(
        _("the statement is true"), default=True, help_text=_("True/false only.")
    )
    feedback_true = models.TextField(_("feedback when answering “true”"), blank=True)
    feedback_false = models.TextField(_("feedback when answering “false”"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("idnumber"),
        FieldPanel("qtype"),
        FieldPanel("text"),
        FieldPanel("text_format"),
        FieldPanel("points"),
        FieldPanel("general_feedback"),
        InlinePanel(
            "choices",
            heading=_("Choices, accepted answers or scale labels"),
            label=_("Choice"),
            help_text=_(
                "Single choice and multiple response: weights in percent (negative allowed). "
                "Short answer: accepted answers with their weight; * matches any text. "
                "Likert: the labels of the scale, the weight being each point's value."
            ),
        ),
        InlinePanel("numeric_answers", heading=_("Numerical answers"), label=_("Numerical answer")),
        InlinePanel("pairs", heading=_("Matching pairs"), label=_("Pair")),
        MultiFieldPanel(
            [FieldPanel("case_sensitive"), FieldPanel("ignore_accents")], heading=_("Short answer")
        ),
        MultiFieldPanel(
            [
                FieldPanel("correct_answer"),
                FieldPanel("feedback_true"),
                FieldPanel("feedback_false"),
            ],
            heading=_("True/false"),
        ),
    ]
    base_form_class = QuestionForm
    # Translated with wagtail-localize: the words (with the choices', numbers' and pairs'); the
    # rest is the same in every language and follows the source question.
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("text"),
        TranslatableField("general_feedback"),
        TranslatableField("feedback_true"),
        TranslatableField("feedback_false"),
        TranslatableField("choices"),
        TranslatableField("numeric_answers"),
        TranslatableField("pairs"),
        SynchronizedField("category"),
        SynchronizedField("idnumber"),
        SynchronizedField("qtype"),
        SynchronizedField("text_format"),
        SynchronizedField("points"),
        SynchronizedField("case_sensitive"),
        SynchronizedField("ignore_accents"),
        SynchronizedField("correct_answer"),
    ]
    search_fields = [
        index.SearchField("text"),
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("qtype"),
        index.FilterField("category"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["category", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        label = self.name or self.text
        return label if len(label) <= 80 else label[:77] + "…"

    def snapshot(self) -> dict:
        """Everything needed to show and grade this question later, as plain JSON."""
        data = {
            "key": f"q{self.pk}",
            "question_id": self.pk,
            "type": self.qtype,
            "name": self.name,
            "text": self.text,
            "format": self.text_format,
            "points": 0.0 if self.qtype == grading.LIKERT else float(self.points),
            "general_feedback": self.general_feedback,
        }
        choices = list(self.choices.all())
        if self.qtype in (grading.SINGLE, grading.MULTIPLE, grading.LIKERT):
            if self.qtype == grading.LIKERT and not choices:
                # Snapshots are stored text: the default scale is written in the site's language.
                with translation.override(settings.LANGUAGE_CODE):
                    data["choices"] = [
                        {"key": str(i), "text": str(label), "weight": i, "feedback": ""}
                        for i, label in enumerate(LIKERT_DEFAULT, start=1)
                    ]
            else:
                data["choices"] = [
                    {
                        "key": _key(i),
                        "text": c.text,
                        "weight": float(c.weight),
                        "feedback": c.feedback,
                    }
                    for i, c in enumerate(choices)
                ]
        elif self.qtype == grading.SHORT:
            data["answers"] = [
                {"text": c.text, "weight": float(c.weight), "feedback": c.feedback} for c in choices
            ]
            data["case_sensitive"] = self.case_sensitive
            data["ignore_accents"] = self.ignore_accents
        elif self.qtype == grading.NUMERICAL:
            data["numeric"] = [a.as_dict() for a in self.numeric_answers.all()]
        elif self.qtype == grading.MATCHING:
            data["pairs"] = [{"left": p.left, "right": p.right} for p in self.pairs.all()]
        elif self.qtype == grading.TRUEFALSE:
            data.update(
                correct=self.correct_answer,
                feedback_true=self.feedback_true,
                feedback_false=self.feedback_false,
            )
        return data


def _key(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < len(letters) else f"c{index}"


class QuestionChoice(TranslatableMixin, Orderable):
    """A choice, an accepted short answer or a Likert label, with its weight in percent."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=1000)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=6,
        decimal_places=2,
        default=0,
        help_text=_(
            "100 for a right answer, 0 for a wrong one; partial and negative weights allowed."
        ),
    )
    feedback = models.CharField(_("feedback"), max_length=1000, blank=True)

    panels = [FieldPanel("text"), FieldPanel("weight"), FieldPanel("feedback")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("choice")

    def __str__(self):
        return self.text


class QuestionNumericAnswer(TranslatableMixin, Orderable):
    """An accepted number: value ± tolerance, or a range from minimum to maximum."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="numeric_answers")
    value = models.FloatField(_("value"), null=True, blank=True)
    tolerance = models.FloatField(_("tolerance"), default=0)
    minimum = models.FloatField(_("range minimum"), null=True, blank=True)
    maximum = models.FloatField(_("range maximum"), null=True, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=6, decimal_places=2, default=100)
    feedback = models.CharField(_("feedback"), max_length=1000, blank=True)

    panels = [
        FieldPanel("value"),
        FieldPanel("tolerance"),
        FieldPanel("minimum"),
        FieldPanel("maximum"),
        FieldPanel("weight"),
        FieldPanel("feedback"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("numerical answer")

    def __str__(self):
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g}..{self.maximum:g}"
        return f"{self.value:g} ± {self.tolerance:g}" if self.value is not None else "*"

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "tolerance": self.tolerance,
            "low": self.minimum,
            "high": self.maximum,
            "weight": float(self.weight),
            "feedback": self.feedback,
        }


class QuestionMatchPair(TranslatableMixin, Orderable):
    """One pair of a matching question (a right side without a left one is a distractor)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="pairs")
    left = models.CharField(_("item"), max_length=500, blank=True)
    right = models.CharField(_("matches"), max_length=500)

    panels = [FieldPanel("left"), FieldPanel("right")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("matching pair")

    def __str__(self):
        return f"{self.left} → {self.right}"
