"""Sources that sync themselves, and the change report of each run (issue 14).

Feeds are served by a real HTTP server on 127.0.0.1, in a thread: bytes chosen by each test,
with ETag and Last-Modified and 304 answers, a slow answer, an endless body, a 500 and
redirects; ``manage.py sync_sources`` fetches them as it would an intergroup's feed.
"""

import io
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange.changes import DETAIL_LIMIT
from exchange.models import RunOutcome, Source, SourceFormat, SyncRun
from exchange.sync.runs import sync_source
from groups.models import Meeting, MeetingStatus
from tests.factories import fellowship, make_curator

pytestmark = pytest.mark.django_db


class FeedHandler(BaseHTTPRequestHandler):
    """Answers each path as ``self.server.routes[path]`` says; remembers what it was sent."""

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
        elif route.get("sleep"):
            time.sleep(route["sleep"])
            self._send(200, b"[]")
        elif route.get("endless"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b" " * 65536)
            except OSError:
                pass
        elif route.get("status"):
            self._send(route["status"], b"", {"Location": route.get("location", "")})
        else:
            etag = route.get("etag", "")
            if etag and self.headers.get("If-None-Match") == etag:
                self._send(304, b"", {"ETag": etag})
            else:
                headers = {"ETag": etag, "Last-Modified": route.get("last_modified", "")}
                self._send(200, route["body"], headers)

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            if value:
                self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def feed_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(feed_server):
    feed_server.routes, feed_server.requests = {}, []
    feed_server.url = f"http://127.0.0.1:{feed_server.server_port}"
    return feed_server


def serve(server, path, rows, *, etag="", last_modified=""):
    body = json.dumps(rows).encode()
    server.routes[path] = {"body": body, "etag": etag, "last_modified": last_modified}


def row(slug, *, name=None, day=1, start="19:00", types=("O",)):
    """A Meeting Guide row of an invented intergroup in Dover, Delaware."""
    return {
        "name": name or f"Meeting {slug}",
        "slug": slug,
        "day": day,
        "time": start,
        "end_time": "23:00",
        "location": "Dover Hall",
        "address": "1 Main St",
        "city": "Dover",
        "state": "DE",
        "postal_code": "19901",
        "country": "US",
        "latitude": 39.16,
        "longitude": -75.52,
        "group": f"Group {slug}",
        "types": list(types),
    }


FOUR = [row("sunrise"), row("big-book", day=2), row("step-study", day=3), row("nooners", day=4)]


def make_source(server, name="Dover Intergroup", path="/feed", **fields):
    fields = {
        "url": server.url + path,
        "format": SourceFormat.MEETING_GUIDE,
        "fellowship": fellowship("AA"),
        "label": name,
        **fields,
    }
    return Source.objects.create(name=name, **fields)


