"""Settings safe for production; every secret and host-specific value comes from the environment.

`dev`, `test` and `production` override what differs. Nothing here reads a setting at import
time of another module.
"""

from pathlib import Path
from urllib.parse import urlparse

import environ

from lms.release import release_id

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "lms",
    "privacy",
    "courses",
    "assessments",
    "workshops",
    "certificates",
    "reports",
    "offline",
    "community",
    "hosted_media",
    "wagtailmedia",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.UserLanguageMiddleware",
    "lms.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the page caches: a material change of the privacy notice is accepted before any page.
    "privacy.middleware.NoticeAcceptanceMiddleware",
    "lms.middleware.UnstorableInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "privacy.middleware.AuditMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Django's own health check: a persistent connection that the server or a load balancer dropped
# (even without a FIN) is replaced before the request's first query, never a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the in-process demo serve and write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Server-side parameters let psycopg prepare the statements a connection repeats. Off behind
    # a transaction-pooling PgBouncer, which cannot keep prepared statements (README).
    options["server_side_binding"] = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    if env.bool("DATABASE_POOL", default=False):
        # Django's psycopg pool (per process) instead of persistent connections.
        options["pool"] = {"min_size": 1, "max_size": env.int("DATABASE_POOL_SIZE", default=4)}
        DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "learner_home"
LOGOUT_REDIRECT_URL = "/"

# Login rate limiting (django-axes): lock a user+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# The lock-out counts the normalised e-mail (trimmed, NFKC, lower case): no spelling has its own counter.
AXES_USERNAME_CALLABLE = "lms.identity.axes_username"
# The client address of every limiter (login included) comes from one helper, lms.ratelimit.client_ip:
# the socket address unless the proxies in front are named here (README, "Client address").
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_NETWORKS = env.list("TRUSTED_PROXY_NETWORKS", default=[])
AXES_CLIENT_IP_CALLABLE = "lms.ratelimit.axes_client_ip"

