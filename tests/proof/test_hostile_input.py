"""Every form and GET filter, fed random and hostile text (NUL bytes included) by hypothesis, as
the people who use them: never a 500; a NUL gets the 400 page in the user's language; a refused
request writes nothing (no half-saved row)."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .urlwalk import PROJECT_APPS

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "a\x00b",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "nan",
    "inf",
    "-0",
    "١٢٣",
    "\u202e",
    "😀" * 50,
    " ",
    "",
    "x" * 5000,
    "=cmd|' /C calc'!A0",
    "Ku'uyoc",
    "null",
    "[]",
    "{}",
    "\\",
    "\r\n",
    "\ufeff",
]
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
    st.text(alphabet=st.sampled_from(["\x00", "a", "1", "-", " ", "é", "'", "<"]), max_size=12),
)

# (who, method, url name, url kwargs: callable(demo objects) -> dict, field names)
TARGETS = [
    (None, "get", "courses:catalogue", None, ["q", "programa", "modalidad", "idioma", "pagina"]),
    (None, "get", "certificates:verify_form", None, ["code"]),
    (
        None,
        "post",
        "signup",
        None,
        ["email", "full_name", "password1", "password2", "organisation", "position"],
    ),
    (None, "post", "login", None, ["username", "password"]),
    (None, "post", "password_reset", None, ["email"]),
    (
        "participante@example.org",
        "post",
        "profile",
        None,
        ["full_name", "organisation", "position", "preferred_language"],
    ),
    ("participante@example.org", "get", "set_language", None, ["language", "next"]),
    (
        "facilitador@example.org",
        "get",
        "reports:cohort",
        "cohort",
        ["curso", "organizacion", "estado", "dias", "por_pagina", "pagina"],
    ),
    (
        "facilitador@example.org",
        "post",
        "reports:cohort_remind",
        "cohort",
        ["mensaje", "personas", "atascados", "next"],
    ),
    ("coordinacion@example.org", "get", "reports:programme", "programme", ["tipo", "curso"]),
    (
        "coordinacion@example.org",
        "get",
        "certificates:manage_course",
        "course",
        ["cohort", "state"],
    ),
    ("coordinacion@example.org", "post", "certificates:revoke", "certificate", ["reason"]),
    (
        "coordinacion@example.org",
        "post",
        "certificates:reissue",
        "certificate",
        ["learner_name", "use_current_template"],
    ),
    (
        "facilitador@example.org",
        "post",
        "assessments:grade_attempt",
        "attempt",
        ["question", "percent", "comment"],
    ),
    (
        "facilitadora.empresas@example.org",
        "post",
        "workshops:attendance",
        "session",
        ["r1", "r2", "r3"],
    ),
    ("participante@example.org", "post", "workshops:checkin", "session", ["code"]),
]


def demo_objects() -> dict:
    from assessments.models import Attempt
    from certificates.models import Certificate
    from courses.models import CoursePage
    from lms.models import Cohort
    from workshops.models import WorkshopSession

    cohort = Cohort.objects.filter(trainers__email="facilitador@example.org").order_by("pk").first()
    course = CoursePage.objects.filter(slug="masculinidades-servicio-publico").first()
    attempt = Attempt.objects.exclude(state=Attempt.State.IN_PROGRESS).order_by("pk").first()
    return {
        "cohort": {"cohort_id": cohort.pk},
        "programme": {"programme_id": cohort.programme_id},
        "course": {"course_id": course.pk},
        "certificate": {
            "certificate_id": (Certificate.objects.order_by("pk").first() or cohort).pk
        },
        "attempt": {"attempt_id": (attempt or cohort).pk},
        "session": {"session_id": WorkshopSession.objects.order_by("pk").first().pk},
    }


def row_counts() -> dict:
    """Rows of the project's models (site settings appear on first read, so they are left out)."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS
        and not m._meta.proxy
        and not issubclass(m, (BaseSiteSetting, BaseGenericSetting))
    }


@pytest.fixture
def clients(demo):
    from lms.models import User

    made = {None: Client(raise_request_exception=False)}
    for who in {t[0] for t in TARGETS if t[0]}:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(email=who))
        made[who] = client
    return made, demo_objects()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_text_in_any_form_or_filter_is_never_a_server_error(clients, data):
    made, objects = clients
    who, method, name, kwargs_of, fields = data.draw(st.sampled_from(TARGETS))
    values = {field: data.draw(text, label=field) for field in fields}
    url = reverse(name, kwargs=objects[kwargs_of] if kwargs_of else None)
    before = row_counts()
    response = getattr(made[who], method)(url, values)
    assert response.status_code < 500, (name, values)
    if any("\x00" in v for v in values.values()):
        assert response.status_code == 400, (name, values)
        assert "no se pueden guardar" in response.content.decode().lower()
    if response.status_code >= 400:
        assert row_counts() == before, (name, values)


@pytest.mark.parametrize(
    "path",
    ["/aprendizaje/cursos/?q=%00", "/aprendizaje/cursos/%00/", "/evaluaciones/encuestas/?x=%00"],
)
def test_a_nul_in_an_address_is_a_400(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "no se pueden guardar" in response.content.decode().lower()
