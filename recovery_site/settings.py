"""Settings for the Recovery Support Directory.

Every knob is read from the environment (see ``.env.example``); the defaults run
locally on SQLite. A value that cannot be used stops start-up with a message
naming the variable.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from recovery_site.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    parse_cache_url,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=true for local development)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver serves static files through WhiteNoise too, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    "resources",
    "groups",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ compressed and cached for a year, before anything else does work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records which curator made each change in the listings' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "recovery_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Templates are read and compiled once per process, not on every request.
            # (Django does this by default; naming it keeps it so if loaders are ever listed.)
            # In development runserver empties this cache whenever a template changes.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                ),
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recovery_site.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "recovery_site.wsgi.application"

DATABASES = {
    "default": {
        **parse_database_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR),
        # Keep connections open between requests (seconds; 0 closes after each request),
        # checking they still work before reuse.
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    },
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compiling: it pays off for long reports, not for a page's queries of a few
    # milliseconds, and added about 100 ms to a search whose estimated cost crossed
    # jit_above_cost. DATABASE_URL may say otherwise (?options=-c%20jit%3Don).
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

# The cache holds the home page's counts and the rate limits' counters. With several
# gunicorn workers use Redis so that they share one: each worker has its own locmem.
CACHES = {"default": parse_cache_url(env_str("CACHE_URL", "locmem://"))}

# Seconds the home page's counts are kept. Saving or deleting a listing, meeting or
# fellowship refreshes them at once; bulk writes that bypass save() show after this long.
HOME_COUNTS_CACHE_SECONDS = env_int("HOME_COUNTS_CACHE_SECONDS", 300)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `manage.py collectstatic` gathers the files WhiteNoise serves in production.
# A relative path is taken from the project folder.
STATIC_ROOT = BASE_DIR / (env_str("STATIC_ROOT") or "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production every file gets its content's hash in its name (so browsers may keep it
    # for a year) and a gzip (and, with the brotli package, brotli) copy. That needs the
    # manifest collectstatic writes, so development serves the source files as they are.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Development (and tests) read static files from the source folders and see edits at once.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Anonymous visitors get no cookies: sessions and CSRF cookies are only set where
# a form or the admin needs them, never on plain browsing.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The browser itself refuses anything from another host: a second line of defence for
# the promise that no page sends anything about the visitor elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Listings not re-verified for this many days leave search and browse pages (their own
# page stays, marked out of date) until a curator verifies them again.
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 730)

# An address offered beside the "Report a problem" and "Suggest a resource" forms, for
# people who would rather write an email.
CORRECTIONS_EMAIL = env_str("CORRECTIONS_EMAIL", "corrections@example.org")

# Suggestions and reports a visitor may send in an hour before being asked to wait. The
# count is kept per IP address in the cache only, for at most the hour, never stored.
SUBMISSIONS_PER_HOUR = env_int("SUBMISSIONS_PER_HOUR", 5)
# How many reverse proxies in front of the site append to X-Forwarded-For; 0 trusts
# REMOTE_ADDR. Behind one proxy set 1, or every visitor shares the proxy's count.
SUBMISSIONS_PROXY_COUNT = env_int("SUBMISSIONS_PROXY_COUNT", 0)
# A plain-words page when a form arrives without its CSRF cookie (cookies blocked).
CSRF_FAILURE_VIEW = "moderation.views.csrf_failure"

# Curation: history and CSV import/export ------------------------------------------
# An import is all or nothing, and leaves a line in the admin's recent actions.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing changes listings, so it needs the change permission; exporting only viewing.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Curators may put a listing back as it was at any point of its history, and say why
# at any length.
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The open data API (issue: open data) --------------------------------------------
# Public, read-only data: any site may read it from a browser, with GET only.
CORS_URLS_REGEX = r"^/(api|hsds)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
from recovery_site.api_settings import *  # noqa: E402,F403
