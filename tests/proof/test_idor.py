"""Every URL with an object id, walked as the wrong person: never a 500, never another
learner's data, and a POST never changes what belongs to someone else."""

import html
import io
import subprocess
import tempfile

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page

from .urlwalk import PROJECT_APPS, project_routes, urls_of

pytestmark = pytest.mark.django_db

# Public by design: a certificate's verification page (long and short address) names its holder.
PUBLIC_BY_DESIGN = {"certificates:verify", "certificate_verify_short"}


def viewers():
    from lms.factories import UserFactory
    from lms.models import User

    return {
        "stranger learner": UserFactory(full_name="Persona Intrusa Sin Cohorte"),
        "learner of another cohort": User.objects.get(email="ernesto.garcia@example.org"),
        "trainer of another programme": User.objects.get(email="facilitadora.empresas@example.org"),
    }


def forbidden_markers(viewer) -> set[str]:
    """Names and e-mails of the learners this viewer must not see."""
    from lms.models import ROLE_GROUP_NAMES, User
    from lms.selectors import learners_visible_to

    staff_groups = [ROLE_GROUP_NAMES[r] for r in ("trainer", "manager", "editor")]
    visible = set(learners_visible_to(viewer).values_list("id", flat=True)) | {viewer.id}
    others = User.objects.exclude(id__in=visible).exclude(groups__name__in=staff_groups).exclude(is_superuser=True)
    markers = set()
    for name, email in others.values_list("full_name", "email"):
        markers |= {name, html.escape(name), email}
    return {m for m in markers if len(m) > 5}


def text_of(response) -> str:
    content_type = response.headers.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(body)
            pdf.flush()
            done = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True, timeout=30)
            return done.stdout
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    return body.decode("utf-8", errors="replace")


def test_get_of_every_object_url_as_the_wrong_person_leaks_nothing(demo):
    """No 500, and no page, export or PDF shows a learner the viewer has no right to see."""
    routes = [r for r in project_routes() if r.params]
    assert len(routes) >= 5
    findings, requests = [], 0
    for label, viewer in viewers().items():
        client = Client(raise_request_exception=False)
        client.force_login(viewer)
        markers = forbidden_markers(viewer)
        for route in routes:
            for url in urls_of(route, limit=15):
                requests += 1
                response = client.get(url)
                if response.status_code >= 500:
                    findings.append((label, url, response.status_code))
                    continue
                if response.status_code != 200 or route.name in PUBLIC_BY_DESIGN:
                    continue
                body = text_of(response)
                leaked = sorted(m for m in markers if m in body)
                if leaked:
                    findings.append((label, url, leaked[:3]))
    assert requests > 20
    assert findings == []


# Pages change only through the Wagtail admin (not walked here); settings rows appear on first read.
SKIPPED_MODELS = (Page, BaseSiteSetting, BaseGenericSetting)


def snapshot_of_others(user_id: int) -> dict:
    """Every project row not owned by `user_id`, without its self-updating timestamps."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy or issubclass(model, SKIPPED_MODELS):
            continue
        fields = [
            f.attname for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False) and f.name not in ("last_login", "password")
        ]
        owner = next(
            (f.attname for f in model._meta.concrete_fields
             if isinstance(f, models.ForeignKey) and f.related_model._meta.label == "lms.User" and f.name in ("user", "learner")),
            None,
        )
        rows = model.objects.all()
        if owner:
            rows = rows.exclude(**{owner: user_id})
        if model._meta.label == "lms.User":
            rows = rows.exclude(pk=user_id)
        state[model._meta.label] = sorted(map(repr, rows.values_list(*fields)))
    return state


def outside_trainer():
    """A trainer whose only cohort belongs to a programme of its own: nothing of the demo is theirs."""
    from courses.factories import ProgrammePageFactory, site_home
    from lms.factories import CohortFactory, UserFactory

    trainer = UserFactory(roles=("trainer",), full_name="Facilitadora De Otro Programa")
    CohortFactory(programme=ProgrammePageFactory(parent=site_home()), trainers=[trainer])
    return trainer


def test_post_to_every_object_url_as_the_wrong_person_changes_nothing_of_others(demo, django_capture_on_commit_callbacks):
    """Revoke, cancel, grade, remind, upload, delete… as the wrong person: no 500, no change.

    (A trainer may legitimately change what belongs to their own workshops, so the trainer here
    is one of an unrelated programme.)"""
    routes = [r for r in project_routes() if r.params]
    people = {**viewers(), "trainer of another programme": outside_trainer()}
    for label, viewer in people.items():
        before = snapshot_of_others(viewer.id)
        client = Client(raise_request_exception=False)
        client.force_login(viewer)
        errors = []
        with django_capture_on_commit_callbacks(execute=True):
            for route in routes:
                for url in urls_of(route, limit=10):
                    response = client.post(url, {"status": "attended", "action": "revoke", "reason": "x"})
                    if response.status_code >= 500:
                        errors.append((url, response.status_code))
        assert errors == [], label
        after = snapshot_of_others(viewer.id)
        changed = {k: (set(before[k]) ^ set(after[k])) for k in before if before[k] != after[k]}
        assert changed == {}, label
