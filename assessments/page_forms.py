"""Admin form of quiz pages: a post-test must not repeat what its pre-test showed."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .overlap import shared_items


def _fixed_items(form) -> list[tuple[object, str]]:
    formset = form.formsets.get("quiz_questions")
    if formset is None:
        return []
    formset.is_valid()
    return [
        (f.cleaned_data["question"].pk, f.cleaned_data.get("form") or "")
        for f in formset.forms
        if f.is_valid() and f.cleaned_data.get("question") and not f.cleaned_data.get("DELETE")
    ]


def _draw_items(category_a, category_b) -> list[tuple[object, str]]:
    if category_a is None:
        return []
    if category_b is None:
        return [(("category", category_a.pk), "")]
    return [(("category", category_a.pk), "A"), (("category", category_b.pk), "B")]


def stored_items(quiz) -> list[tuple[object, str]]:
    """A saved quiz's items: its drawn categories, or else its fixed questions."""
    if quiz.draw_category_id:
        return _draw_items(quiz.draw_category, quiz.draw_category_b)
    return [(row.question_id, row.form) for row in quiz.quiz_questions.all()]


def overlap_message(pre_titles: list[str]) -> str:
    return _(
        "The pre-test and its post-test share questions (%(questions)s): the learning gain "
        "would measure memory of the pre-test. Give the post-test other questions, or put "
        "shared questions in the other parallel form."
    ) % {"questions": ", ".join(pre_titles)}


class QuizPageForm(WagtailAdminPageForm):
    """Refuses a post-test (or a pre-test with post-tests) whose questions a learner meets twice."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        draw = _draw_items(cleaned.get("draw_category"), cleaned.get("draw_category_b"))
        mine = draw or _fixed_items(self)
        parallel = bool(cleaned.get("parallel_forms"))
        pairs = []
        if kind == "post" and cleaned.get("pre_test") is not None:
            pre = cleaned["pre_test"].specific
            pairs.append((stored_items(pre), pre.parallel_forms, mine, parallel))
        elif kind == "pre" and self.instance.pk:
            for post in self.instance.post_tests.all():
                pairs.append((mine, parallel, stored_items(post), post.parallel_forms))
        shared = set()
        for pre_items, pre_parallel, post_items, post_parallel in pairs:
            shared |= shared_items(
                pre_items, post_items, pre_parallel=pre_parallel, post_parallel=post_parallel
            )
        if shared:
            self.add_error(None, overlap_message(self._describe(shared)))
        return cleaned

    @staticmethod
    def _describe(shared: set) -> list[str]:
        from .models import Question, QuestionCategory

        question_ids = [key for key in shared if isinstance(key, int)]
        category_ids = [key[1] for key in shared if isinstance(key, tuple)]
        names = [str(q) for q in Question.objects.filter(pk__in=question_ids)]
        names += [str(c) for c in QuestionCategory.objects.filter(pk__in=category_ids)]
        return sorted(names)
