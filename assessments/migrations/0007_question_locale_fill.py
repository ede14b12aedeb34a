"""Existing questions, their choices, numeric answers and pairs are in the default locale (the
site's Spanish); a quiz's or survey's question rows are in their page's locale. Each row gets a
translation key of its own."""

import uuid

from django.db import migrations
from django.db.models import OuterRef, Subquery


def default_locale_id(apps):
    from django.conf import settings

    Locale = apps.get_model("wagtailcore", "Locale")
    code = settings.LANGUAGE_CODE.split("-")[0]
    locale = Locale.objects.filter(language_code=code).first() or Locale.objects.first()
    if locale is None:
        locale = Locale.objects.create(language_code=code)
    return locale.pk


def fill(apps, schema_editor):
    names = [
        "Question",
        "QuestionChoice",
        "QuestionNumericAnswer",
        "QuestionMatchPair",
        "QuizQuestion",
        "SurveyQuestion",
    ]
    models = {name: apps.get_model("assessments", name) for name in names}
    if not any(model.objects.exists() for model in models.values()):
        return
    locale_id = default_locale_id(apps)
    Page = apps.get_model("wagtailcore", "Page")
    for name, model in models.items():
        for pk in model.objects.filter(translation_key__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(translation_key=uuid.uuid4())
        if name in ("QuizQuestion", "SurveyQuestion"):
            page_locale = Page.objects.filter(pk=OuterRef("page_id")).values("locale_id")[:1]
            model.objects.filter(locale__isnull=True).update(locale_id=Subquery(page_locale))
        model.objects.filter(locale__isnull=True).update(locale_id=locale_id)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_question_locale_fields_nullable"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
