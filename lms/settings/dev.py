from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Uploads go where base says (local folder, or the bucket when one is named); static files
# are served unhashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo's own credential key, made by `manage.py credential_key --write` (seed_demo does it).
CREDENTIAL_KEYS_FILE = env.str(
    "CREDENTIAL_KEYS_FILE", default=str(BASE_DIR / "var" / "credential-keys")
)
