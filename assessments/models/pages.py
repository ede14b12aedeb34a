"""Quiz and survey pages: activities in the course tree that hold their definition."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from courses.models import ActivityPage

from .. import grading
from ..page_forms import QuizPageForm

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class QuizPage(ActivityPage):
    """A graded quiz, pre-test or post-test. Attempts are `Attempt` rows."""

    class Kind(models.TextChoices):
        GRADED = "graded", _("Graded quiz")
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    class ShowAnswers(models.TextChoices):
        IMMEDIATELY = "immediately", _("Right after each attempt")
        AFTER_LAST = "after_last", _("After the last allowed attempt")
        NEVER = "never", _("Never")

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GRADED)
    opens_course = models.BooleanField(
        _("must be taken before the course content opens"),
        default=False,
        help_text=_(
            "Pre-tests only: every other activity of the course stays locked until it is submitted."
        ),
    )
    pre_test = models.ForeignKey(
        "assessments.QuizPage",
        verbose_name=_("pre-test"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="post_tests",
        help_text=_("Post-tests only: the pre-test it is compared with."),
    )
    parallel_forms = models.BooleanField(
        _("parallel forms A and B"),
        default=False,
        help_text=_("Pre-tests get form A or B; the post-test gives each learner the other form."),
    )
    draw_category = models.ForeignKey(
        "assessments.QuestionCategory",
        verbose_name=_("draw from category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to use the fixed questions below."),
    )
    draw_category_b = models.ForeignKey(
        "assessments.QuestionCategory",
        verbose_name=_("draw form B from category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draw_count = models.PositiveSmallIntegerField(_("questions to draw"), default=10)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=70,
        help_text=_("Pre-tests complete on submission whatever the score."),
    )
    grading_method = models.CharField(
        _("grade kept"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    show_answers = models.CharField(
        _("show the right answers"),
        max_length=12,
        choices=ShowAnswers.choices,
        default=ShowAnswers.IMMEDIATELY,
    )
    available_offline = models.BooleanField(
        _("can be taken offline"),
        default=False,
        help_text=_(
            "Learners may download it and answer without a connection; the answers are graded when "
            "they are sent. Not for quizzes with a time limit."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("opens_course"),
                PageChooserPanel("pre_test", "assessments.QuizPage"),
                FieldPanel("parallel_forms"),
            ],
            heading=_("Kind"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("draw_category"),
                FieldPanel("draw_category_b"),
                FieldPanel("draw_count"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
            ],
            heading=_("Questions"),
        ),
        InlinePanel("quiz_questions", heading=_("Fixed questions"), label=_("Question")),
        MultiFieldPanel(
            [
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("pass_mark"),
                FieldPanel("grading_method"),
                FieldPanel("show_answers"),
                FieldPanel("available_offline"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(ActivityPage.activity_panels, heading=_("Activity")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    base_form_class = QuizPageForm

    activity_kind_label = _("Quiz")

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_course and self.kind != self.Kind.PRE:
            errors["opens_course"] = _("Only a pre-test can open the course content.")
        if self.pre_test_id and self.kind != self.Kind.POST:
            errors["pre_test"] = _("Only a post-test names a pre-test.")
        elif self.pre_test_id and (
            self.pre_test_id == self.pk or self.pre_test.kind != self.Kind.PRE
        ):
            errors["pre_test"] = _("Choose a quiz of the kind “pre-test”.")
        if self.draw_category_b_id and not self.draw_category_id:
            errors["draw_category_b"] = _(
                "Form B is drawn only when form A is drawn from a category too."
            )
        if self.available_offline and self.time_limit_minutes:
            # As Moodle does: the clock of a timed quiz cannot be trusted on a device without a
            # connection.
            errors["available_offline"] = _("A quiz with a time limit cannot be taken offline.")
        if errors:
            raise ValidationError(errors)

    def is_gate(self) -> bool:
        return self.kind == self.Kind.PRE and self.opens_course

    @property
    def completes_on_submission(self) -> bool:
        """A pre-test measures the starting point: taking it is what counts, not passing it."""
        return self.kind == self.Kind.PRE

    def get_context(self, request, *args, **kwargs):
        from ..selectors import can_monitor_quiz, quiz_state

        context = super().get_context(request, *args, **kwargs)
        context["quiz_state"] = (
            quiz_state(request.user, self) if request.user.is_authenticated else None
        )
        context["can_monitor"] = request.user.is_authenticated and can_monitor_quiz(
            request.user, self
        )
        return context


class QuizQuestion(TranslatableMixin, Orderable):
    """A fixed question of a quiz; with parallel forms, the form it belongs to (or both)."""

    class Form(models.TextChoices):
        BOTH = "", _("Both forms")
        A = "A", _("Form A")
        B = "B", _("Form B")

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(
        "assessments.Question",
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form = models.CharField(_("form"), max_length=1, choices=Form.choices, blank=True, default="")

    panels = [FieldPanel("question"), FieldPanel("form")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("quiz question")


class SurveyPage(ActivityPage):
    """A questionnaire; anonymous surveys store no link from a response to a person."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "Nobody, staff included, can learn who answered what; each person still answers once."
        ),
    )
    thank_you = models.TextField(_("thank-you message"), blank=True)
    available_offline = models.BooleanField(
        _("can be answered offline"),
        default=False,
        help_text=_(
            "Learners may download it and answer without a connection; the answers are sent later."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("anonymous"),
        FieldPanel("available_offline"),
        InlinePanel("survey_questions", heading=_("Questions"), label=_("Question")),
        FieldPanel("thank_you"),
        MultiFieldPanel(ActivityPage.activity_panels, heading=_("Activity")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    activity_kind_label = _("Survey")

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import survey_items, survey_state

        context = super().get_context(request, *args, **kwargs)
        context["survey_state"] = survey_state(request.user, self)
        if not context["survey_state"]["answered"]:
            context["survey_items"] = survey_items(self)
        return context


SURVEY_TYPES = [
    grading.LIKERT,
    grading.SINGLE,
    grading.MULTIPLE,
    grading.TRUEFALSE,
    grading.SHORT,
    grading.NUMERICAL,
    grading.ESSAY,
]


class SurveyQuestion(TranslatableMixin, Orderable):
    page = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="survey_questions")
    question = models.ForeignKey(
        "assessments.Question",
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"qtype__in": SURVEY_TYPES},
    )
    required = models.BooleanField(_("answer required"), default=False)

    panels = [FieldPanel("question"), FieldPanel("required")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("survey question")
