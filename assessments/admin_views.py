"""Wagtail admin pages: question upload, GIFT or Moodle XML (a preview first, then all or
nothing, errors by line), and GIFT export."""

import secrets
from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from .gift import GiftError
from .gift_bank import category_to_gift
from .imports import import_plan, questions_import_apply
from .models import QuestionCategory

MAX_UPLOAD = 10 * 1024 * 1024  # Moodle XML carries its images in base64


class GiftUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file: GIFT (.txt, .gift) or Moodle XML (.xml), UTF-8")
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        required=False,
        max_length=255,
        help_text=gettext_lazy(
            "Optional: put every question in this category, whatever the file says."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
            ) from None


class ImportConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{20,64}$", widget=forms.HiddenInput)
    category = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    on_match = forms.ChoiceField(
        label=gettext_lazy("Questions already in the bank"),
        widget=forms.RadioSelect,
        initial="skip",
        choices=[
            ("skip", gettext_lazy("Skip them: keep the bank's version")),
            ("update", gettext_lazy("Update them with the file's version")),
            ("new", gettext_lazy("Import them again as new questions")),
        ],
    )


def _pending_path(user, token: str) -> str:
    # Uploaded sources wait in shared storage between the preview and the import: several
    # processes may serve the two requests, and a POST field could not hold a 10 MB file.
    return f"question-imports/{user.pk}/{token}.txt"


PENDING_LIFETIME = timedelta(days=1)


def _forget_abandoned_previews(user) -> None:
    """Remove this editor's previews that were never imported nor cancelled, after a day."""
    folder = f"question-imports/{user.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}"
            if timezone.now() - default_storage.get_modified_time(path) > PENDING_LIFETIME:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError):
        return


def _preview(request, source: str, category: str):
    try:
        plan = import_plan(source=source, category_name=category)
    except GiftError as error:
        messages.error(
            request,
            _("Nothing was imported: the file has %(n)s problem(s).") % {"n": len(error.problems)},
        )
        return None, error.problems
    _forget_abandoned_previews(request.user)
    token = secrets.token_urlsafe(24)
    default_storage.save(_pending_path(request.user, token), ContentFile(source.encode("utf-8")))
    confirm = ImportConfirmForm(initial={"token": token, "category": category, "on_match": "skip"})
    return render(
        request, "assessments/admin/gift_preview.html", {"plan": plan, "form": confirm}
    ), []


def _confirm(request):
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This import preview has expired. Upload the file again."))
        return redirect("assessments_gift_import")
    path = _pending_path(request.user, form.cleaned_data["token"])
    if not default_storage.exists(path):
        messages.error(request, _("This import preview has expired. Upload the file again."))
        return redirect("assessments_gift_import")
    if "cancel" in request.POST:
        default_storage.delete(path)
        messages.info(request, _("Import cancelled: nothing was written."))
        return redirect("assessments_gift_import")
    with default_storage.open(path, "rb") as handle:
        source = handle.read().decode("utf-8")
    try:
        result = questions_import_apply(
            source=source,
            category_name=form.cleaned_data["category"],
            on_match=form.cleaned_data["on_match"],
        )
    except GiftError as error:  # the bank changed meanwhile in a way the file no longer fits
        messages.error(request, "; ".join(str(p) for p in error.problems))
        return redirect("assessments_gift_import")
    default_storage.delete(path)
    messages.success(
        request,
        _("%(created)s questions imported, %(updated)s updated, %(skipped)s skipped.")
        % {
            "created": len(result.created),
            "updated": len(result.updated),
            "skipped": len(result.skipped),
        },
    )
    for note in result.left_out:
        messages.warning(request, _("Left out: %(what)s.") % {"what": note})
    return redirect("assessments_gift_import")


@permission_required("assessments.add_question", raise_exception=True)
def gift_import(request):
    """Upload → preview (nothing written) → import with the editor's choice for matches."""
    problems = []
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    if request.method == "POST":
        form = GiftUploadForm(request.POST, request.FILES)
        if form.is_valid():
            response, problems = _preview(
                request, form.cleaned_data["file"], form.cleaned_data["category"]
            )
            if response is not None:
                return response
    else:
        form = GiftUploadForm()
    return render(
        request,
        "assessments/admin/gift_import.html",
        {
            "form": form,
            "problems": problems,
            "categories": QuestionCategory.objects.select_related("parent").order_by("name"),
        },
    )


@permission_required("assessments.view_question", raise_exception=True)
def gift_export(request, category_id: int):
    category = get_object_or_404(QuestionCategory, pk=category_id)
    text, skipped = category_to_gift(category)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(category.name) or "preguntas"}.gift.txt"'
    )
    response["X-Questions-Skipped"] = str(skipped)
    return response