def sync(*args):
    out = io.StringIO()
    try:
        call_command("sync_sources", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def hours_pass(hours):
    """As if ``hours`` had passed since every source's last fetch."""
    for source in Source.objects.exclude(last_fetched_at=None):
        source.last_fetched_at -= timedelta(hours=hours)
        Source.objects.filter(pk=source.pk).update(last_fetched_at=source.last_fetched_at)


def active_slugs(label="Dover Intergroup"):
    meetings = Meeting.objects.filter(source=label).exclude(status=MeetingStatus.INACTIVE)
    return sorted(meetings.values_list("source_slug", flat=True))


# Fetching and importing


def test_the_first_run_imports_and_the_second_gets_304_and_imports_nothing(server):
    serve(server, "/feed", FOUR, etag='"v1"', last_modified="Mon, 01 Jun 2026 10:00:00 GMT")
    source = make_source(server)

    output, error = sync()
    assert error is None
    assert output.splitlines() == [
        "Dover Intergroup: imported: 4 created, 0 updated, 0 unchanged, 0 deactivated, "
        "0 rows skipped"
    ]
    assert active_slugs() == ["big-book", "nooners", "step-study", "sunrise"]
    first = SyncRun.objects.get()
    assert (first.outcome, first.http_status, first.created) == (RunOutcome.IMPORTED, 200, 4)
    assert sorted(entry["slug"] for entry in first.changes["created"]) == sorted(active_slugs())
    source.refresh_from_db()
    assert (source.etag, source.last_modified) == ('"v1"', "Mon, 01 Jun 2026 10:00:00 GMT")

    hours_pass(24)
    output, error = sync()
    assert output.splitlines() == ["Dover Intergroup: not changed since the last fetch"]
    path, headers = server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 01 Jun 2026 10:00:00 GMT"
    second = SyncRun.objects.latest("pk")
    assert second.outcome == RunOutcome.NOT_CHANGED
    assert (second.created, second.updated, second.deactivated) == (0, 0, 0)
    assert Meeting.objects.count() == 4


def test_force_fetches_whole_and_finds_nothing_changed(server):
    serve(server, "/feed", FOUR, etag='"v1"')
    make_source(server)
    sync()

    output, _ = sync("--force")

    assert "If-None-Match" not in server.requests[-1][1]
    assert output.splitlines() == [
        "Dover Intergroup: imported: 0 created, 0 updated, 4 unchanged, 0 deactivated, "
        "0 rows skipped"
    ]
    assert SyncRun.objects.latest("pk").changes == {"created": [], "updated": [], "deactivated": []}


def test_a_changed_feed_reports_each_field_before_and_after(server, admin_client):
    serve(server, "/feed", FOUR, etag='"v1"')
    make_source(server)
    sync()
    changed = [
        row("sunrise", name="Sunrise Serenity", start="07:00"),
        row("big-book", day=2, types=("O", "W")),
        *FOUR[2:],
    ]
    serve(server, "/feed", changed, etag='"v2"')
    hours_pass(24)

    sync()

    run = SyncRun.objects.latest("pk")
    assert (run.outcome, run.created, run.updated, run.unchanged) == ("imported", 0, 2, 2)
    by_slug = {entry["slug"]: entry["fields"] for entry in run.changes["updated"]}
    assert by_slug["sunrise"] == {
        "name": ["Meeting sunrise", "Sunrise Serenity"],
        "start_time": ["19:00", "07:00"],
    }
    assert by_slug["big-book"] == {"types": ["O", "O, W"]}

    page = admin_client.get(reverse("admin:exchange_syncrun_change", args=[run.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>Meeting sunrise</td><td>Sunrise Serenity</td>" in html.replace("\n", "")
    assert "<td>19:00</td><td>07:00</td>" in html
    assert "<td>O</td><td>O, W</td>" in html
    sunrise = Meeting.objects.get(source_slug="sunrise")
    assert reverse("admin:groups_meeting_change", args=[sunrise.pk]) in html


def test_a_feed_that_stops_answering_conditionally_still_changes_nothing(server):
    serve(server, "/feed", FOUR)  # no ETag, no Last-Modified
    make_source(server)
    sync()
    hours_pass(24)

    output, _ = sync()

    assert "0 created, 0 updated, 4 unchanged, 0 deactivated" in output


def test_an_empty_feed_deactivates_nothing(server):
    serve(server, "/feed", FOUR)
    make_source(server)
    sync()
    serve(server, "/feed", [])
    hours_pass(24)

    output, error = sync()

    assert error is None
    run = SyncRun.objects.latest("pk")
    assert (run.outcome, run.deactivated) == (RunOutcome.IMPORTED, 0)
    assert any("none of the 4 active meetings" in line for line in run.report_lines)
    assert active_slugs() == ["big-book", "nooners", "step-study", "sunrise"]


def test_a_source_takes_over_the_meetings_of_an_earlier_import_with_its_label(server):
    serve(server, "/feed", FOUR)
    body = json.dumps(FOUR)
    call_command(
        "import_meeting_guide",
        "-",
        source="Dover Intergroup",
        fellowship="AA",
        stdin=io.StringIO(body),
        stdout=io.StringIO(),
    )
    make_source(server)

    output, _ = sync()

    assert "0 created, 0 updated, 4 unchanged, 0 deactivated" in output
    assert Meeting.objects.count() == 4


def test_a_bmlt_source_imports_through_the_same_seam(server):
    bmlt_row = {
        "id_bigint": "101",
        "weekday_tinyint": "2",
        "venue_type": "1",
        "start_time": "19:00:00",
        "duration_time": "01:00:00",
        "time_zone": "",
        "formats": "O",
        "published": "1",
        "meeting_name": "Hope Without Limits",
        "location_text": "St. Paul's Church",
        "location_street": "979 West County Line Road",
        "location_municipality": "Hatboro",
        "location_province": "PA",
        "location_postal_code_1": "19040",
        "location_nation": "USA",
        "latitude": "40.1968",
        "longitude": "-75.1163",
    }
    serve(server, "/bmlt", [bmlt_row])
    make_source(
        server, "Bucks NA", path="/bmlt", format=SourceFormat.BMLT, fellowship=fellowship("NA")
    )

    output, error = sync()

    assert error is None, output
    assert "Bucks NA: imported: 1 created" in output
    hope = Meeting.objects.get(source="Bucks NA")
    assert (hope.name, hope.time_zone) == ("Hope Without Limits", "America/New_York")


# Held runs


def test_a_feed_dropping_more_than_the_share_is_held_then_approved_by_a_curator(server, client):
    serve(server, "/feed", FOUR, etag='"v1"')
    source = make_source(server)
    sync()
    serve(server, "/feed", FOUR[:2], etag='"v2"')  # half the meetings gone
    hours_pass(24)

    output, error = sync()

    assert error is None
    assert output.splitlines() == [
        "Dover Intergroup: held for a curator: would deactivate too many (0 created, "
        "0 updated, 2 unchanged, 2 deactivated, 0 rows skipped)"
    ]
    held = SyncRun.objects.latest("pk")
    assert held.outcome == RunOutcome.HELD
    assert held.held_body is not None
    assert held.error == (
        "This feed would deactivate 2 of the 4 active meetings of the source, more than its "
        "25%: approve it if the feed is right, else reject it."
    )
    assert sorted(entry["slug"] for entry in held.changes["deactivated"]) == [
        "nooners",
        "step-study",
    ]
    assert active_slugs() == ["big-book", "nooners", "step-study", "sunrise"]
    source.refresh_from_db()
    assert source.etag == '"v2"'  # the held feed is not fetched again while it waits

    curator = make_curator()
    client.force_login(curator)
    page = client.get(reverse("admin:exchange_syncrun_change", args=[held.pk]))
    assert "Approve and import" in page.content.decode()
    response = client.post(reverse("admin:exchange_syncrun_approve", args=[held.pk]))

    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.outcome, held.decided_by, held.deactivated) == ("approved", curator, 2)
    assert held.held_body is None
    assert active_slugs() == ["big-book", "sunrise"]
    gone = Meeting.objects.get(source_slug="nooners")
    assert gone.history.latest().history_user == curator
    page = client.get(reverse("admin:exchange_syncrun_change", args=[held.pk]), follow=True)
    assert "Approve and import" not in page.content.decode()


def test_a_held_run_can_be_rejected_and_then_imports_nothing(server, client):
    serve(server, "/feed", FOUR)
    make_source(server)
    sync()
    serve(server, "/feed", FOUR[:1])
    hours_pass(24)
    sync()
    held = SyncRun.objects.latest("pk")
    client.force_login(make_curator())

    client.post(reverse("admin:exchange_syncrun_reject", args=[held.pk]))
    again = client.post(reverse("admin:exchange_syncrun_approve", args=[held.pk]), follow=True)

    held.refresh_from_db()
    assert (held.outcome, held.held_body) == (RunOutcome.REJECTED, None)
    assert "This run is no longer held." in again.content.decode()
    assert len(active_slugs()) == 4


def test_a_newer_run_supersedes_a_held_one(server):
    serve(server, "/feed", FOUR)
    make_source(server)
    sync()
    serve(server, "/feed", FOUR[:1])
    hours_pass(24)
    sync()
    serve(server, "/feed", FOUR[:3])  # the publisher fixed the feed
    hours_pass(24)

    output, _ = sync()

    assert "imported: 0 created, 0 updated, 3 unchanged, 1 deactivated" in output
    outcomes = list(SyncRun.objects.order_by("pk").values_list("outcome", "held_body"))
    assert outcomes == [("imported", None), ("superseded", None), ("imported", None)]


def test_approving_needs_the_permission_and_a_post(server, client):
    serve(server, "/feed", FOUR)
    make_source(server)
    sync()
    serve(server, "/feed", FOUR[:1])
    hours_pass(24)
    sync()
    held = SyncRun.objects.latest("pk")
    url = reverse("admin:exchange_syncrun_approve", args=[held.pk])
    client.force_login(make_curator())
    assert client.get(url).status_code == 405
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    assert SyncRun.objects.get(pk=held.pk).outcome == RunOutcome.HELD


# Failures


def test_failures_are_recorded_and_do_not_stop_the_other_sources(server):
    serve(server, "/feed", FOUR)
    server.routes["/broken"] = {"status": 500}
    server.routes["/to-file"] = {"status": 302, "location": "file:///etc/passwd"}
    server.routes["/to-plain-http"] = {"status": 301, "location": "http://example.org/feed"}
    server.routes["/not-json"] = {"body": b"<html>Site moved</html>"}
    make_source(server, "A broken server", path="/broken")
    make_source(server, "B moved to a file", path="/to-file")
    make_source(server, "C moved to plain http", path="/to-plain-http")
    make_source(server, "D not json", path="/not-json")
    make_source(server, "Dover Intergroup", path="/feed")

    output, error = sync()

    assert str(error) == "4 source(s) failed."
    assert error.returncode == 1
    assert output.splitlines() == [
        "A broken server: failed: The server answered 500 Internal Server Error.",
        "B moved to a file: failed: The server redirects to 'file:///etc/passwd': only "
        "https:// addresses are followed.",
        "C moved to plain http: failed: The server redirects to 'http://example.org/feed': "
        "only https:// addresses are followed.",
        "D not json: failed: The feed is not valid JSON: Expecting value: line 1 column 1 (char 0)",
        "Dover Intergroup: imported: 4 created, 0 updated, 0 unchanged, 0 deactivated, "
        "0 rows skipped",
    ]
    failed = SyncRun.objects.filter(outcome=RunOutcome.FAILED)
    assert failed.count() == 4
    broken = Source.objects.get(name="A broken server")
    assert broken.last_status.startswith("failed: The server answered 500")
    assert broken.etag == ""


def test_a_redirect_on_the_same_server_is_followed(server):
    serve(server, "/new-home", FOUR)
    server.routes["/old-home"] = {"status": 301, "location": "/new-home"}
    make_source(server, path="/old-home")

    output, error = sync()

    assert error is None
    assert "4 created" in output


def test_a_slow_server_times_out(server):
    server.routes["/slow"] = {"sleep": 2}
    source = make_source(server, path="/slow")

    run = sync_source(source, timeout=0.3)

    assert run.outcome == RunOutcome.FAILED
    assert run.error == "The server did not answer within 0.3 seconds."


def test_an_endless_feed_is_cut_at_the_size_cap(server):
    server.routes["/endless"] = {"endless": True}
    source = make_source(server, path="/endless")

    run = sync_source(source, max_bytes=1024 * 1024)

    assert run.outcome == RunOutcome.FAILED
    assert run.error == "The feed is larger than 1 MB: stopped reading."
    assert SyncRun.objects.get().error == run.error


def test_a_dry_run_writes_nothing(server):
    serve(server, "/feed", FOUR, etag='"v1"')
    source = make_source(server)

    output, _ = sync("--dry-run")

    assert "4 created" in output and "(dry run: nothing written)" in output
    assert Meeting.objects.count() == 0
    assert SyncRun.objects.count() == 0
    source.refresh_from_db()
    assert (source.etag, source.last_fetched_at) == ("", None)


# When sources are due


def test_a_source_is_fetched_again_only_once_its_hours_have_passed(server):
    serve(server, "/feed", FOUR)
    make_source(server, every_hours=6)
    make_source(server, "Paused", active=False)
    sync()
    assert len(server.requests) == 1

    hours_pass(5)
    output, _ = sync()
    assert len(server.requests) == 1
    assert output.startswith("Dover Intergroup: not due until ")

    hours_pass(1)
    sync()
    assert len(server.requests) == 2

    output, _ = sync("--source", "Dover Intergroup", "--force")
    assert len(server.requests) == 3
    output, _ = sync("--source", "Paused")
    assert output == "Paused: inactive, not fetched.\n"
    _, error = sync("--source", "Nobody")
    assert str(error) == "No source named 'Nobody'."


# The source's address


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://aa-dover.example.org/wp-admin/admin-ajax.php?action=meetings", True),
        ("http://127.0.0.1:8000/feed.json", True),
        ("http://localhost/feed.json", True),
        ("http://aa-dover.example.org/feed.json", False),
        ("file:///etc/passwd", False),
        ("ftp://aa-dover.example.org/feed.json", False),
    ],
)
def test_a_source_address_is_https_or_this_machine(url, allowed):
    source = Source(
        name="Dover",
        url=url,
        format=SourceFormat.MEETING_GUIDE,
        fellowship=fellowship("AA"),
        label="Dover",
    )
    if allowed:
        source.full_clean()
    else:
        with pytest.raises(ValidationError):
            source.full_clean()


# The admin


def test_curators_add_sources_and_read_runs_but_delete_nothing(server, client):
    serve(server, "/feed", FOUR)
    client.force_login(make_curator())
    response = client.post(
        reverse("admin:exchange_source_add"),
        {
            "name": "Dover Intergroup",
            "url": server.url + "/feed",
            "format": SourceFormat.MEETING_GUIDE,
            "fellowship": fellowship("AA").pk,
            "label": "Dover Intergroup",
            "time_zone": "America/New_York",
            "every_hours": 12,
            "max_deactivate_percent": 25,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    source = Source.objects.get()
    assert source.history.count() == 1
    sync()
    run = SyncRun.objects.get()

    assert client.get(reverse("admin:exchange_source_delete", args=[source.pk])).status_code == 403
    assert client.get(reverse("admin:exchange_syncrun_delete", args=[run.pk])).status_code == 403
    page = client.get(reverse("admin:exchange_source_change", args=[source.pk])).content.decode()
    assert reverse("admin:exchange_syncrun_changelist") + f"?source__id__exact={source.pk}" in page
    runs = client.get(
        reverse("admin:exchange_syncrun_changelist"), {"source__id__exact": source.pk}
    )
    assert runs.status_code == 200
    assert reverse("admin:exchange_syncrun_change", args=[run.pk]) in runs.content.decode()
    # Fetching leaves no history row: only what curators enter does.
    assert source.history.count() == 1


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_admin_lists_do_not_query_per_row(server, admin_client):
    serve(server, "/feed", FOUR)
    make_source(server)
    sync()
    sources_url = reverse("admin:exchange_source_changelist")
    runs_url = reverse("admin:exchange_syncrun_changelist")
    few = queries_for(admin_client, sources_url), queries_for(admin_client, runs_url)

    for number in range(5):
        make_source(server, f"Intergroup {number}", path="/feed")
    sync()

    assert (queries_for(admin_client, sources_url), queries_for(admin_client, runs_url)) == few


def test_a_run_page_does_not_query_per_change(server, admin_client):
    serve(server, "/feed", FOUR[:1])
    make_source(server)
    sync()
    serve(server, "/feed", [row("sunrise", start="08:00")])
    hours_pass(24)
    sync()
    first = SyncRun.objects.latest("pk")
    one = queries_for(admin_client, reverse("admin:exchange_syncrun_change", args=[first.pk]))

    serve(server, "/feed", [row("sunrise", start="09:00"), *FOUR[1:]])
    hours_pass(24)
    sync()
    run = SyncRun.objects.latest("pk")
    assert run.created == 3

    assert queries_for(admin_client, reverse("admin:exchange_syncrun_change", args=[run.pk])) == one


def test_a_huge_feed_keeps_the_first_meetings_in_detail_and_exact_counts(server, admin_client):
    rows = [row(f"meeting-{number:03}", day=number % 7) for number in range(DETAIL_LIMIT + 5)]
    serve(server, "/feed", rows)
    make_source(server)

    sync()

    run = SyncRun.objects.get()
    assert run.created == DETAIL_LIMIT + 5
    assert len(run.changes["created"]) == DETAIL_LIMIT
    page = admin_client.get(reverse("admin:exchange_syncrun_change", args=[run.pk]))
    assert "And 5 more meetings, not shown in detail." in page.content.decode()


def test_a_meeting_feed_needs_its_fellowship_and_an_hsds_source_does_not():
    meetings = Source(
        name="No Fellowship", url="https://example.org/feed.json", label="no-fellowship",
        format=SourceFormat.MEETING_GUIDE,
    )  # fmt: skip
    services = Source(
        name="County 211", url="https://211.example.org/hsds", label="county-211",
        format=SourceFormat.HSDS,
    )  # fmt: skip

    with pytest.raises(ValidationError) as error:
        meetings.full_clean()
    services.full_clean()

    assert error.value.message_dict["fellowship"] == [
        "Choose the fellowship of this feed's meetings."
    ]
