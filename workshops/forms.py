from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Registration


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Presentation"),
        help_text=_("PDF, PowerPoint (.pptx) or OpenDocument (.odp), up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.odp"}),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown in the room"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )


class AttendanceForm(forms.Form):
    """One choice group per confirmed registration of the session."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[self.field_name(registration)] = forms.ChoiceField(
                label=registration.user.full_name,
                choices=Registration.Attendance.choices,
                initial=registration.attendance,
                required=False,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(registration) -> str:
        return f"r{registration.pk}"

    def rows(self):
        return [
            (registration, self[self.field_name(registration)])
            for registration in self.registrations
        ]

    def marks(self) -> dict[int, str]:
        return {
            r.pk: self.cleaned_data.get(self.field_name(r)) or ""
            for r in self.registrations
            if self.field_name(r) in self.data
        }


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Everyone registered receives it by e-mail, with a calendar update that removes the "
            "session."
        ),
    )
