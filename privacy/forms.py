from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptNoticeForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the privacy notice and I accept it."),
        error_messages={"required": _("To go on, please accept the privacy notice.")},
    )


class PreferencesForm(forms.Form):
    def __init__(self, *args, kinds: dict[str, str], refused: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds.items():
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=kind not in refused
            )

    def refused(self) -> set[str]:
        return {kind for kind, wanted in self.cleaned_data.items() if not wanted}


def signup_form_class(notice):
    """Sign-up asks for explicit acceptance of the short notice when one is published."""
    from lms.forms import SignupForm

    if notice is None:
        return SignupForm

    class SignupWithNoticeForm(SignupForm):
        accept_notice = forms.BooleanField(
            label=_("I have read the privacy notice and I accept it."),
            error_messages={
                "required": _("To create your account, please accept the privacy notice.")
            },
        )

    return SignupWithNoticeForm
