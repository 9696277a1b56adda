"""While the database cannot be reached, pages answer 503 with Retry-After and the crisis
numbers, the API answers 503 JSON, and kept listing pages are still served.

Two ways of taking the database away, both real:

* in this process, the site's connection is pointed at a port nothing listens on (PostgreSQL
  only: SQLite's in-memory test database cannot be closed without losing it);
* a PostgreSQL cluster this module owns (``tests/pg_cluster.py``) is restarted under load
  while a real gunicorn, started with ``gunicorn.conf.py``, serves from it.
"""

import json
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_clinician
from tests.pg_cluster import free_port, owned_cluster
from tests.servers import gunicorn

pytestmark = pytest.mark.postgresql

CRISIS_LINES = ("988", "1-800-662-4357")


@contextmanager
def database_unreachable():
    """The site's database refuses connections: its address now names a port nobody is on."""
    settings_dict = connection.settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(free_port())
    try:
        yield
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = saved


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    for line in CRISIS_LINES:
        assert line in response.text
    assert "back in a moment" in response.text


# Through the test client, the database unreachable in this process ------------------------


@pytest.mark.django_db(transaction=True)
def test_pages_that_must_be_made_answer_503_with_the_crisis_numbers(client):
    listing = make_clinician(name="Lakeside Counseling")

    with database_unreachable():
        search = client.get(reverse("directory:search"), {"q": "counseling"})
        meetings = client.get(reverse("directory:meeting_finder"))
        # Its page was never kept, so there is nothing to fall back on.
        never_kept = client.get(listing.get_absolute_url())

    for response in (search, meetings, never_kept):
        assert_outage_page(response)
    assert "Lakeside Counseling" not in never_kept.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    ["/api/v1/listings/?q=counseling", "/api/v1/meetings/", "/hsds/services"],
)
def test_the_api_answers_503_json_while_the_database_is_down(client, path):
    with database_unreachable():
        response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The directory's database is unavailable. Try again in a moment."
    }


@pytest.mark.django_db(transaction=True)
def test_a_kept_listing_page_past_its_minute_is_served_while_the_database_is_down(
    client, monkeypatch
):
    listing = make_clinician(name="Lakeside Counseling", phone="312-555-0142")
    url = listing.get_absolute_url()
    # Made at the 59th second of a minute just gone: kept for one second, so after a real
    # second it is past its minute, by the clock and in the cache alike.
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: a_minute_ago.replace(second=59))
        assert "312-555-0142" in client.get(url).text
    time.sleep(1.1)

    with database_unreachable():
        page = client.get(url)

    assert page.status_code == 200
    assert "Lakeside Counseling" in page.text
    assert "312-555-0142" in page.text


@pytest.mark.django_db(transaction=True)
def test_a_search_is_never_served_from_a_cache_even_while_the_database_is_down(client):
    make_clinician(name="Lakeside Counseling")
    search = reverse("directory:search") + "?q=lakeside"
    assert "Lakeside Counseling" in client.get(search).text

    with database_unreachable():
        assert_outage_page(client.get(search))


@pytest.mark.django_db(transaction=True)
def test_pages_are_made_again_once_the_database_is_back(client):
    listing = make_clinician(name="Lakeside Counseling")
    with database_unreachable():
        assert client.get(listing.get_absolute_url()).status_code == 503

    page = client.get(listing.get_absolute_url())
    api = client.get("/api/v1/listings/?q=lakeside")

    assert page.status_code == 200
    assert "Lakeside Counseling" in page.text
    assert [item["name"] for item in api.json()["results"]] == ["Lakeside Counseling"]


# A real gunicorn while its own PostgreSQL restarts -------------------------------------

SEED = """
from tests.factories import make_clinician
from resources.search_index import refresh_search_index
listing = make_clinician(name="Lakeside Counseling", phone="312-555-0142")
refresh_search_index()
print(listing.get_absolute_url())
"""
LOAD_PATHS = ["/", "LISTING", "/search/?q=counseling", "/api/v1/listings/?q=counseling"]
LOAD_THREADS = 4
# About 8 seconds in all: 2 before the restart, 3 with the database down, 2 after it is back.
SECONDS_BEFORE, DOWN_SECONDS, SECONDS_AFTER = 2, 3, 2
# Bounds, whatever the machine's speed: at most 100 requests a second from each thread.
REQUESTS_PER_THREAD, PAUSE = 1500, 0.01


