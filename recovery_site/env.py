"""Read settings from the environment.

Each helper returns a safe default when the variable is unset and raises
``ImproperlyConfigured`` naming the variable when its value cannot be used, so a
typo stops start-up instead of silently running with the wrong configuration.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import available_timezones

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name):
    """Comma-separated IP addresses or CIDR networks (``10.0.0.1, 192.168.0.0/16``), as
    the network strings; an entry that is neither stops start-up naming it."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks such as 10.0.0.0/8, not {item!r}."
            ) from None
    return networks


def env_time_zone(name, default="UTC"):
    value = os.environ.get(name, default).strip()
    if value not in available_timezones():
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone name such as America/Chicago, not {value!r}."
        )
    return value


SQLITE_SCHEMES = {"sqlite"}
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def parse_database_url(url, *, name="DATABASE_URL", base_dir=Path(".")):
    """Turn ``postgres://user:pass@host:5432/db`` or ``sqlite:///path`` into a DATABASES entry."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme in SQLITE_SCHEMES:
        # sqlite:///relative.db is relative to the project; sqlite:////abs/path is absolute.
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfigured(f"{name} names no SQLite file: use sqlite:///db.sqlite3.")
        path = Path(path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path if path.is_absolute() else base_dir / path,
        }
    if scheme in POSTGRES_SCHEMES:
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ImproperlyConfigured(
                f"{name} names no database: use postgres://USER@HOST:5432/DATABASE."
            )
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"{name} must start with postgres:// or sqlite:///, not {parts.scheme or url!r}."
    )


REDIS_SCHEMES = {"redis", "rediss"}
CACHE_URL_FORMS = "locmem://, redis://HOST:6379/0 or dummy://"


def parse_cache_url(url, *, name="CACHE_URL"):
    """Turn ``locmem://``, ``redis://host:6379/0`` or ``dummy://`` into a CACHES entry."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the port is what finds a bad one
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme == "locmem":
        # Each gunicorn worker has its own: fine for one process, not shared between them.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc,
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in REDIS_SCHEMES:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} names no Redis host: use {CACHE_URL_FORMS}.")
        database = parts.path.strip("/")
        if database and not database.isdigit():
            raise ImproperlyConfigured(
                f"{name} must end with a Redis database number such as /0, not /{database}."
            )
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.strip(),
            # A Redis that stops answering slows pages by at most a second, not a minute.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    raise ImproperlyConfigured(f"{name} must be one of {CACHE_URL_FORMS}, not {url!r}.")
