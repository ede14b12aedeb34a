from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 200_000


class CredentialCheckForm(forms.Form):
    """A credential to check: a JSON file or its text pasted."""

    file = forms.FileField(label=_("Credential file (.json)"), required=False)
    text = forms.CharField(
        label=_("Or paste the credential's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def clean(self):
        import json

        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is too large to be a credential."))
            raw = upload.read()
        elif text:
            raw = text.encode("utf-8")[: MAX_BYTES + 1]
        else:
            raise forms.ValidationError(_("Choose a credential file or paste its text."))
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as error:
            raise forms.ValidationError(
                _("This is not a credential: it is not valid JSON.")
            ) from error
        if not isinstance(document, dict) or "proof" not in document:
            raise forms.ValidationError(_("This is not a signed credential: it has no proof."))
        cleaned["document"] = document
        return cleaned
