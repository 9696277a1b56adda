"""Settings for the Recovery Support Directory.

Every knob is read from the environment (see ``.env.example``); the defaults run
locally on SQLite. A value that cannot be used stops start-up with a message
naming the variable.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from recovery_site.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    env_time_zone,
    parse_cache_url,
    parse_database_url,
)
from recovery_site.headers import map_tiles_origin
from recovery_site.replicas import REPLICA_PREFIX, replica_settings

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
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    # From the bottom up: each app imports only those above it in this list
    # (docs/architecture.md).
    "resources",
    "groups",
    "moderation",
    "exchange",
    "directory",
    "opendata",
    "guides",
    "demo",
    # Curators' accounts: sign-in lockout (axes) and the second step (django-otp, TOTP).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ compressed and cached for a year, before anything else does work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what it is given last, but only answers that hold no secret (BREACH):
    # anonymous visitors' pages, never the admin or a page with a CSRF token.
    "recovery_site.compression.PublicGZipMiddleware",
    # Cross-Origin-Resource-Policy and Permissions-Policy on every page and API answer.
    "recovery_site.headers.SecurityHeadersMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # 400 for a NUL or control character in the address; JSON errors under /api/ and /hsds/.
    "recovery_site.input_checks.InputChecks",
    # Visitors' GET and HEAD requests read from a replica when there are any.
    "recovery_site.replicas.ReplicaReads",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (/es/… is Spanish, anything else English,
    # since i18n_patterns in recovery_site/urls.py does not prefix English). Nothing sets a
    # language cookie, so a page's address always shows one language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells whether a curator's session has passed the second step, then sends those who
    # have not to it before any admin page (ADMIN_REQUIRE_2FA).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records which curator made each change in the listings' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Sees a view's exception before the middleware above it: a database that cannot be
    # reached answers 503 with Retry-After and the crisis numbers, not the 500 page.
    "recovery_site.outages.DatabaseOutageMiddleware",
    # Innermost: turns a sign-in refused by the lockout into the "too many wrong passwords"
    # page (accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
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

# Read replicas (streaming standbys of the primary), comma-separated: visitors' page views
# read from them in turn; the admin, forms, imports and signed-in curators use the primary
# (recovery_site/replicas.py). A replica that stops answering is skipped.
DATABASES.update(
    {
        f"{REPLICA_PREFIX}{number}": replica_settings(
            {
                **parse_database_url(url, base_dir=BASE_DIR),
                # Give up on a replica that does not answer quickly; the primary is there.
                "OPTIONS": {"connect_timeout": env_int("DB_REPLICA_CONNECT_TIMEOUT", 2)},
            },
            DATABASES["default"],
        )
        for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1)
    }
)
DATABASE_ROUTERS = ["recovery_site.replicas.ReplicaRouter"]

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

# The public site speaks English (at today's addresses) and Spanish (under /es/). Adding a
# language: README "Languages".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers as written in the United States in each language (CLDR es-US:
# a decimal point, as on US Spanish pages, not the comma of Spain).
FORMAT_MODULE_PATH = ["recovery_site.formats"]
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
# Street-map tiles for the results map, from a tile server the operator chooses: loaded
# only when a visitor presses "Show street map", which names the host. Empty (the
# default): the map shows only the state and county lines the site serves itself.
# https://tiles.example.org/{z}/{x}/{y}.png, with the credit the tile server asks for.
MAP_TILES_URL = env_str("MAP_TILES_URL").strip()
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION").strip()
MAP_TILES_ORIGIN = map_tiles_origin(MAP_TILES_URL)
if MAP_TILES_URL and not MAP_TILES_ATTRIBUTION:
    raise ImproperlyConfigured(
        "MAP_TILES_ATTRIBUTION must be set with MAP_TILES_URL: tile servers ask to be credited "
        "(such as: © OpenStreetMap contributors)."
    )
if MAP_TILES_ORIGIN:
    SECURE_CSP["img-src"].append(MAP_TILES_ORIGIN)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS and headers ----------------------------------------------------------------
# Behind an HTTPS proxy gunicorn learns that a request came over HTTPS from the proxy's
# X-Forwarded-Proto, believed only from TRUSTED_PROXIES (gunicorn.conf.py), and Django then
# sees request.is_secure(). Without it the admin's and the forms' POSTs fail the CSRF check.
# Send plain-HTTP visitors to the HTTPS address (off by default: behind a proxy that is
# not trusted, every request would be redirected again and again).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# Browsers remember to use only HTTPS for this long (seconds; sent on HTTPS responses only).
# On by default in production, where cookies are HTTPS-only already: a year, which the
# HSTS preload list asks for. Subdomains and preloading bind other hosts of the domain, so
# they are the owner's decision.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# For a server other than gunicorn, or a proxy that always sets the header: the name of
# the header that says "https" (X-Forwarded-Proto). Only when nothing but the proxy can
# reach the site, since anyone else could send the header too.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER").strip()
if _proxy_ssl_header:
    if not _proxy_ssl_header.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
            f"not {_proxy_ssl_header!r}."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# Other origins whose forms may post here, with their scheme (https://directory.example.org):
# needed when the proxy changes the Host header or the admin lives on another name.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Another site that opens this one in a window gets no handle on it (Django's default,
# named here beside the other headers). Cross-Origin-Resource-Policy and Permissions-Policy
# come from recovery_site/headers.py.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Listings not re-verified for this many days leave search and browse pages (their own
# page stays, marked out of date) until a curator verifies them again.
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 730)

# An address offered beside the "Report a problem" and "Suggest a resource" forms, for
# people who would rather write an email.
CORRECTIONS_EMAIL = env_str("CORRECTIONS_EMAIL", "corrections@example.org")

# Rate limits and proxies ----------------------------------------------------------
# The reverse proxies (IP addresses or CIDR networks) whose X-Forwarded-For is believed
# (recovery_site/clients.py). Empty: the connection's own address is the visitor's.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
if env_str("SUBMISSIONS_PROXY_COUNT").strip() not in ("", "0"):
    # Ignoring it would count everyone behind the proxy as one visitor.
    raise ImproperlyConfigured(
        "SUBMISSIONS_PROXY_COUNT is replaced by TRUSTED_PROXIES: list your reverse proxies' "
        "addresses or networks there (such as TRUSTED_PROXIES=10.0.0.0/8)."
    )
# Suggestions and reports a visitor may send in any hour before being asked to wait.
# Every count is kept in the cache under a keyed hash of the address, never the address.
SUBMISSIONS_PER_HOUR = env_int("SUBMISSIONS_PER_HOUR", 5)
# Meeting Guide feed requests a visitor may make in any minute (an intergroup's app
# polls far less often than that).
FEED_REQUESTS_PER_MINUTE = env_int("FEED_REQUESTS_PER_MINUTE", 60)
# Where Meeting Guide feeds too large for the cache are written, one file per feed and
# change of the data (exchange/meeting_guide/feed_files.py). A relative path is taken from
# the project folder.
FEEDS_DIR = BASE_DIR / (env_str("FEEDS_DIR") or "var/feeds")
# Days a suggestion or report keeps what its submitter wrote after a curator decides it
# (open ones lose the follow-up email this long after arrival); `manage.py
# purge_submissions`, run daily, erases the rest. See README "Suggestions and problem reports".
SUBMISSION_RETENTION_DAYS = env_int("SUBMISSION_RETENTION_DAYS", 180)
if SUBMISSION_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(
        f"SUBMISSION_RETENTION_DAYS must be 1 or more, not {SUBMISSION_RETENTION_DAYS}."
    )
# A plain-words page when a form arrives without its CSRF cookie (cookies blocked).
CSRF_FAILURE_VIEW = "moderation.views.csrf_failure"

# Curators' accounts: lockout and two-factor --------------------------------------
# The admin's path. Another than admin/ keeps it out of the way of robots that try
# /admin/ on every site; it is not a secret that protects anything on its own.
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must name a path such as admin/ or curators/.")
# The lockout check comes before the password check: a locked-out sign-in costs a cache
# lookup, never a password hash (about a second of CPU each, by design).
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After ADMIN_LOGIN_ATTEMPTS wrong passwords for one user name (from anywhere), or from one
# address (for any user names), signing in is refused for ADMIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_ATTEMPTS", 5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(f"ADMIN_LOGIN_ATTEMPTS must be 1 or more, not {AXES_FAILURE_LIMIT}.")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOCKOUT_MINUTES", 15))
if AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured("ADMIN_LOCKOUT_MINUTES must be 1 or more.")
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts while locked out do not lengthen the pause: it ends when it said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Counts live in the cache only, each for the cool-off, never in the database: use Redis
# (CACHE_URL) with several workers, or each worker counts on its own.
# If the cache cannot be reached, sign-ins go on without the lockout (accounts/lockout.py).
AXES_HANDLER = "accounts.lockout.FailOpenCacheHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_key"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
# The cache handler writes no rows, so axes' admin pages would always be empty.
AXES_ENABLE_ADMIN = False
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Axes warns that locmem is not shared between processes. Fine for one process (the
    # development server, one worker); several workers need Redis for every counter alike.
    # With dummy:// nothing is counted and nobody is ever locked out: that warning stays.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
# The second step: a code from an authenticator app (TOTP) after the password. Default: on
# in production, off for local development (DEBUG).
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Recovery Support Directory"
# Administrators remove a lost app in the admin; they never see another curator's secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Admin sessions end when the browser closes, and after ADMIN_SESSION_HOURS at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("ADMIN_SESSION_HOURS", 8) * 60 * 60

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
    "formatters": {
        "one_line": {
            "()": "recovery_site.logging.OneLineFormatter",
            "format": "%(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "one_line": {"class": "logging.StreamHandler", "formatter": "one_line"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # A bad Host header, a CSRF failure, an oversized form: what a visitor (or a robot)
        # sent, not a fault in the code, so one line each and no traceback.
        "django.security": {"handlers": ["one_line"], "level": "WARNING", "propagate": False},
    },
}
from recovery_site.api_settings import *  # noqa: E402,F403
