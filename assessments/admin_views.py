"""Wagtail admin pages: question upload, GIFT or Moodle XML (all or nothing, errors by line), and GIFT export."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from . import services
from .gift import GiftError
from .gift_bank import category_to_gift
from .models import QuestionCategory

MAX_UPLOAD = 10 * 1024 * 1024  # Moodle XML carries its images in base64


class GiftUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Question file: GIFT (.txt, .gift) or Moodle XML (.xml), UTF-8"))
    category = forms.CharField(
        label=gettext_lazy("Category"), required=False, max_length=255,
        help_text=gettext_lazy("Optional: put every question in this category, whatever the file says."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text. Save it as UTF-8 and try again.")) from None


@permission_required("assessments.add_question", raise_exception=True)
def gift_import(request):
    problems = []
    if request.method == "POST":
        form = GiftUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created, skipped = services.questions_import(
                    source=form.cleaned_data["file"], category_name=form.cleaned_data["category"]
                )
            except GiftError as error:
                problems = error.problems
                messages.error(request, _("Nothing was imported: the file has %(n)s problem(s).") % {"n": len(problems)})
            else:
                messages.success(request, _("%(n)s questions imported.") % {"n": len(created)})
                for note in skipped:
                    messages.warning(request, _("Left out: %(what)s.") % {"what": note})
                return redirect("assessments_gift_import")
    else:
        form = GiftUploadForm()
    return render(request, "assessments/admin/gift_import.html", {
        "form": form,
        "problems": problems,
        "categories": QuestionCategory.objects.order_by("name"),
    })


@permission_required("assessments.view_question", raise_exception=True)
def gift_export(request, category_id: int):
    category = get_object_or_404(QuestionCategory, pk=category_id)
    text, skipped = category_to_gift(category)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(category.name) or "preguntas"}.gift.txt"'
    response["X-Questions-Skipped"] = str(skipped)
    return response
