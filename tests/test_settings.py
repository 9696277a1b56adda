"""Settings come from the environment; a bad value stops start-up and names the variable."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from recovery_site.env import (
    env_bool,
    env_list,
    env_time_zone,
    parse_cache_url,
    parse_database_url,
)
from tests.helpers import PROJECT_DIR, run_manage, run_manage_check


def test_postgres_url_becomes_a_postgresql_database():
    database = parse_database_url("postgres://curator:s%40cret@db.example.org:6543/directory")

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "directory",
        "USER": "curator",
        "PASSWORD": "s@cret",
        "HOST": "db.example.org",
        "PORT": "6543",
        "OPTIONS": {},
    }


def test_postgres_url_options_are_passed_to_the_driver():
    database = parse_database_url("postgresql://u@h/db?sslmode=require")

    assert database["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url_is_relative_to_the_project_unless_absolute():
    base = Path("/srv/project")

    assert parse_database_url("sqlite:///db.sqlite3", base_dir=base)["NAME"] == base / "db.sqlite3"
    assert parse_database_url("sqlite:////tmp/x.db", base_dir=base)["NAME"] == Path("/tmp/x.db")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/db", "must start with postgres:// or sqlite:///"),
        ("postgres://user@localhost:5432/", "names no database"),
        ("postgres://user@localhost:notaport/db", "is not a valid URL"),
        ("sqlite://", "names no SQLite file"),
    ],
)
def test_bad_database_urls_are_refused_by_name(url, message):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL") as error:
        parse_database_url(url)

    assert message in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("True", True), ("on", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)

    assert env_bool("SOME_FLAG") is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " example.org, ,www.example.org ")

    assert env_list("HOSTS") == ["example.org", "www.example.org"]


def test_env_time_zone_refuses_unknown_zones(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Mars/Olympus_Mons")

    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE must be an IANA time zone"):
        env_time_zone("TIME_ZONE")


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "true", "TIME_ZONE": "Chicago"}, "TIME_ZONE"),
        ({"DEBUG": "true", "DATABASE_URL": "oracle://x/y"}, "DATABASE_URL"),
        ({"DEBUG": "true", "DB_CONN_MAX_AGE": "forever"}, "DB_CONN_MAX_AGE"),
    ],
)
def test_start_up_stops_with_a_message_naming_the_bad_variable(environment, variable):
    result = run_manage_check(**environment)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr


def test_production_start_up_works_with_a_secret_key():
    result = run_manage_check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_env_example_lists_every_variable_settings_read():
    settings_source = (PROJECT_DIR / "recovery_site" / "settings.py").read_text()
    example = (PROJECT_DIR / ".env.example").read_text()
    read_names = {
        line.split('("', 1)[1].split('"', 1)[0]
        for line in settings_source.splitlines()
        if "env_" in line and '("' in line
    }

    assert read_names  # the parsing above found the env_* calls
    for name in read_names:
        assert f"{name}=" in example, f"{name} is read by settings but missing from .env.example"


def test_manage_py_like_the_web_server_runs_with_debug_off_unless_told():
    result = run_manage_check()  # no DEBUG, no SECRET_KEY: a curator's shell on the server

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert run_manage_check(DEBUG="true").returncode == 0  # what `make` sets

    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    server = subprocess.run(
        [sys.executable, "-c", "import recovery_site.wsgi"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert server.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in server.stderr


def table_counts(database):
    with closing(sqlite3.connect(database)) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def test_load_demo_refuses_a_production_database_when_debug_is_not_set(tmp_path):
    # The production environment as a curator's shell has it: DATABASE_URL and SECRET_KEY,
    # and DEBUG simply not mentioned.
    database = tmp_path / "production.sqlite3"
    production = {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "x" * 50}
    migrated = run_manage("migrate", "--no-input", **production)
    assert migrated.returncode == 0, migrated.stderr
    before = table_counts(database)

    result = run_manage("load_demo", **production)

    assert result.returncode != 0
    assert "load_demo fills the database with invented listings" in result.stderr
    assert "only runs with DEBUG=true" in result.stderr
    assert table_counts(database) == before


# The cache (CACHE_URL)


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("redis://cache.internal:6379/2", "django.core.cache.backends.redis.RedisCache", None),
        ("rediss://:pw@cache.internal:6380", "django.core.cache.backends.redis.RedisCache", None),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
    ],
)
def test_cache_url_chooses_the_cache(url, backend, location):
    cache = parse_cache_url(url)

    assert cache["BACKEND"] == backend
    if backend.endswith("RedisCache"):
        assert cache["LOCATION"] == url
    elif location is not None:
        assert cache["LOCATION"] == location


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memcached://127.0.0.1:11211", "must be one of locmem://, redis://"),
        ("redis://", "names no Redis host"),
        ("redis://127.0.0.1:6379/cache", "must end with a Redis database number"),
        ("redis://127.0.0.1:port/0", "is not a valid URL"),
        ("127.0.0.1:6379", "must be one of locmem://, redis://"),
    ],
)
def test_bad_cache_urls_are_refused_by_name(url, message):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL") as error:
        parse_cache_url(url)

    assert message in str(error.value)


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL"),
        ({"HOME_COUNTS_CACHE_SECONDS": "five minutes"}, "HOME_COUNTS_CACHE_SECONDS"),
        ({"SUBMISSIONS_PER_HOUR": "lots"}, "SUBMISSIONS_PER_HOUR"),
    ],
)
def test_start_up_stops_on_bad_serving_settings(environment, variable):
    result = run_manage_check(DEBUG="true", **environment)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr


def run_python(code, **environment):
    """Run ``code`` with the project's settings loaded, in a process of its own."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "recovery_site.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_redis_cache_is_shared_between_processes(redis_url):
    run_python(
        "from django.core.cache import cache; cache.set('shared', 'yes')", CACHE_URL=redis_url
    )

    seen = run_python(
        "from django.core.cache import cache; print(cache.get('shared'))", CACHE_URL=redis_url
    )

    assert seen == "yes"


def test_locmem_cache_is_each_process_own():
    run_python("from django.core.cache import cache; cache.set('shared', 'yes')")

    seen = run_python("from django.core.cache import cache; print(cache.get('shared'))")

    assert seen == "None"


# Production settings (DEBUG off)

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 50}


def test_production_compiles_each_template_once_per_process():
    loaders = run_python(
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print(type(loader).__module__, [type(l).__module__ for l in loader.loaders])",
        **PRODUCTION,
    )

    assert loaders == (
        "django.template.loaders.cached "
        "['django.template.loaders.filesystem', 'django.template.loaders.app_directories']"
    )


def test_production_keeps_database_connections_and_checks_them():
    database = run_python(
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])",
        **PRODUCTION,
        DB_CONN_MAX_AGE="300",
    )

    assert database == "300 True"


def test_production_serves_hashed_compressed_static_files_and_development_the_sources():
    show = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"

    assert (
        run_python(show, **PRODUCTION) == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert run_python(show, DEBUG="true") == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_whitenoise_answers_before_the_rest_of_the_site():
    from django.conf import settings

    security = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    assert settings.MIDDLEWARE[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


def test_curation_settings_other_features_rely_on():
    from django.conf import settings

    assert settings.SUBMISSIONS_PER_HOUR == 5
    assert settings.IMPORT_EXPORT_USE_TRANSACTIONS is True
    assert settings.IMPORT_EXPORT_SKIP_ADMIN_LOG is False
    assert settings.IMPORT_EXPORT_IMPORT_PERMISSION_CODE == "change"
    assert settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE == "view"
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is False
    assert settings.SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD is True


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile_the_sites_short_queries():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
