"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes every database connection before and after each task unless
# this is set, so each task paid a new PostgreSQL connection (a backend process forked and
# authenticated) on top of its own queries. The fixup now recycles them only rarely; the
# handlers below apply Django's own rules instead, as around a web request.
app.conf.CELERY_DB_REUSE_MAX = 10_000
app.autodiscover_tasks()


def close_old_connections(**kwargs) -> None:
    """Close connections past CONN_MAX_AGE or left unusable by an error (Django's per-request
    rule); the next query re-checks a kept connection first (CONN_HEALTH_CHECKS)."""
    if getattr(kwargs.get("task"), "request", None) is not None and kwargs["task"].request.is_eager:
        return
    from django.db import close_old_connections as django_close_old_connections

    django_close_old_connections()


task_prerun.connect(close_old_connections, dispatch_uid="lms_close_old_connections_before")
task_postrun.connect(close_old_connections, dispatch_uid="lms_close_old_connections_after")
