"""Every URL with an object id, code or token — the site's and the Wagtail admin's snippet and
viewset URLs — requested by seven people who must not see each other's learners: the owner,
another learner, a trainer of another cohort in the *same* course, a trainer and a manager of
another programme, an editor, and an anonymous visitor. GET and POST. Bodies of HTML, CSV, XLSX,
PDF and ZIP are scanned for the names and e-mails of learners the person may not see; after
every person's POSTs, nothing that belongs to anybody they may not see has changed. The counts
of requests and leaks are printed."""

import html
import io
import subprocess
import tempfile
import zipfile
from datetime import UTC

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.test import Client
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page

from .urlwalk import PROJECT_APPS, admin_routes, admin_urls_of, project_routes, urls_of

pytestmark = pytest.mark.django_db

# Public by design: a certificate's verification page (long and short address) names its holder.
PUBLIC_BY_DESIGN = {"certificates:verify", "certificate_verify_short"}
OWNER = "participante@example.org"


def viewers() -> dict:
    """label -> user (None: anonymous). The owner is a learner of two programmes."""
    from courses.factories import ProgrammePageFactory, site_home
    from lms.factories import CohortFactory, UserFactory
    from lms.models import User

    outside = UserFactory(roles=("trainer",), full_name="Facilitadora De Otro Programa")
    CohortFactory(programme=ProgrammePageFactory(parent=site_home()), trainers=[outside])
    return {
        "owner": User.objects.get(email=OWNER),
        "another learner": User.objects.get(email="ernesto.garcia@example.org"),
        "trainer of another cohort, same course": User.objects.get(
            email="facilitadora.osc@example.org"
        ),
        "trainer of another programme": outside,
        "manager of another programme": User.objects.get(email="coordinacion.empresas@example.org"),
        "editor": User.objects.get(email="editora@example.org"),
        "anonymous": None,
    }


def hidden_learners(viewer):
    """Learners of some cohort that the viewer may not see (everyone's, for an editor or
    anonymous)."""
    from lms.models import User
    from lms.selectors import learners_visible_to

    visible = set(learners_visible_to(viewer or AnonymousUser()).values_list("id", flat=True))
    if viewer is not None:
        visible.add(viewer.id)
    return User.objects.filter(cohort_memberships__isnull=False).exclude(id__in=visible).distinct()


def forbidden_markers(viewer) -> set[str]:
    markers = set()
    for name, email in hidden_learners(viewer).values_list("full_name", "email"):
        markers |= {name, html.escape(name), html.escape(name, quote=False), email}
    return {m for m in markers if len(m) > 5}


def text_of(response) -> str:
    content_type = response.headers.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return text_of_bytes(body, content_type)


def text_of_bytes(body: bytes, content_type: str) -> str:
    if content_type.startswith("application/pdf") or body[:5] == b"%PDF-":
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(body)
            pdf.flush()
            done = subprocess.run(
                ["pdftotext", pdf.name, "-"], capture_output=True, text=True, timeout=30
            )
            return done.stdout
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
    if "zip" in content_type or body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(text_of_bytes(archive.read(n), "") for n in archive.namelist())
    return body.decode("utf-8", errors="replace")


def client_for(viewer) -> Client:
    client = Client(raise_request_exception=False)
    if viewer is not None:
        client.force_login(viewer)
    return client


def walked_urls(limit: int) -> list[tuple[str, str]]:
    """(route name, url) for every site route with a parameter and every admin snippet route."""
    site = [(r.name, url) for r in project_routes() if r.params for url in urls_of(r, limit=limit)]
    admin = [(r.name, url) for r in admin_routes() for url in admin_urls_of(r, limit=limit)]
    return site + admin


def test_the_walk_covers_site_and_admin_urls(demo):
    names = {name for name, _url in walked_urls(limit=2)}
    for expected in (
        "workshops:attendance",
        "workshops:attendance_csv",
        "workshops:signin_sheet",
        "workshops:checkin_display",
        "reports:cohort_export",
        "certificates:manage_download",
        "assessments:grade_attempt",
        "wagtailsnippets_lms_cohort:edit",
        "wagtailsnippets_lms_cohort:add",
        "wagtailsnippets_courses_cohortcourse:edit",
        "workshops:calendar_feed",
        "certificates:download",
    ):
        assert expected in names


def test_get_of_every_object_url_leaks_no_other_learner(demo):
    """No 500, and no page, export, PDF or ZIP shows a learner the viewer has no right to see."""
    urls = walked_urls(limit=8)
    findings, requests = [], 0
    for label, viewer in viewers().items():
        client = client_for(viewer)
        markers = forbidden_markers(viewer)
        for name, url in urls:
            requests += 1
            response = client.get(url)
            if response.status_code >= 500:
                findings.append((label, url, response.status_code))
                continue
            if response.status_code != 200 or name in PUBLIC_BY_DESIGN:
                continue
            body = text_of(response)
            leaked = sorted(m for m in markers if m in body)
            if leaked:
                findings.append((label, url, leaked[:3]))
    print(
        f"\nIDOR walk, GET: {requests} requests by {len(viewers())} people, {len(findings)} "
        "leaks or errors"
    )
    assert requests > 500
    assert findings == []


