"""Settings, all from the environment (12-factor, as cookiecutter-django does).

With nothing set the app runs embedded: SQLite in the project folder and Celery tasks
executed in-process. Set DATABASE_URL and CELERY_BROKER_URL to run on PostgreSQL with
Redis and real workers. Every variable is documented in the README.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (see README, 'Settings')."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"
# The placeholder of .env.example must never sign real sessions and password-reset links.
PLACEHOLDER_SECRET_KEYS = {"change-me-to-a-long-random-string", "change-me"}
if not DEBUG and (SECRET_KEY in PLACEHOLDER_SECRET_KEYS or SECRET_KEY.startswith("change-me")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is still the placeholder from .env.example: set a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "communes",
    "parindex",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "parindex.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: a session whose second step is not done reaches only that step.
    "parindex.two_factor.TwoFactorMiddleware",
    "parindex.middleware.RequestInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communes.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One embedded process serves pages and runs tasks; wait for locks rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "parindex.auth_backends.LoginThrottleBackend",  # first: refuses a locked-out username
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this much inactivity (every request renews the cookie), not 14 days after login.
SESSION_COOKIE_AGE = int(env.float("SESSION_IDLE_HOURS", default=8) * 3600)
SESSION_SAVE_EVERY_REQUEST = True
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_HOURS", default=24) * 3600

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, that
# username cannot log in for AXES_COOLOFF_MINUTES, whatever the password; the lockout page says so.
# Locking the username (not the address) also stops guessing spread over many addresses.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 wants the address among the lockout parameters. We lock the username, which rotating
    # user agents, cookies or addresses does not get round; locking an address would lock a whole
    # commune office behind one NAT address after a few typing mistakes.
    "axes.W006",
]

# Two-step verification (django-otp, TOTP + backup codes) for administrators and appraisers: optional
# unless this is on, when such an account must enrol before it can use anything else.
PARINDEX_REQUIRE_2FA_FOR_STAFF = env.bool("PARINDEX_REQUIRE_2FA_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = "PAR Index"
# The admin never shows a device's secret or QR code: whoever saw it could produce the person's codes.
# A superuser may still delete a lost device there (the person then enrols again).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A wrong code makes the next try wait 1, 2, 4, 8 … seconds (django-otp's exponential back-off).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Figures are formatted explicitly by the `vn` template filters (parindex/numbers.py), with the
# dot for thousands; automatic grouping would also turn years into "2.024" and ids inside HTML
# attributes into "1.234".
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["parindex.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence and report files are private: they are never given a public URL, only served by
# views that apply the visibility rule.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
EVIDENCE_MAX_UPLOAD_MB = env.int("EVIDENCE_MAX_UPLOAD_MB", default=20)
# Request limits (parindex.middleware refuses a larger body from its Content-Length, before reading
# it, with a Vietnamese page): the text of a form, and a whole upload (several evidence files).
# 10 MB of form text is a megabyte of Vietnamese text, percent-encoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=10000)
# Spreadsheet imports (parindex.xlsx_import): rows read at most, and the size a file may expand to.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_UNCOMPRESSED_MB = env.int("IMPORT_MAX_UNCOMPRESSED_MB", default=50)
REQUEST_MAX_UPLOAD_MB = env.int("REQUEST_MAX_UPLOAD_MB", default=max(100, 5 * EVIDENCE_MAX_UPLOAD_MB))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PAR Index <parindex@localhost>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: no broker configured means the embedded default, where tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# A message whose worker process died goes back to the queue; the redelivery finds the dead process
# recorded on the job and fails it at once (reports.liveness), so that the user can retry.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# An unreachable broker must answer within seconds, never hold a request (publishing is not retried:
# a job that could not be sent is saved as "not sent" and sent again later).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT, "socket_timeout": 10,
    "max_retries": 0, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT}
CELERY_TASK_PUBLISH_RETRY = False
# A running job stamps its heartbeat this often; three missed beats and it is considered dead.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=10)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {"reports.tasks.*": {"queue": "reports"}}
REPORT_TASK_TIME_LIMIT = env.int("REPORT_TASK_TIME_LIMIT", default=300)
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=30)
# Issued (signed) reports: the folder of trusted root/intermediate certificates (.pem, .crt, .cer)
# against which uploaded signatures are validated; e.g. the Ban Cơ yếu Chính phủ CA chain.
REPORT_TRUST_ANCHORS_DIR = env.path("REPORT_TRUST_ANCHORS_DIR", default=BASE_DIR / "trust-anchors")
# A signature that is intact but does not chain to a trusted anchor is refused unless this is on
# (it is then kept and shown as "chưa được tin cậy", never as valid).
REPORT_ACCEPT_UNTRUSTED_SIGNATURES = env.bool("REPORT_ACCEPT_UNTRUSTED_SIGNATURES", default=False)
# A PDF without any signature is refused unless this is on (it is then kept as "chưa ký số").
REPORT_ACCEPT_UNSIGNED = env.bool("REPORT_ACCEPT_UNSIGNED", default=False)
REPORT_ISSUED_MAX_UPLOAD_MB = env.int("REPORT_ISSUED_MAX_UPLOAD_MB", default=30)
# Optional: the agency's certificate (PKCS#12 file and its passphrase) with which the server signs and
# issues the report itself. Empty: off (the commune signs outside the system and uploads).
REPORT_SIGNING_PKCS12 = env("REPORT_SIGNING_PKCS12", default="")
REPORT_SIGNING_PKCS12_PASSPHRASE = env("REPORT_SIGNING_PKCS12_PASSPHRASE", default="")
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=100)
CELERY_BEAT_SCHEDULE = {
    "lock-passed-deadlines": {"task": "parindex.tasks.deadlines_enforce", "schedule": 15 * 60},
    "send-deadline-reminders": {"task": "parindex.tasks.deadline_reminders_send", "schedule": 24 * 3600},
    # Also sends again the jobs that could not be sent: once a minute, so they go soon after the broker is back.
    "fail-stuck-report-jobs": {"task": "reports.tasks.report_jobs_fail_stuck", "schedule": 60},
    "delete-old-report-files": {"task": "reports.tasks.report_files_purge", "schedule": 24 * 3600},
}
DEADLINE_REMINDER_DAYS = env.list("DEADLINE_REMINDER_DAYS", cast=int, default=[7, 2])

SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_HTTPS_PROXY", default=False) else None
# HTTPS only, once the site is served over TLS (README, "Deploying"): redirect plain HTTP and tell
# browsers to keep to HTTPS. The health check is exempt so that a container probe over plain HTTP
# still gets its answer.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
X_FRAME_OPTIONS = "SAMEORIGIN"  # evidence PDFs open in an iframe on the appraisal sheet
# parindex/csp.py holds the policy; report-only lets an operator try a change without breaking pages.
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
SILENCED_SYSTEM_CHECKS += [
    # security.W019 asks for X_FRAME_OPTIONS = "DENY". SAMEORIGIN is deliberate: the appraisal sheet
    # shows evidence PDFs in an iframe of the same site; other sites still cannot frame any page
    # (the Content-Security-Policy's frame-ancestors 'self' says the same).
    "security.W019",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
