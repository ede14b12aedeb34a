"""Notification preferences and the network directory (unsubscribing: privacy's one-click
address, community kinds registered in wagtail_hooks)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.models import Organisation

from . import services
from .forms import PreferenceForm, ProfileForm
from .library import directory_profiles, profile_editable_by
from .models.library import STATES
from .notifications import preference_of


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, instance=preference_of(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.preferences_update(
            user=request.user,
            replies=data["replies"],
            mentions=data["mentions"],
            digest=data["digest"],
        )
        messages.success(request, _("Your preferences were saved."))
        return redirect("community:preferences")
    return render(request, "community/preferences.html", {"form": form})


def directory(request):
    profiles, applied = directory_profiles(request.GET)
    return render(
        request,
        "community/directory.html",
        {
            "profiles": profiles,
            "applied": applied,
            "states": STATES,
            "kinds": Organisation.Kind.choices,
        },
    )


@login_required
def profile_edit(request):
    profile = profile_editable_by(request.user)
    if profile is None:
        messages.info(request, _("Your account is not linked to an organisation."))
        return redirect("community:directory")
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_save(form=form)
        messages.success(request, _("Your organisation's profile was saved."))
        return redirect("community:profile_edit")
    return render(
        request,
        "community/profile_edit.html",
        {"form": form, "organisation": request.user.organisation},
    )
