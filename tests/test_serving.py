"""Production serving, tested against a real gunicorn started with gunicorn.conf.py.

Static files are gathered once with ``collectstatic`` into a temporary STATIC_ROOT, as a
deployment does, and every server here runs with DEBUG off.
"""

import gzip
import re
import time
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.helpers import PROJECT_DIR
from tests.servers import ONE_YEAR, free_port, gunicorn


@pytest.fixture(scope="module")
def server(static_root, tmp_path_factory):
    with gunicorn(static_root, tmp_path_factory.mktemp("logs")) as running:
        yield running


def test_gunicorn_access_log_leaves_out_what_visitors_typed_and_who_they_are(server):
    status, _headers, _body = server.get("/about/?q=my+secret+search&near=60614")
    assert status == 200

    time.sleep(0.2)  # the access log is written after the response
    request_lines = [line for line in server.log.splitlines() if '"GET ' in line]
    assert any('"GET /about/" 200' in line for line in request_lines), server.log
    assert "secret" not in server.log
    assert "60614" not in server.log
    assert not [line for line in request_lines if "127.0.0.1" in line]


def stylesheet_url(html):
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html)[1]


def test_pages_link_static_files_by_a_hashed_name_on_this_site(server):
    _status, _headers, body = server.get("/about/")

    html = body.decode()
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet_url(html))
    # The other languages' addresses are full URLs, as search engines want them; the
    # browser never fetches them.
    alternates = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)">', html)
    assert {urlsplit(url).netloc for url in alternates} == {urlsplit(server.url).netloc}
    html = re.sub(r'<link rel="alternate" [^>]*>', "", html)
    linked = re.findall(r'(?:href|src)="([^"#]+)"', html)
    assert not [url for url in linked if re.match(r"\s*(https?:)?//", url)], linked


def test_static_files_are_cached_for_a_year_and_compressed_when_asked(server):
    source = (PROJECT_DIR / "static" / "css" / "site.css").read_bytes()
    _status, _headers, body = server.get("/about/")
    url = stylesheet_url(body.decode())

    _status, plain_headers, plain = server.get(url)
    _status, gzip_headers, zipped = server.get(url, **{"Accept-Encoding": "gzip"})

    assert plain == source
    assert "Content-Encoding" not in plain_headers
    assert f"max-age={ONE_YEAR}" in plain_headers["Cache-Control"]
    assert "immutable" in plain_headers["Cache-Control"]
    assert gzip_headers["Content-Encoding"] == "gzip"
    assert len(zipped) < len(source) / 2
    assert gzip.decompress(zipped) == source
    assert "Accept-Encoding" in gzip_headers["Vary"]


def test_a_file_without_its_hash_is_not_kept_for_a_year(server):
    # Its content may change under the same name, so browsers must check again.
    _status, headers, _body = server.get("/static/css/site.css")

    assert f"max-age={ONE_YEAR}" not in headers["Cache-Control"]


# Persistent database connections (PostgreSQL: its own view of who is connected)


def backends_of(application_name):
    with connection.cursor() as cursor:
        # The test runs in a transaction, which would otherwise see its first snapshot.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_worker_keeps_its_database_connection_and_replaces_a_broken_one(static_root, tmp_path):
    application_name = f"serving-test-{free_port()}"
    database = connection.settings_dict["NAME"]
    environment = {
        "DATABASE_URL": (
            f"postgres://postgres@127.0.0.1:5432/{database}?application_name={application_name}"
        ),
        "DB_CONN_MAX_AGE": "600",
        # Nothing cached: every home page asks the database.
        "CACHE_URL": "dummy://",
        "WEB_THREADS": "1",
    }
    with gunicorn(static_root, tmp_path, **environment) as server:
        assert server.get("/")[0] == 200
        [first] = backends_of(application_name)
        assert server.get("/")[0] == 200
        assert backends_of(application_name) == [first]

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first])
        time.sleep(0.2)
        # The health check finds the connection dead and opens another: no error page.
        assert server.get("/")[0] == 200
        [second] = backends_of(application_name)
        assert second != first


@pytest.mark.postgresql
@pytest.mark.django_db
def test_with_no_connection_age_each_request_closes_its_connection(static_root, tmp_path):
    application_name = f"serving-test-{free_port()}"
    database = connection.settings_dict["NAME"]
    environment = {
        "DATABASE_URL": (
            f"postgres://postgres@127.0.0.1:5432/{database}?application_name={application_name}"
        ),
        "DB_CONN_MAX_AGE": "0",
        "CACHE_URL": "dummy://",
    }
    with gunicorn(static_root, tmp_path, **environment) as server:
        assert server.get("/")[0] == 200
        time.sleep(0.2)
        assert backends_of(application_name) == []
