"""Read replicas: a real streaming standby of a PostgreSQL cluster this module owns.

The primary is made with ``initdb``, the standby with ``pg_basebackup -R`` from it, and both
log every statement, so each test reads in the servers' own logs where a query ran. gunicorn
serves with ``DATABASE_URL`` on the primary and ``DATABASE_REPLICA_URLS`` on the standby.
"""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from recovery_site.replicas import reads_from_primary
from tests.helpers import suggestion_data
from tests.pg_cluster import Cluster, owned_cluster, require_bin_dir
from tests.servers import gunicorn

pytestmark = pytest.mark.postgresql

DATABASE = "recovery_replicas"
LOG_EVERY_STATEMENT = {"log_statement": "'all'", "log_min_duration_statement": "-1"}


def seed(cluster, word):
    """A published listing whose name holds ``word``, written on the primary."""
    code = f"""
from tests.factories import make_clinician
from resources.search_index import refresh_search_index
make_clinician(
    name="{word} Counseling", slug="{word.lower()}", description="Counseling for {word}."
)
refresh_search_index()
"""
    cluster.django(DATABASE, "shell", "--no-imports", "-c", code)


def wait_for_replay(primary, standby, timeout=30):
    """Until the standby has replayed everything the primary has written so far."""
    [[target]] = primary.sql("SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [[caught_up]] = standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if caught_up == "t":
            return
        time.sleep(0.1)
    raise AssertionError(f"the standby did not catch up:\n{standby.log[-2000:]}")


def fetch(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def new_visitor():
    """A browser of its own: its own cookie jar, no cookies yet."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


@pytest.fixture(scope="module")
def replicated_site(static_root, tmp_path_factory):
    """(gunicorn, primary, standby): the site reading from a streaming standby."""
    with owned_cluster(LOG_EVERY_STATEMENT) as primary:
        primary.create_database(DATABASE)
        primary.django(DATABASE, "migrate", "--no-input")
        backup = primary.directory / "backup"
        primary.server_program(
            "pg_basebackup", "--dbname", primary.url("postgres"), "-D", backup,
            "--format=tar", "--gzip", "--wal-method=fetch", "--write-recovery-conf",
            timeout=300,
        )  # fmt: skip
        standby = Cluster.from_base_backup(require_bin_dir(), backup)
        try:
            standby.start()
            assert standby.sql("SELECT pg_is_in_recovery()") == [["t"]], standby.log
            with gunicorn(
                static_root,
                tmp_path_factory.mktemp("logs"),
                DATABASE_URL=primary.url(DATABASE),
                DATABASE_REPLICA_URLS=standby.url(DATABASE),
                WEB_THREADS="2",
                # Plain HTTP here: the CSRF cookie must come back without HTTPS.
                SECURE_COOKIES="false",
            ) as server:
                yield server, primary, standby
        finally:
            standby.remove()


def log_marks(*clusters):
    """Where each cluster's log ends now: ``ran_on`` reads only what comes after."""
    return {cluster: len(cluster.log) for cluster in clusters}


def ran_on(cluster, text, marks):
    """Whether ``cluster`` ran a statement containing ``text`` since ``marks``."""
    lines = cluster.log[marks[cluster] :].splitlines()
    return any(text in line for line in lines if "statement:" in line)


def test_a_visitors_search_reads_from_the_replica(replicated_site):
    server, primary, standby = replicated_site
    word = f"Replica{uuid.uuid4().hex[:8]}"
    seed(primary, word)
    wait_for_replay(primary, standby)
    marks = log_marks(primary, standby)

    status, page = fetch(new_visitor(), f"{server.url}/search/?q={word.lower()}")

    assert status == 200, server.log[-3000:]
    assert f"{word} Counseling" in page
    assert ran_on(standby, word.lower(), marks)
    assert not ran_on(primary, word.lower(), marks)


def test_the_api_reads_from_the_replica(replicated_site):
    server, primary, standby = replicated_site
    word = f"Api{uuid.uuid4().hex[:8]}"
    seed(primary, word)
    wait_for_replay(primary, standby)
    marks = log_marks(primary, standby)

    status, body = fetch(new_visitor(), f"{server.url}/api/v1/listings/?q={word.lower()}")

    assert status == 200
    assert f"{word} Counseling" in body
    assert ran_on(standby, word.lower(), marks)
    assert not ran_on(primary, word.lower(), marks)


def test_a_form_writes_to_the_primary_and_its_sender_reads_there_too(replicated_site):
    server, primary, standby = replicated_site
    visitor = new_visitor()
    status, form = fetch(visitor, f"{server.url}/suggest/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    name = f"Suggested{uuid.uuid4().hex[:8]}"
    fields = suggestion_data(csrfmiddlewaretoken=token, name=name)
    marks = log_marks(primary, standby)

    status, thanks = fetch(
        visitor, f"{server.url}/suggest/", data=urllib.parse.urlencode(fields).encode()
    )

    assert status == 200, thanks[:2000]
    reference = re.search(r"RS-[0-9A-Z]{6}", thanks).group(0)
    # The write went to the primary (the standby would have refused it), and the
    # thank-you page that followed read the new row there, with no lag to wait for.
    assert primary.sql(
        f"SELECT name FROM moderation_submission WHERE reference = '{reference}'", DATABASE
    ) == [[name]]
    assert ran_on(primary, name, marks)
    assert not ran_on(standby, name, marks)
    assert not ran_on(standby, reference, marks)


def test_a_visitor_with_the_sites_cookie_reads_from_the_primary(replicated_site):
    """Read your writes: whoever carries a cookie of ours (a curator's session, the CSRF
    cookie of a form just sent) may have just written, so reads where the rows are now."""
    server, primary, standby = replicated_site
    word = f"Cookie{uuid.uuid4().hex[:8]}"
    request = urllib.request.Request(
        f"{server.url}/search/?q={word.lower()}", headers={"Cookie": "csrftoken=abc"}
    )
    marks = log_marks(primary, standby)

    status, _page = fetch(new_visitor(), request)

    assert status == 200
    assert ran_on(primary, word.lower(), marks)
    assert not ran_on(standby, word.lower(), marks)


@pytest.mark.parametrize(
    "method, path, cookies, primary",
    [
        ("GET", "/search/?q=detox", {}, False),
        ("HEAD", "/listings/lakeside/", {}, False),
        ("GET", "/api/v1/listings/", {}, False),
        ("POST", "/suggest/", {}, True),
        ("GET", "/admin/resources/listing/", {}, True),
        ("GET", "/search/?q=detox", {"sessionid": "x"}, True),
        ("GET", "/search/?q=detox", {"csrftoken": "x"}, True),
        ("GET", "/search/?q=detox", {"other": "x"}, False),
    ],
)
def test_which_requests_read_from_the_primary(rf, method, path, cookies, primary):
    request = rf.generic(method, path)
    request.COOKIES.update(cookies)

    assert reads_from_primary(request) is primary


def test_searches_go_on_from_the_primary_while_the_replica_is_stopped(replicated_site):
    server, primary, standby = replicated_site
    word = f"Failover{uuid.uuid4().hex[:8]}"
    seed(primary, word)
    marks = log_marks(primary, standby)
    standby.stop(mode="fast")
    try:
        answers = [fetch(new_visitor(), f"{server.url}/search/?q={word.lower()}") for _ in range(4)]
    finally:
        standby.start()

    assert [status for status, _page in answers] == [200] * 4
    assert all(f"{word} Counseling" in page for _status, page in answers)
    assert ran_on(primary, word.lower(), marks)
    assert "unreachable; reading from the primary" in server.log
