"""Admin form for bank questions: each type must carry the answers it is graded on."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import grading


def _rows(form, name: str) -> list[dict]:
    formset = form.formsets.get(name)
    if formset is None:
        return []
    return [
        f.cleaned_data
        for f in formset.forms
        if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def question_problems(
    qtype: str, choices: list[dict], numeric: list[dict], pairs: list[dict]
) -> list[str]:
    """What keeps a question of this type from being graded; empty when it is fine."""
    problems = []
    if (
        any(not -100 <= float(c.get("weight") or 0) <= 100 for c in choices + numeric)
        and qtype != grading.LIKERT
    ):
        problems.append(_("Weights go from -100 to 100."))
    if qtype in (grading.SINGLE, grading.MULTIPLE):
        if len(choices) < 2:
            problems.append(_("Add at least two choices."))
        elif not any(float(c.get("weight") or 0) > 0 for c in choices):
            problems.append(
                _("Give at least one choice a positive weight (100 for the right answer).")
            )
    elif qtype == grading.SHORT:
        if not any(float(c.get("weight") or 0) > 0 for c in choices):
            problems.append(_("Add at least one accepted answer with a positive weight."))
    elif qtype == grading.NUMERICAL:
        if not numeric:
            problems.append(_("Add at least one numerical answer."))
        for row in numeric:
            low, high = row.get("minimum"), row.get("maximum")
            if (low is None) != (high is None):
                problems.append(_("A range needs both a minimum and a maximum."))
            elif low is not None and low > high:
                problems.append(_("A range's minimum must not exceed its maximum."))
            elif low is None and row.get("value") is None and float(row.get("weight") or 0) > 0:
                # No value and no weight is Moodle's "any other answer", kept for its feedback.
                problems.append(_("Each numerical answer needs a value or a range."))
    elif qtype == grading.MATCHING and len([p for p in pairs if p.get("left")]) < 2:
        problems.append(_("Add at least two pairs."))
    return problems


class QuestionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("qtype")
        if qtype:
            problems = question_problems(
                qtype, _rows(self, "choices"), _rows(self, "numeric_answers"), _rows(self, "pairs")
            )
            if problems:
                raise ValidationError(problems)
        return cleaned
