from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from lms.models import CohortMembership

from . import status
from .dashboard import DEFAULT_PAGE_SIZE, PAGE_SIZES, STATE_FILTERS, DashboardQuery
from .overview import KIND_FILTERS
from .services import MESSAGE_MAX_LENGTH


class DashboardFilterForm(forms.Form):
    """The dashboard's GET filters. Invalid values fall back to the defaults (see `query`)."""

    curso = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False)
    organizacion = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    estado = forms.ChoiceField(
        label=_("Status"), choices=list(STATE_FILTERS.items()), required=False
    )
    dias = forms.TypedChoiceField(
        label=_("Stuck after (days without activity)"),
        coerce=int,
        choices=[(d, d) for d in status.STUCK_DAY_CHOICES],
        required=False,
        empty_value=status.DEFAULT_STUCK_DAYS,
    )
    por_pagina = forms.TypedChoiceField(
        label=_("Learners per page"),
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        required=False,
        empty_value=DEFAULT_PAGE_SIZE,
    )

    def __init__(self, data, *, courses, organisations):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for key, value in (("dias", status.DEFAULT_STUCK_DAYS), ("por_pagina", DEFAULT_PAGE_SIZE)):
            if not data.get(key):
                data[key] = str(value)
        if courses and not data.get("curso"):
            data["curso"] = str(courses[0].id)
        super().__init__(data)
        self.fields["curso"].choices = [(c.id, c.title) for c in courses]
        self.fields["curso"].empty_value = courses[0].id if courses else None
        self.fields["organizacion"].choices = [("", _("All organisations"))] + [
            (o.id, str(o)) for o in organisations
        ]
        self.courses = {c.id: c for c in courses}

    def course(self):
        chosen = self.cleaned_data.get("curso") if self.is_valid() else None
        return self.courses.get(chosen) or next(iter(self.courses.values()), None)

    def query(self, page) -> DashboardQuery:
        if not self.is_valid():
            return DashboardQuery(page=page)
        data = self.cleaned_data
        return DashboardQuery(
            organisation_id=data.get("organizacion") or None,
            state=data.get("estado") or "",
            stuck_days=data.get("dias") or status.DEFAULT_STUCK_DAYS,
            per_page=data.get("por_pagina") or DEFAULT_PAGE_SIZE,
            page=page,
        )


class ReminderForm(forms.Form):
    mensaje = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent by e-mail with a link to continue the course. Replies come to your address."
        ),
    )
    personas = forms.TypedMultipleChoiceField(label=_("Learners"), coerce=int, required=True)

    def __init__(self, data=None, *, cohort, stuck_ids=None, **kwargs):
        super().__init__(data, **kwargs)
        self.stuck_ids = stuck_ids
        posted = []
        if data is not None:
            posted = [int(v) for v in data.getlist("personas") if str(v).isdigit()]
        if stuck_ids is not None:
            posted = list(stuck_ids)
            self.fields["personas"].required = False
        members = CohortMembership.objects.filter(cohort=cohort, user_id__in=posted).values_list(
            "user_id", flat=True
        )
        self.fields["personas"].choices = [(str(i), i) for i in members]
        self.fields["personas"].error_messages["required"] = _("Select at least one learner.")
        self.fields["personas"].error_messages["invalid_choice"] = _(
            "Someone you selected is not a learner of this cohort."
        )

    def clean(self):
        data = super().clean()
        if self.stuck_ids is not None and not self.stuck_ids:
            raise forms.ValidationError(_("Nobody is stuck right now: no reminder was sent."))
        return data

    def recipients(self) -> list[int]:
        if self.stuck_ids is not None:
            return list(self.stuck_ids)
        return list(self.cleaned_data["personas"])


class OverviewFilterForm(forms.Form):
    tipo = forms.ChoiceField(
        label=_("Organisation kind"), choices=list(KIND_FILTERS.items()), required=False
    )
    curso = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, courses):
        super().__init__(data)
        self.fields["curso"].choices = [("", _("All courses"))] + [(c.id, c.title) for c in courses]
