"""A peer to measure against: wagtail-lms (PyPI), in a virtual environment of its own, with a
course of 10 lessons of about 2 KB and one enrolled learner, served as ours is (gunicorn, sync
workers, PostgreSQL on the same server, DEBUG off). `bench/run.py` measures its logged-in
lesson page in the same interleaved runs as our pages.

The project around it is what its README asks for: Wagtail's apps, `wagtail_lms`, a
`base.html`; nothing tuned. Stops nothing itself: the caller stops the returned process.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PEER_PACKAGE = "wagtail-lms==0.11.1"
PEER_DATABASE = "lms_bench_peer"

SETTINGS = """SECRET_KEY = "bench-peer-project-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "peer_urls"
INSTALLED_APPS = [
    "wagtail_lms",
    "wagtail.contrib.forms", "wagtail.contrib.redirects", "wagtail.embeds", "wagtail.sites",
    "wagtail.users", "wagtail.snippets", "wagtail.documents", "wagtail.images", "wagtail.search",
    "wagtail.admin", "wagtail", "modelcluster", "taggit",
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [__import__("pathlib").Path(__file__).parent / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "%(database)s",
                         "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432",
                         "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"
MEDIA_ROOT = "%(media)s"
MEDIA_URL = "/media/"
WAGTAIL_SITE_NAME = "peer"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
USE_TZ = True
LOGIN_URL = "/login/"
"""

URLS = """from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("lms/", include("wagtail_lms.urls")),
    path("", include(wagtail_urls)),
]
"""

WSGI = """import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
application = get_wsgi_application()
"""

BASE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{% block title %}{{ page.title }}{% endblock %}</title></head>
<body>{% block content %}{% endblock %}</body></html>
"""

SETUP = """import json

import django

django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage

home = Page.get_first_root_node().get_children().first()
course = CoursePage.objects.filter(slug="curso").first()
if course is None:
    course = CoursePage(title="Curso", slug="curso", description="<p>Curso de medición</p>")
    home.add_child(instance=course)
    course.save_revision().publish()
    for n in range(1, 11):
        text = "<p>" + "Texto de la lección de carga. " * 70 + "</p>"  # about 2 KB
        lesson = H5PLessonPage(title=f"Lección {n}", slug=f"leccion-{n}",
                               intro="<p>Introducción</p>", body=[("paragraph", text)])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
user, _ = get_user_model().objects.get_or_create(
    username="aprendiz", defaults={"email": "a@example.org"}
)
CourseEnrollment.objects.get_or_create(user=user, course=course)
client = Client()
client.force_login(user)
cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
lesson = H5PLessonPage.objects.child_of(course).live().order_by("path").first()
print("PEER " + json.dumps({"lesson_url": lesson.url, "cookie": cookie}))
"""


def _venv(work: Path) -> Path | None:
    venv = work / "peer-venv"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        done = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                PEER_PACKAGE,
                "gunicorn",
                "psycopg[binary]",
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print("  peer: pip install failed: " + done.stderr.strip()[-500:], flush=True)
            return None
        marker.write_text(PEER_PACKAGE)
    return python


def _fresh_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PEER_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PEER_DATABASE}")


def start_peer(work: Path, workers: int) -> tuple[subprocess.Popen | None, int, list[tuple]]:
    """(gunicorn process, port, request lines of its logged-in lesson), or (None, 0, [])."""
    try:
        python = _venv(work)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"  peer: no virtual environment ({error})", flush=True)
        return None, 0, []
    if python is None:
        return None, 0, []
    project = work / "peer"
    (project / "templates").mkdir(parents=True, exist_ok=True)
    (project / "peer_settings.py").write_text(
        SETTINGS % {"database": PEER_DATABASE, "media": project / "media"}
    )
    (project / "peer_urls.py").write_text(URLS)
    (project / "peer_wsgi.py").write_text(WSGI)
    (project / "templates" / "base.html").write_text(BASE_HTML)
    (project / "peer_setup.py").write_text(SETUP)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTHON"))
    }
    env.update(DJANGO_SETTINGS_MODULE="peer_settings", PYTHONPATH=str(project))
    _fresh_database()
    steps = [
        [str(python), "-m", "django", "migrate", "--noinput", "-v0"],
        [str(python), "peer_setup.py"],
    ]
    output = ""
    for step in steps:
        done = subprocess.run(step, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode:
            print("  peer: setup failed: " + done.stderr.strip()[-800:], flush=True)
            return None, 0, []
        output = done.stdout
    prepared = json.loads(output.split("PEER ", 1)[1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(work / "gunicorn-peer.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(python),
            "-m",
            "gunicorn",
            "peer_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
        ],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{prepared['lesson_url']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Cookie": prepared["cookie"]})
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200 and "Texto de la lección" in response.read().decode():
                    return process, port, [("GET", prepared["lesson_url"], prepared["cookie"], "")]
        except (OSError, urllib.error.URLError):
            if process.poll() is not None:
                break
            time.sleep(0.5)
    print(
        "  peer: its lesson page did not answer 200 for the learner; see "
        f"{work / 'gunicorn-peer.log'}"
    )
    process.terminate()
    return None, 0, []