def fetch(url):
    """(status, headers, body text, started at) of one request, whatever its status."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode(), started
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(), started


@pytest.fixture(scope="module")
def restartable_site(static_root, redis_url, tmp_path_factory):  # noqa: F811
    """gunicorn serving from a cluster of our own, and the cluster, and a listing's path.

    Two workers share a Redis of the test's own, as production's do: a page kept by one
    is there for the other."""
    with owned_cluster() as cluster:
        database = "recovery_h5_outage"
        cluster.create_database(database)
        cluster.django(database, "migrate", "--no-input")
        listing_path = cluster.django(database, "shell", "--no-imports", "-c", SEED).stdout.strip()
        with gunicorn(
            static_root,
            tmp_path_factory.mktemp("logs"),
            DATABASE_URL=cluster.url(database),
            CACHE_URL=redis_url,
            # bench.settings only lifts the API's per-visitor throttle: all of this load
            # comes from one address.
            DJANGO_SETTINGS_MODULE="bench.settings",
            WEB_CONCURRENCY="2",
            WEB_THREADS="2",
        ) as server:
            yield server, cluster, listing_path


def test_a_postgresql_restart_under_load_costs_no_500(restartable_site):
    server, cluster, listing_path = restartable_site
    paths = [listing_path if path == "LISTING" else path for path in LOAD_PATHS]
    for path in paths:  # warm: the kept pages made, the first connections open
        assert fetch(server.url + path)[0] == 200, path
    answers = []
    finished = threading.Event()

    def visitor(offset):
        for number in range(REQUESTS_PER_THREAD):
            if finished.is_set():
                return
            path = paths[(number + offset) % len(paths)]
            answers.append((path, *fetch(server.url + path)))
            time.sleep(PAUSE)

    visitors = [threading.Thread(target=visitor, args=(n,)) for n in range(LOAD_THREADS)]
    for thread in visitors:
        thread.start()
    try:
        time.sleep(SECONDS_BEFORE)
        cluster.stop(mode="fast")
        time.sleep(DOWN_SECONDS)
        cluster.start()
        back_at = time.monotonic()
        time.sleep(SECONDS_AFTER)
    finally:
        finished.set()
        for thread in visitors:
            thread.join(timeout=60)

    errors = [(path, status) for path, status, *_ in answers if status == 500]
    assert not errors, f"{len(errors)} of {len(answers)} answered 500: {errors[:10]}"
    outage = [answer for answer in answers if answer[1] != 200]
    assert outage, "the restart was never seen: no request answered anything but 200"
    for path, status, headers, body, _started in outage:
        assert status == 503, (path, status, body[:500])
        assert headers["Retry-After"] == "30"
        if path.startswith("/api/"):
            assert json.loads(body)["detail"]
        else:
            assert all(line in body for line in CRISIS_LINES), body
    # Pages kept before the restart stayed up through it.
    assert not [answer for answer in outage if answer[0] in ("/", listing_path)]
    # Once the database is back, the next requests are served: the broken connections are
    # noticed by the health check and opened again.
    after = [answer for answer in answers if answer[4] > back_at]
    assert after, "no request was made after the restart"
    assert {status for _path, status, *_ in after} == {200}
    for path in paths:
        status, _headers, body, _started = fetch(server.url + path)
        assert status == 200, (path, body[:500])


def test_with_the_database_stopped_the_site_answers_503_or_its_kept_pages(restartable_site):
    server, cluster, listing_path = restartable_site
    assert "312-555-0142" in fetch(server.url + listing_path)[2]
    cluster.stop(mode="fast")
    try:
        listing = fetch(server.url + listing_path)
        search = fetch(server.url + "/search/?q=counseling")
        api = fetch(server.url + "/api/v1/listings/?q=counseling")
    finally:
        cluster.start()

    status, _headers, body, _started = listing
    assert status == 200
    assert "312-555-0142" in body
    status, headers, body, _started = search
    assert (status, headers["Retry-After"]) == (503, "30")
    assert all(line in body for line in CRISIS_LINES)
    status, headers, body, _started = api
    assert (status, headers["Retry-After"], headers["Content-Type"]) == (
        503,
        "30",
        "application/json",
    )
    assert json.loads(body)["detail"]
    assert fetch(server.url + "/search/?q=counseling")[0] == 200
