from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import normalise_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed on the certificate, for example ABCDE-FGH23."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A code has 10 letters and digits; check what you typed.")
            )
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the certificate; the public page only says it is revoked."),
    )


class ReissueForm(forms.Form):
    learner_name = forms.CharField(
        label=_("Name on the certificate"),
        max_length=200,
        help_text=_("Correct it here or in the learner's profile; the code stays the same."),
    )
    use_current_template = forms.BooleanField(
        label=_("Use the current version of the template"),
        required=False,
        help_text=_("Otherwise the certificate keeps the template version it was issued with."),
    )


class CohortForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=None, label=_("Cohort"), empty_label=None)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
