"""Settings come from the environment; production refuses to start without a real secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a deployment never has it.
    skip = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check({"DJANGO_SETTINGS_MODULE": "lms.settings.production"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deployment_checklist_with_real_values():
    result = run_check(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "k" * 20 + "Zx9!q-L2#vB7@pR4&tW6*yN8%mC3^hJ5",
            "ALLOWED_HOSTS": "formacion.example.org",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_celery_is_configured_not_to_lose_work():
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_TIME_LIMIT > 0
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > 3600


def test_spanish_is_the_default_language_and_english_the_second():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "es"
    assert [code for code, _ in settings.LANGUAGES] == ["es", "en"]
    assert settings.TIME_ZONE == "America/Mexico_City"
    assert settings.WAGTAIL_I18N_ENABLED
