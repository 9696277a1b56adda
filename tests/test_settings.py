"""Settings come from the environment; a bad value stops start-up and names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from recovery_site.env import env_bool, env_list, env_time_zone, parse_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent


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


def run_manage_check(**environment):
    """Start the project for real with the given environment, as a deployment would."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TIME_ZONE", "ALLOWED_HOSTS"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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


def test_manage_py_defaults_to_development_mode_but_the_web_server_does_not():
    result = run_manage_check()  # no DEBUG, no SECRET_KEY: a developer's shell

    assert result.returncode == 0, result.stderr

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
