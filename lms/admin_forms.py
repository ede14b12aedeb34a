"""The cohort form of the Wagtail admin: its choices follow the person's programmes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .selectors import member_choices, programmes_administered_by, trainer_choices


class CohortForm(WagtailAdminModelForm):
    """Offers, and accepts, only the programmes the user manages, holders of the trainer role
    as trainers, and learners of the user's programmes (or of none yet) as members."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.scope_user = for_user
        if for_user is None:
            return
        if "programme" in self.fields:
            self.fields["programme"].queryset = programmes_administered_by(for_user)
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = trainer_choices(for_user)
        formset = self.formsets.get("memberships") if hasattr(self, "formsets") else None
        if formset is not None:
            members = member_choices(for_user)
            base = formset.form

            class MembershipForm(base):
                def __init__(self, *a, **kw):
                    super().__init__(*a, **kw)
                    if "user" in self.fields:
                        self.fields["user"].queryset = members

            formset.form = MembershipForm
            for form in formset.forms:
                if "user" in form.fields:
                    form.fields["user"].queryset = members

    def clean_programme(self):
        programme = self.cleaned_data.get("programme")
        user = self.scope_user
        if (
            programme is not None
            and user is not None
            and not programmes_administered_by(user).filter(pk=programme.pk).exists()
        ):
            raise ValidationError(_("Choose one of the programmes you manage."))
        return programme