# Pages change only through the Wagtail admin's page editor; settings rows appear on first read.
SKIPPED_MODELS = (Page, BaseSiteSetting, BaseGenericSetting)
# Content an editor writes (with the rows inside it): an editor's change there is their job.
EDITOR_CONTENT = {
    "assessments.QuestionCategory",
    "assessments.Question",
    "assessments.QuestionChoice",
    "assessments.QuestionNumericAnswer",
    "assessments.QuestionMatchPair",
    "certificates.CertificateTemplate",
    "certificates.Signatory",
    "lms.Organisation",
}


def theirs(viewer) -> tuple:
    """(ids of the viewer and of the learners they may see, ids of the cohorts they administer,
    whether they write content), taken before the walk: what they may legitimately change."""
    from lms.models import Role
    from lms.selectors import cohorts_administered_by, learners_visible_to, user_roles

    if viewer is None:
        return set(), set(), False, set()
    from datetime import datetime

    from workshops.selectors import sessions_managed_by

    people = set(learners_visible_to(viewer).values_list("id", flat=True)) | {viewer.id}
    cohorts = set(cohorts_administered_by(viewer).values_list("id", flat=True))
    sessions = set(
        sessions_managed_by(viewer, since=datetime(2000, 1, 1, tzinfo=UTC)).values_list(
            "id", flat=True
        )
    )
    return people, cohorts, Role.EDITOR in user_roles(viewer), sessions


def snapshot_of_others(mine: tuple) -> dict:
    """Every project row except the viewer's, their learners', their own cohorts' and (for an
    editor) content, without self-updating timestamps."""
    people, cohorts, editor, sessions = mine
    state = {}
    for model in apps.get_models():
        if (
            model._meta.app_label not in PROJECT_APPS
            or model._meta.proxy
            or issubclass(model, SKIPPED_MODELS)
        ):
            continue
        if editor and model._meta.label in EDITOR_CONTENT:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False) and f.name not in ("last_login", "password")
        ]
        owner = next(
            (
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.ForeignKey)
                and f.related_model._meta.label == "lms.User"
                and f.name in ("user", "learner", "uploaded_by")
            ),
            None,
        )
        rows = model.objects.all()
        if owner:
            rows = rows.exclude(**{f"{owner}__in": people})
        if model._meta.label == "lms.User":
            rows = rows.exclude(pk__in=people)
        if model._meta.label == "lms.Cohort":
            rows = rows.exclude(pk__in=cohorts)
        if (
            model._meta.label == "workshops.WorkshopSession"
        ):  # staff run (and may cancel) their sessions
            rows = rows.exclude(pk__in=sessions)
        if (
            "cohort" in {f.name for f in model._meta.concrete_fields}
            and model._meta.label != "courses.Enrolment"
        ):
            rows = rows.exclude(cohort_id__in=cohorts)
        state[model._meta.label] = sorted(map(repr, rows.values_list(*fields)))
    trainers = apps.get_model("lms", "Cohort").trainers.through.objects.exclude(
        cohort_id__in=cohorts
    )
    state["cohort trainers"] = sorted(map(repr, trainers.values_list()))
    return state


def hostile_post(viewer) -> dict:
    """A body that would succeed if a check were missing: attendance, revocation, a cohort edit
    that adds the viewer as trainer, a course link."""
    from lms.models import Cohort

    cohort = Cohort.objects.order_by("pk").first()
    return {
        "status": "attended",
        "action": "revoke",
        "reason": "x",
        "mensaje": "x",
        "todos": "1",
        "name": "Cohorte tomada",
        "programme": cohort.programme_id,
        "trainers": [viewer.pk] if viewer else [],
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "cohort": cohort.pk,
        "course": cohort.programme_id,
    }


def test_post_to_every_object_url_changes_nothing_of_others(
    demo, django_capture_on_commit_callbacks
):
    """Revoke, cancel, grade, mark attendance, remind, upload, delete, edit a cohort in the admin…
    as each of the seven: no 500, and nothing of anybody they may not see changes."""
    urls = walked_urls(limit=5)
    requests, changes = 0, []
    for label, viewer in viewers().items():
        with transaction.atomic():  # each person starts from the same demo: rolled back after
            mine = theirs(viewer)
            before = snapshot_of_others(mine)
            client = client_for(viewer)
            errors = []
            with django_capture_on_commit_callbacks(execute=True):
                for _name, url in urls:
                    requests += 1
                    response = client.post(url, hostile_post(viewer))
                    if response.status_code >= 500:
                        errors.append((url, response.status_code))
            assert errors == [], label
            after = snapshot_of_others(mine)
            changed = {k: (set(before[k]) ^ set(after[k])) for k in before if before[k] != after[k]}
            if changed:
                changes.append((label, changed))
            transaction.set_rollback(True)
    print(
        f"\nIDOR walk, POST: {requests} requests, {len(changes)} people changed what is not theirs"
    )
    assert changes == []
