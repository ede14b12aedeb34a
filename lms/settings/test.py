import os

from .base import *  # noqa: F403
from .base import RELEASE_ID, STORAGES, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads go where base says (local folder, or the bucket when one is named); static files
# are served unhashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/lms-test-media")  # noqa: S108
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_PREFIX": f"lms:{RELEASE_ID}",
    },
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    },
}
# Tests that need Redis or a worker configure them themselves; the rest run tasks in-process.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
LOGGING = {"version": 1, "disable_existing_loggers": False}
PRIVACY_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A credential key of this test run, in the environment so the workers tests start sign with it too.
if not env.list("CREDENTIAL_SIGNING_KEYS", default=[]):
    from certificates.credentials.keys import generate_key

    os.environ["CREDENTIAL_SIGNING_KEYS"] = generate_key("test-key")
CREDENTIAL_SIGNING_KEYS = env.list("CREDENTIAL_SIGNING_KEYS")