LANGUAGE_CODE = "es"
# Adding a language (an Indigenous language, say) is a settings change plus its translations.
LANGUAGES = [("es", "Español"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Every e-mail is logged (recipient, subject, kind; never the body) for the person's data-access ZIP
# and the retention rules, then delivered by PRIVACY_EMAIL_DELIVERY_BACKEND (EMAIL_BACKEND's value).
EMAIL_BACKEND = "privacy.mail.LoggingEmailBackend"
PRIVACY_EMAIL_DELIVERY_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Plataforma de formación <no-responder@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Every cache key starts with the release: a deploy never reads what older code stored
# (docs/caching.md). RELEASE_ID defaults to the code's git commit, else the package version.
RELEASE_ID = env.str("RELEASE_ID", default="") or release_id(BASE_DIR)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Sessions read from the shared cache (written through to the database): no query per request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES = {
        "default": {
            # django-redis; while Redis is down every cache call misses instead of failing.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"lms:{RELEASE_ID}",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        },
        # Rate-limit counters: errors reach lms.ratelimit, which fails open or closed per limiter.
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
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
# How often a process asks the shared cache whether the content changed (its in-memory copies
# of course structures are dropped then): another process's publish shows within this delay.
CONTENT_VERSION_CHECK_SECONDS = env.float("CONTENT_VERSION_CHECK_SECONDS", default=2.0)
# Anonymous renders of public lessons of open courses: `Cache-Control: public` for this long,
# kept by Django's cache middleware on the page view and by any HTTP cache in front.
ANONYMOUS_PAGE_SECONDS = env.int("ANONYMOUS_PAGE_SECONDS", default=60)

# Celery: with no broker the tasks run in-process so the first run needs nothing but Python.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
# A community e-mail's claim (community.MessageSent) protects it while it is being sent; a claim
# never stamped (its process died) is taken over after this long: more than a task may run.
COMMUNITY_MESSAGE_CLAIM_SECONDS = env.int("COMMUNITY_MESSAGE_CLAIM_SECONDS", default=600)
# Longest retry countdown in the code base is one hour; the visibility timeout must exceed it
# or Redis redelivers a task that is still waiting for its retry.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Periodic work (django-celery-beat copies these into its database schedule at start).
CELERY_BEAT_SCHEDULE = {
    # Every minute, for renders pending over a minute: one queued while the broker was down or
    # lost with a killed worker is queued again within 2 minutes.
    "sweep-pending-certificates": {
        "task": "certificates.tasks.sweep_pending_certificates",
        "schedule": 60.0,
    },
    "remind-expiring-certificates": {
        "task": "certificates.tasks.remind_expiring_certificates",
        "schedule": 24 * 3600.0,
    },
    "send-workshop-reminders": {"task": "workshops.tasks.send_due_reminders", "schedule": 300.0},
    "close-expired-attempts": {
        "task": "assessments.tasks.close_expired_attempts",
        "schedule": 300.0,
    },
    "privacy-retention": {"task": "privacy.tasks.apply_retention", "schedule": 24 * 3600.0},
    # Each digest goes once per person and period (community.MessageSent): runs several times a day.
    "community-daily-digest": {
        "task": "community.tasks.send_digests",
        "schedule": 6 * 3600.0,
        "args": ("daily",),
    },
    "community-weekly-digest": {
        "task": "community.tasks.send_digests",
        "schedule": 6 * 3600.0,
        "args": ("weekly",),
    },
}

# Personal data (privacy app): days a confirmed deletion request waits before it is carried out,
# how long e-mailed links work, and how long each kind of record is kept (README: "Personal data").
PRIVACY_DELETION_GRACE_DAYS = env.int("PRIVACY_DELETION_GRACE_DAYS", default=30)
PRIVACY_LINK_MAX_AGE = 3 * 24 * 3600
PRIVACY_RETENTION = {
    "inactive_accounts_days": env.int("PRIVACY_INACTIVE_ACCOUNTS_DAYS", default=3 * 365),
    "login_records_days": env.int("PRIVACY_LOGIN_RECORDS_DAYS", default=90),
    "email_log_days": env.int("PRIVACY_EMAIL_LOG_DAYS", default=365),
    "exports_days": env.int("PRIVACY_EXPORTS_DAYS", default=7),
    "audit_log_days": env.int("PRIVACY_AUDIT_LOG_DAYS", default=5 * 365),
}
# Staff may create an account without a password: the person gets a set-your-password link.
WAGTAILUSERS_PASSWORD_REQUIRED = False

WAGTAIL_SITE_NAME = "Plataforma de formación"

# Open Badges 3.0 credentials beside certificates (certificates/credentials). Ed25519 keys written
# as "<key-id>=<secretKeyMultibase>" (`manage.py credential_key` makes one): the first signs, the
# others are retired keys that did.json keeps publishing so the credentials they signed verify.
# From the environment, else one per line in CREDENTIAL_KEYS_FILE; with neither, no credential.
CREDENTIAL_SIGNING_KEYS = env.list("CREDENTIAL_SIGNING_KEYS", default=[])
CREDENTIAL_KEYS_FILE = env.str("CREDENTIAL_KEYS_FILE", default="")
# The JSON-LD contexts npm installs (package.json's postinstall writes this file).
CREDENTIAL_CONTEXTS_FILE = env.str(
    "CREDENTIAL_CONTEXTS_FILE", default=str(BASE_DIR / "node_modules" / ".credential-contexts.json")
)
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The database backend; on PostgreSQL its full-text search stems Spanish words (community library,
# course catalogue). SQLite ignores the configuration and matches whole words.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "spanish"}
}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "odp",
    "ods",
    "txt",
    "csv",
    "mp4",
    "webm",
    "vtt",
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Hosted video and audio (hosted_media): wagtailmedia's admin over our own model and form, which
# check every file by content. HOSTED_MEDIA_MAX_BYTES may override hosted_media.uploads.MAX_BYTES.
WAGTAILMEDIA = {
    "MEDIA_MODEL": "hosted_media.HostedMedia",
    "MEDIA_FORM_BASE": "hosted_media.forms.HostedMediaForm",
    "AUDIO_EXTENSIONS": ["mp3", "ogg", "oga", "m4a"],
    "VIDEO_EXTENSIONS": ["mp4", "m4v", "webm"],
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No request to third parties from the admin: avatars are initials, an e-mail hash never leaves.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "lms": {"level": env.str("LOG_LEVEL", default="INFO")},
        "certificates": {"level": env.str("LOG_LEVEL", default="INFO")},
    },
}

# --- Running on several machines (each part off unless its variables are set; README "Scale-out") ---
# Object storage: with a bucket named, every file the platform writes or serves lives in an
# S3-compatible store. Nothing in the bucket is public: private files reach people through views
# that check who asks (streamed) or as short-lived signed URLs; images keep addresses on the site
# (/media/images/…), served by lms.views.media_image so the HTTP cache keeps them.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "lms.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
        },
    }

# Origins a page may play video and audio from besides its own (CSP media-src): the bucket, where
# hosted_media.views redirects to signed URLs. Derived from the storage settings when not given.
MEDIA_SOURCE_ORIGINS = env.list("MEDIA_SOURCE_ORIGINS", default=[])
if AWS_STORAGE_BUCKET_NAME and not MEDIA_SOURCE_ORIGINS:
    _endpoint = urlparse(STORAGES["default"]["OPTIONS"]["endpoint_url"] or "")
    _region = STORAGES["default"]["OPTIONS"]["region_name"]
    _scheme, _host = _endpoint.scheme or "https", _endpoint.netloc
    if not _host:
        _host = f"s3.{_region}.amazonaws.com" if _region else "s3.amazonaws.com"
    if STORAGES["default"]["OPTIONS"]["addressing_style"] == "virtual":
        _host = f"{AWS_STORAGE_BUCKET_NAME}.{_host}"
    MEDIA_SOURCE_ORIGINS = [f"{_scheme}://{_host}"]

# A PostgreSQL streaming replica for dashboards, exports and survey results (lms.replica).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 2},
        # Tests read the replica alias from the primary's test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["lms.replica.ReplicaRouter"]

# An HTTP cache (Varnish, deploy/varnish/lms.vcl) in front of the web processes: Wagtail's
# frontend cache purges a page, its ancestors and, on a move, its old address, on every change.
FRONTEND_CACHE_URLS = env.list("FRONTEND_CACHE_URLS", default=[])
INSTALLED_APPS.insert(
    INSTALLED_APPS.index("wagtail.contrib.settings"), "wagtail.contrib.frontend_cache"
)
WAGTAILFRONTENDCACHE = {
    f"varnish{number}": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": url,
    }
    for number, url in enumerate(FRONTEND_CACHE_URLS, start=1)
}
