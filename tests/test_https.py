"""HTTPS behind a proxy, the security headers, and Django's deployment checks.

The production settings come from README "Serving in production" (its ``sh`` block), so
the settings the README tells people to use are the ones tested here.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.observatory import observatory_score
from tests.servers import collected_static, gunicorn, migrated_sqlite_database

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "directory.example.org"


def readme_production_environment():
    """The variables README "Serving in production" lists, with a real random SECRET_KEY in
    place of its "…"."""
    section = (PROJECT_DIR / "README.md").read_text().split("## Serving in production", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]
    environment = {}
    for line in block.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            environment[name] = value
    assert environment["SECRET_KEY"] == "…"
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    return environment


def run_manage(*args, **environment):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_find_nothing_to_warn_about_with_the_readme_production_settings():
    environment = readme_production_environment()
    assert environment["DEBUG"] == "false"

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_checks_still_warn_when_https_is_turned_off():
    # The check above means something: without the redirect and HSTS Django does warn.
    environment = readme_production_environment()
    environment.update(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)

    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


SECURITY_SETTINGS = [
    "ALLOWED_HOSTS",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
]


def settings_with(**environment):
    """The security settings the project reads from ``environment``, in a process of its own."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "recovery_site.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production_settings():
    return settings_with(**readme_production_environment())


def test_production_turns_https_on_and_development_leaves_it_off(production_settings):
    development = settings_with(DEBUG="true")

    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_HSTS_PRELOAD"] is True
    assert production_settings["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}"]
    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SECURE_HSTS_SECONDS"] == 0
    assert development["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert development["SECURE_HSTS_PRELOAD"] is False


def test_production_sends_hsts_for_a_year_even_when_only_the_essentials_are_set():
    essentials = settings_with(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50))

    assert essentials["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    # A redirect loop behind an untrusted proxy would lock everyone out: asked for, not assumed.
    assert essentials["SECURE_SSL_REDIRECT"] is False


def test_hsts_age_and_the_proxy_header_are_read_from_the_environment():
    chosen = settings_with(
        DEBUG="true",
        SECURE_HSTS_SECONDS="63072000",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )

    assert chosen["SECURE_HSTS_SECONDS"] == 63072000
    assert chosen["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}, "SECURE_PROXY_SSL_HEADER"),
        ({"SECURE_HSTS_SECONDS": "one year"}, "SECURE_HSTS_SECONDS"),
        ({"SECURE_SSL_REDIRECT": "always"}, "SECURE_SSL_REDIRECT"),
    ],
)
def test_a_bad_https_setting_stops_start_up_naming_it(environment, variable):
    result = run_manage("check", DEBUG="true", **environment)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr


# The headers, scored by the Mozilla HTTP Observatory's rules (tests/observatory.py)


@pytest.fixture
def production(settings, production_settings):
    """The security settings as production has them. (Static files stay as in development,
    linked by their plain names, so no collectstatic is needed: that changes no header.)"""
    for name, value in production_settings.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/search/?q=counseling&near=Chicago%2C+IL", "/suggest/", "/api/v1/listings/"],
    ids=["home", "search", "suggestion form (sets a cookie)", "API"],
)
def test_headers_score_an_a_plus_with_bonus_points(client, production, path):
    score, results = observatory_score(client, path, host=HOST)

    assert score >= 120, results
    assert results["strict-transport-security"] == "hsts-implemented-max-age-at-least-six-months"
    assert results["redirection"] == "redirection-to-https"
    assert results["cross-origin-resource-policy"] == "corp-implemented-with-same-origin"


@pytest.mark.django_db
def test_pages_allow_the_location_to_the_site_only_and_nothing_else_powerful(client, production):
    response = client.get("/", secure=True, headers={"host": HOST})

    policy = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert policy.pop("geolocation") == "(self)"
    assert {"camera", "microphone", "payment"} <= policy.keys()
    assert set(policy.values()) == {"()"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_open_data_stays_readable_from_other_sites(client, production):
    # CORP only governs "no-cors" loads (an <img> or <script> pointing here); a fetch() from
    # another site is a CORS request, which Access-Control-Allow-Origin: * allows.
    response = client.get(
        "/api/v1/listings/", secure=True, headers={"host": HOST, "origin": "https://other.example"}
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


# Behind a proxy on another host: a real gunicorn with gunicorn.conf.py

SERVER = "127.0.0.2"  # the machine gunicorn runs on
PROXY = "127.0.0.3"  # the HTTPS proxy, listed in TRUSTED_PROXIES
STRANGER = "127.0.0.4"  # anyone else who can reach gunicorn and claims HTTPS


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory):
    environment = {
        **readme_production_environment(),
        "DATABASE_URL": migrated_sqlite_database(tmp_path_factory),
        "CACHE_URL": "locmem://",
        "HOST": SERVER,
        "TRUSTED_PROXIES": PROXY,
    }
    static_root = collected_static(tmp_path_factory)
    with gunicorn(static_root, tmp_path_factory.mktemp("logs"), **environment) as server:
        yield server


def request(server, method, path, *, source, body=None, **headers):
    """One request from the loopback address ``source``, as a proxy would send it."""
    connection = http.client.HTTPConnection(
        server.host, server.port, source_address=(source, 0), timeout=30
    )
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def test_https_through_a_trusted_proxy_is_secure_and_forms_pass_the_csrf_check(behind_a_proxy):
    status, headers, html = request(
        behind_a_proxy, "GET", "/suggest/", source=PROXY, **{"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    cookie = re.search(r"csrftoken=([^;]+);.*Secure", headers["Set-Cookie"])[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    status, _headers, html = request(
        behind_a_proxy,
        "POST",
        "/suggest/",
        source=PROXY,
        body=urlencode({"csrfmiddlewaretoken": token}),
        **{
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Cookie": f"csrftoken={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )

    # Through the CSRF check to the form, which asks for what is missing.
    assert status == 400
    assert "Choose what kind of help it is." in html
    assert "We could not accept the form" not in html


def test_a_client_that_is_not_a_trusted_proxy_cannot_claim_https(behind_a_proxy):
    status, headers, _html = request(
        behind_a_proxy, "GET", "/suggest/", source=STRANGER, **{"X-Forwarded-Proto": "https"}
    )

    assert status == 301
    assert headers["Location"] == f"https://{HOST}/suggest/"
    assert "Strict-Transport-Security" not in headers
