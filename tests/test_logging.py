"""The logs keep no visitor's address, and no request can write a line of its own in them.

A real gunicorn with gunicorn.conf.py, its access and error logs captured in one file. The
"visitor" connects from a loopback address of its own, 127.0.0.3, so any trace of it in the
logs can be searched for.
"""

import http.client
import logging
import secrets
import socket
import sys
import time

import pytest

from recovery_site.logging import OneLineFormatter, escape_control_characters, remove_addresses
from tests.servers import collected_static, gunicorn, migrated_sqlite_database

SERVER = "127.0.0.2"
VISITOR = "127.0.0.3"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    environment = {
        "DATABASE_URL": migrated_sqlite_database(tmp_path_factory),
        "HOST": SERVER,
        "ALLOWED_HOSTS": SERVER,
    }
    static_root = collected_static(tmp_path_factory)
    with gunicorn(static_root, tmp_path_factory.mktemp("logs"), **environment) as running:
        yield running


def log_once_written(server, text):
    """The log once ``text`` is in it (lines are written just after the response)."""
    deadline = time.monotonic() + 10
    while text not in server.log and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.log


def get(server, path, host=SERVER):
    connection = http.client.HTTPConnection(
        server.host, server.port, source_address=(VISITOR, 0), timeout=30
    )
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_request_gunicorn_cannot_read_is_logged_without_the_visitors_address(server):
    with socket.create_connection((server.host, server.port), source_address=(VISITOR, 0)) as raw:
        raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = raw.recv(1024)

    assert answer.startswith(b"HTTP/1.1 400")
    log = log_once_written(server, "Invalid request")
    [line] = [line for line in log.splitlines() if "Invalid request" in line]
    assert "(address removed)" in line
    assert VISITOR not in log


def test_control_characters_in_a_path_cannot_forge_a_log_line(server):
    forged = '[01/Jan/2030:00:00:00 +0000] "GET /admin/" 200 0 1ms'
    path = "/nowhere/%0d%0a" + forged.replace(" ", "%20").replace('"', "%22") + "%1b[2K%00"

    status = get(server, path)  # refused or not found: what matters here is the log

    log = log_once_written(server, '"GET /nowhere/')
    assert not [line for line in log.splitlines() if line.startswith(forged)], log
    assert "\x1b" not in log
    assert "\x00" not in log
    [access] = [line for line in log.splitlines() if '"GET /nowhere/' in line]
    assert "/nowhere/\\x0d\\x0a[01/Jan/2030" in access
    assert f'\\x1b[2K\\x00" {status} ' in access  # the request's whole path, status and all


def test_a_bad_host_header_is_one_line_without_a_traceback(server):
    host = f"robot-{secrets.token_hex(4)}.example"

    assert get(server, "/about/", host=host) == 400

    log = log_once_written(server, host)
    time.sleep(0.2)  # anything logged after the line would come now
    lines = [line for line in server.log.splitlines() if host in line]
    assert lines == [
        f"ERROR django.security.DisallowedHost: Invalid HTTP_HOST header: '{host}'. "
        f"You may need to add '{host}' to ALLOWED_HOSTS."
    ]
    assert "Traceback" not in log


def test_the_start_up_lines_name_no_address(server):
    # Not a visitor's, but the filter takes every address out of gunicorn's error log.
    assert f"Listening at: http://(address removed):{server.port}" in server.log


# The pieces, on their own


@pytest.mark.parametrize(
    ("message", "cleaned"),
    [
        (
            "Invalid request from ip=203.0.113.9: bad",
            "Invalid request from ip=(address removed): bad",
        ),
        ("from 2001:db8::1 and ::1", "from (address removed) and (address removed)"),
        ("mapped ::ffff:192.0.2.1 here", "mapped (address removed) here"),
        ("at 12:30:45, version 1.2.3, 999.1.1.1", "at 12:30:45, version 1.2.3, 999.1.1.1"),
    ],
)
def test_addresses_are_removed_and_nothing_else(message, cleaned):
    assert remove_addresses(message) == cleaned


def test_control_characters_are_written_as_escapes():
    assert (
        escape_control_characters("a\r\nb\tc\x1b\x7f\u2028d")
        == "a\\x0d\\x0ab\\x09c\\x1b\\x7f\\u2028d"
    )


def test_one_line_formatter_leaves_out_the_traceback_and_escapes_the_message():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "django.security.DisallowedHost",
            logging.ERROR,
            __file__,
            1,
            "Invalid HTTP_HOST header: %s",
            ("evil\r\nFAKE LINE",),
            sys.exc_info(),
        )

    line = OneLineFormatter("%(levelname)s %(name)s: %(message)s").format(record)

    assert line == (
        "ERROR django.security.DisallowedHost: Invalid HTTP_HOST header: evil\\x0d\\x0aFAKE LINE"
    )
    # Other handlers of the same record still get the traceback.
    assert "Traceback" in logging.Formatter().format(record)
