from .base import *  # noqa: F403
from .base import RELEASE_ID, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/lms-test-media")  # noqa: S108
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": f"lms:{RELEASE_ID}"}}
# Tests that need Redis or a worker configure them themselves; the rest run tasks in-process.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
LOGGING = {"version": 1, "disable_existing_loggers": False}
