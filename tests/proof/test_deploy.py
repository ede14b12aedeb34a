"""Production settings with a real-looking environment: `check --deploy` is clean, HSTS and the
other transport headers are on, and the public site sends its Content-Security-Policy."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SECURE_", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        CSRF_TRUSTED_ORIGINS="https://example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    """No warning or error from Django's deployment checklist."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    """An empty or short SECRET_KEY stops the process instead of running insecurely."""
    env = production_env(tmp_path)
    env["SECRET_KEY"] = "short"
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="example.org")
out = {"settings": {k: getattr(settings, k) for k in (
    "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")}}
plain = client.get("/healthz")
out["plain"] = {"status": plain.status_code, "location": plain.headers.get("Location", "")}
secure = client.get("/healthz", secure=True)
out["secure"] = dict(secure.headers.items())
print(json.dumps(out))
"""


def test_production_sends_hsts_and_redirects_to_https(tmp_path):
    """Plain HTTP is redirected; HTTPS responses carry HSTS, nosniff, frame and referrer rules."""
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["settings"]["DEBUG"] is False
    assert data["settings"]["SECURE_HSTS_SECONDS"] >= 31536000
    assert data["settings"]["SESSION_COOKIE_SECURE"] and data["settings"]["CSRF_COOKIE_SECURE"]
    assert data["settings"]["SESSION_COOKIE_HTTPONLY"]
    assert data["plain"]["status"] == 301
    assert data["plain"]["location"].startswith("https://example.org/")
    headers = data["secure"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/cuenta/entrar/", "/cuenta/registro/", "/aprendizaje/cursos/", "/healthz"]
)
def test_public_pages_send_a_strict_content_security_policy(client, url):
    """No inline script or style is allowed anywhere on the public site."""
    from courses.factories import site_home

    site_home()
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
