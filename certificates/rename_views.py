"""Rectification of the name on certificates: after a person changes their name, they choose
whether their certificates are re-issued with it (same codes; the old PDFs until the new ones are
ready)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .exceptions import CertificateActionRefused
from .models import Certificate


def certificates_with_another_name(user):
    return (
        Certificate.objects.filter(user=user)
        .exclude(state=Certificate.State.REVOKED)
        .exclude(learner_name=user.full_name)
        .exclude(learner_name="")
    )


@login_required
def rename(request):
    certificates = list(certificates_with_another_name(request.user))
    if not certificates:
        return redirect("profile")
    if request.method == "POST":
        if request.POST.get("reissue") == "yes":
            for certificate in certificates:
                try:
                    services.certificate_reissue(certificate=certificate)
                except CertificateActionRefused as refusal:
                    messages.error(request, refusal.message)
            messages.success(
                request, _("Your certificates are being re-issued with your new name.")
            )
        else:
            messages.info(request, _("Your certificates keep the name they were issued with."))
        return redirect("profile")
    return render(request, "certificates/rename.html", {"certificates": certificates})
