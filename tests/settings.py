"""Test settings: the project's settings, with a secret key and fast password hashing.
DATABASE_URL / CELERY_BROKER_URL still come from the environment, so the same suite runs on
SQLite (embedded) and on PostgreSQL with a real worker (services run)."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="parindex-test-media-"))

from parindex.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
