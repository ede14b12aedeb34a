from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference, OrganisationProfile
from .text import MAX_BODY_CHARS

BODY_HELP = _(
    "Plain text; leave an empty line between paragraphs. Links are kept. Mention someone with @ "
    "and their name, e.g. @maria-lopez-cruz."
)
ATTACHMENT_HELP = _(
    "Optional: one image (JPEG, PNG, WebP, GIF; up to 5 MB) or one PDF, PowerPoint or "
    "OpenDocument presentation (up to 20 MB)."
)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_BODY_CHARS,
        help_text=BODY_HELP,
    )
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)
    anonymous = forms.BooleanField(
        label=_("Post as anonymous (your peers will not see your name; the moderators will)"),
        required=False,
    )

    def __init__(self, *args, allow_anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_anonymous:
            del self.fields["anonymous"]


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    library_page = forms.TypedChoiceField(
        label=_("Related practice or resource"), required=False, coerce=int, empty_value=None
    )

    field_order = ["title", "body", "library_page", "attachment", "anonymous"]

    def __init__(self, *args, library_pages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library_page"].choices = [("", _("None"))] + [
            (p.pk, p.title) for p in library_pages
        ]


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_BODY_CHARS,
        help_text=BODY_HELP,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["replies", "mentions", "digest"]
        widgets = {"digest": forms.RadioSelect}


class ProfileForm(forms.ModelForm):
    class Meta:
        model = OrganisationProfile
        fields = [
            "published",
            "what_we_do",
            "state",
            "where",
            "contact_email",
            "show_email",
            "contact_phone",
            "show_phone",
            "website",
            "show_website",
        ]
        widgets = {"what_we_do": forms.Textarea(attrs={"rows": 5})}

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
