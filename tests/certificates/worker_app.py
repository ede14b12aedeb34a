"""The Celery app for the real-worker tests: the project's app plus fault switches.

The test drives faults through files in the directory named by CERT_TEST_CONTROL; each switch
file is taken by renaming it, so exactly one worker child acts on it:

- ``kill-once``: the next render writes its process id to ``killed.pid`` and hangs, so the
  test can kill that child mid-render;
- ``fail-N`` (any number of them): each makes one PDF write raise OSError (a transient error);
- ``slow``: every render first sleeps the number of seconds the file holds.
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from lms.celery import app

__all__ = ["app"]


def _take(path: Path) -> bool:
    try:
        path.rename(path.with_name(path.name + ".taken"))
    except FileNotFoundError:
        return False
    return True


@worker_process_init.connect
def install_fault_switches(**kwargs):
    from django.conf import settings
    from django.core.files.storage import default_storage

    from certificates import rendering

    control = Path(os.environ["CERT_TEST_CONTROL"])
    settings.CERTIFICATES_RETRY_BASE_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(control / "mail")

    real_render = rendering.render_certificate_pdf

    def render(context):
        slow = control / "slow"
        if slow.exists():
            time.sleep(float(slow.read_text() or 1))
        if _take(control / "kill-once"):
            (control / "killed.pid").write_text(str(os.getpid()))
            time.sleep(120)
        return real_render(context)

    rendering.render_certificate_pdf = render

    real_save = default_storage.save

    def save(name, content, **kw):
        for switch in sorted(control.glob("fail-*")):
            if not switch.name.endswith(".taken") and _take(switch):
                raise OSError("simulated storage outage")
        return real_save(name, content, **kw)

    default_storage.save = save
