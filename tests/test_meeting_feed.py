"""The Meeting Guide JSON feed (/api/meeting-guide.json) and its round trip through the importer."""

import json
import re
import threading
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse

from exchange.meeting_guide import feed as feeds
from exchange.meeting_guide.importer import import_feed
from groups.models import Attendance, Meeting, MeetingFrequency, MeetingStatus, Place, SupportGroup
from resources.models import ListingStatus, LocationPrecision, known_time_zones
from tests.factories import (
    fellowship,
    make_meeting,
    make_place,
    make_support_group,
)

pytestmark = pytest.mark.django_db

FEED = reverse("exchange:meeting_guide_feed")
TYPE_CODES = set(
    json.loads((Path(__file__).parents[1] / "resources/data/meeting_guide_types.json").read_text())
)
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
UPDATED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
REQUIRED = {"name", "slug", "day", "time", "timezone", "url", "updated", "group"}
ADDRESS_FIELDS = {
    "location",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "latitude",
    "longitude",
    "approximate",
}
ONLINE = {"conference_url": "https://zoom.example.org/j/42", "conference_url_notes": "Code 42"}
# Nothing listens on port 1: every cache call fails at once.
CACHE_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.fixture(autouse=True)
def feeds_dir(settings, tmp_path):
    """Large feeds are written here, a folder of each test's own."""
    settings.FEEDS_DIR = tmp_path / "feeds"
    return settings.FEEDS_DIR


def feed(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def by_slug(entries):
    return {entry["slug"]: entry for entry in entries}


def some_meetings():
    """An in-person, an online, a hybrid and an approximate meeting, all listed."""
    in_person = make_meeting(slug="in-person", types=["O", "BE"], notes="Coffee first.")
    online = make_meeting(
        slug="online", attendance=Attendance.ONLINE, weekday=0, start_time=time(8), **ONLINE
    )
    hybrid = make_meeting(
        slug="hybrid",
        attendance=Attendance.HYBRID,
        place=make_place(name="Parish hall", notes="Side door"),
        conference_phone="312-555-0123",
        weekday=6,
        end_time=None,
    )
    approximate = make_meeting(
        slug="approximate",
        place=make_place(
            name="Quiet house",
            address_line1="9 Hidden Ln",
            city="Evanston",
            postal_code="60201",
            latitude=Decimal("42.045123"),
            longitude=Decimal("-87.687789"),
            location_precision=LocationPrecision.APPROXIMATE,
        ),
    )
    return in_person, online, hybrid, approximate


def test_every_meeting_has_the_required_fields_in_the_right_formats(client):
    some_meetings()

    entries = feed(client)

    assert len(entries) == 4
    for entry in entries:
        assert entry.keys() >= REQUIRED
        assert entry["day"] in range(7) and isinstance(entry["day"], int)
        assert HH_MM.match(entry["time"])
        assert "end_time" not in entry or HH_MM.match(entry["end_time"])
        assert entry["timezone"] in known_time_zones()
        assert set(entry.get("types", [])) <= TYPE_CODES
        assert UPDATED.match(entry["updated"])
        assert entry["url"].startswith("http://testserver/meetings/")
        if "latitude" in entry:
            assert isinstance(entry["latitude"], float) and isinstance(entry["longitude"], float)
            assert entry["approximate"] in ("yes", "no")


def test_an_in_person_meeting_gives_its_full_address(client):
    in_person, *_ = some_meetings()

    entry = by_slug(feed(client))["in-person"]

    group = in_person.group
    assert entry["name"] == in_person.name
    assert entry["day"] == 1
    assert (entry["time"], entry["end_time"]) == ("19:00", "20:00")
    assert entry["types"] == ["BE", "O"]
    assert entry["location"] == group.name
    assert entry["address"] == "2400 N Clark St"
    assert entry["formatted_address"] == "2400 N Clark St, Chicago, IL 60614, US"
    assert (entry["city"], entry["state"], entry["postal_code"]) == ("Chicago", "IL", "60614")
    assert (entry["latitude"], entry["longitude"]) == (41.9248, -87.6414)
    assert entry["approximate"] == "no"
    assert entry["region"] == "Chicago"
    assert entry["group"] == group.name
    assert entry["notes"] == "Coffee first."
    assert entry["url"] == f"http://testserver/meetings/{in_person.slug}/"
    assert "conference_url" not in entry


def test_an_approximate_place_hides_its_street_and_rounds_coordinates(client):
    some_meetings()

    entry = by_slug(feed(client))["approximate"]

    assert entry["approximate"] == "yes"
    # Left out, not written empty (as the spec does).
    assert "address" not in entry
    assert "postal_code" not in entry
    assert entry["formatted_address"] == "Evanston, IL"
    assert (entry["latitude"], entry["longitude"]) == (42.05, -87.69)
    assert "Hidden" not in json.dumps(entry)


def test_online_meetings_carry_no_address_and_hybrid_ones_both(client):
    some_meetings()
    entries = by_slug(feed(client))

    online = entries["online"]
    assert not ADDRESS_FIELDS & online.keys()
    assert online["conference_url"] == ONLINE["conference_url"]
    assert online["conference_url_notes"] == "Code 42"
    hybrid = entries["hybrid"]
    # Digits only, as the spec's pattern has it.
    assert hybrid["conference_phone"] == "3125550123"
    assert hybrid["location"] == "Parish hall"
    assert hybrid["location_notes"] == "Side door"
    assert "end_time" not in hybrid


def test_only_listed_weekly_meetings_are_in_the_feed(client):
    make_meeting(slug="listed")
    make_meeting(slug="monthly", frequency=MeetingFrequency.MONTHLY, week_of_month=1)
    make_meeting(slug="closed", status=MeetingStatus.TEMPORARILY_CLOSED)
    make_meeting(slug="inactive", status=MeetingStatus.INACTIVE)
    make_meeting(slug="draft-group", group=make_support_group(status=ListingStatus.DRAFT))

    assert [entry["slug"] for entry in feed(client)] == ["listed"]


def test_the_feed_takes_a_constant_number_of_queries(client, django_assert_num_queries):
    some_meetings()
    # 1. the meetings with groups, fellowships and places; 2. their types.
    with django_assert_num_queries(2):
        client.get(FEED)
    for _ in range(5):
        make_meeting(types=["C", "W"])
    with django_assert_num_queries(2):
        response = client.get(FEED)
    assert len(response.json()) == 9
    # 1. the fellowship; 2. the meetings; 3. their types.
    with django_assert_num_queries(3):
        client.get(FEED, {"fellowship": "AA", "region": "Chicago"})


def test_one_fellowship_or_one_region(client):
    some_meetings()
    na = make_meeting(slug="na-meeting", group=make_support_group(fellowship=fellowship("NA")))

    assert [e["slug"] for e in feed(client, fellowship="NA")] == [na.slug]
    assert [e["slug"] for e in feed(client, fellowship=na.group.fellowship.slug)] == [na.slug]
    assert len(feed(client, fellowship="aa")) == 4
    # The region is the city of the place, or of the group when the meeting is at its address.
    assert {e["slug"] for e in feed(client, region="evanston")} == {"approximate"}
    assert len(feed(client, region="Chicago")) == 4
    assert feed(client, region="Nowhere") == []


def test_region_is_the_city_of_the_place_else_of_the_group_in_any_case(client):
    evanston = {"city": "Evanston", "postal_code": "60201"}
    make_meeting(slug="chicago-place", group=make_support_group(**evanston), place=make_place())
    make_meeting(slug="evanston-place", place=make_place(**evanston))
    make_meeting(slug="at-chicago-group")
    make_meeting(slug="at-evanston-group", group=make_support_group(**evanston))
    make_meeting(slug="online-chicago-group", attendance=Attendance.ONLINE, **ONLINE)

    chicago = {"chicago-place", "at-chicago-group", "online-chicago-group"}
    assert {e["slug"] for e in feed(client, region="Chicago")} == chicago
    assert {e["slug"] for e in feed(client, region="CHICAGO")} == chicago
    assert {e["slug"] for e in feed(client, region="evanston")} == {
        "evanston-place",
        "at-evanston-group",
    }
    # The region an entry reports is the same city.
    assert {e["region"] for e in feed(client, region="chicago") if "region" in e} == {"Chicago"}


def test_the_feed_is_kept_until_a_meeting_changes(client, django_assert_num_queries):
    in_person, *_ = some_meetings()
    first = client.get(FEED, {"region": "Chicago"})

    with django_assert_num_queries(0):
        again = client.get(FEED, {"region": "Chicago"})
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert again["Access-Control-Allow-Origin"] == "*"

    in_person.name = "Renamed meeting"
    in_person.save()
    with django_assert_num_queries(2):
        entries = client.get(FEED, {"region": "Chicago"}).json()
    assert by_slug(entries)["in-person"]["name"] == "Renamed meeting"


def test_an_import_shows_in_the_feed_at_once(client, django_capture_on_commit_callbacks):
    some_meetings()
    exported = feed(client)
    exported[0]["name"] = "Imported name"

    with django_capture_on_commit_callbacks(execute=True):
        import_feed(exported, fellowship="AA")

    # The import brings its own meetings (curators' are never changed), shown at once.
    entries = feed(client)
    assert by_slug(entries)[exported[0]["slug"]]["name"] != "Imported name"
    assert "Imported name" in {entry["name"] for entry in entries}


@pytest.mark.parametrize(
    "params",
    [
        {"fellowship": "XX"},
        {"fellowship": ""},
        {"region": " "},
        {"region": "x" * 101},
        {"region": "Chicago\r\nSet-Cookie: x=1"},
    ],
)
def test_bad_parameters_get_a_json_400(client, params):
    response = client.get(FEED, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize("params", [{"fellowship": "AA\x00"}, {"region": "Chicago\x00"}])
def test_the_feed_itself_refuses_a_nul_in_its_parameters(params):
    # The site's middleware turns these away first; the feed does not rely on it (a NUL
    # reaching PostgreSQL is a 500).
    some_meetings()
    response = feeds.meeting_guide_feed(RequestFactory().get(FEED, params))

    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == {
        "error": f"{next(iter(params))} must not contain control characters."
    }


def test_headers_allow_any_site_and_modest_caching(client):
    response = client.get(FEED)

    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert client.post(FEED).status_code == 405


def comparable(entries):
    """The feed without what a fresh import necessarily changes."""
    return sorted(
        ({k: v for k, v in entry.items() if k not in ("updated", "url")} for entry in entries),
        key=lambda entry: entry["slug"],
    )


def empty_database():
    Meeting.objects.all().delete()
    Place.objects.all().delete()
    SupportGroup.objects.all().delete()


def test_export_import_export_gives_the_same_meetings(client):
    some_meetings()
    # A group whose own address is the meeting place, and notes on the group.
    make_meeting(
        slug="group-notes",
        group=make_support_group(summary="Steps and traditions."),
        types=["12x12"],
        start_time=time(6, 45),
        end_time=time(7, 45),
        time_zone="America/Denver",
    )
    exported = feed(client)

    empty_database()
    report = import_feed(exported, fellowship="AA")

    assert report.created == 5
    assert comparable(feed(client)) == comparable(exported)
    # And the import of its own export is a no-op.
    again = import_feed(feed(client), fellowship="AA")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_every_type_code_round_trips(client):
    make_meeting(slug="all-types", types=sorted(TYPE_CODES), **ONLINE, attendance="online")
    exported = feed(client)
    assert set(exported[0]["types"]) == TYPE_CODES
    assert len(TYPE_CODES) == 87

    empty_database()
    import_feed(exported, fellowship="AA")

    meeting = Meeting.objects.get(slug="all-types")
    assert set(meeting.types.values_list("code", flat=True)) == TYPE_CODES
    assert set(feed(client)[0]["types"]) == TYPE_CODES


@pytest.fixture
def large_feeds(monkeypatch):
    """Every feed counts as large (over 100 bytes); returns the list of builds made."""
    monkeypatch.setattr(feeds, "FEED_LARGEST_KEPT", 100)
    builds = []
    build = feeds._write_feed

    def counted(*args):
        builds.append(args[1:3])
        return build(*args)

    monkeypatch.setattr(feeds, "_write_feed", counted)
    return builds


def test_a_large_feed_is_written_once_and_then_served_from_its_file(
    client, large_feeds, feeds_dir, django_assert_num_queries
):
    some_meetings()
    first = client.get(FEED)
    body = first.getvalue()

    with django_assert_num_queries(0):
        again = client.get(FEED)
    assert again.getvalue() == body
    assert first.streaming and again.streaming
    assert len(large_feeds) == 1
    assert {entry["slug"] for entry in json.loads(body)} == {
        "in-person",
        "online",
        "hybrid",
        "approximate",
    }
    (written,) = feeds_dir.glob("*/*.json")
    assert written.read_bytes() == body
    assert int(again["Content-Length"]) == len(body)
    assert again["Content-Type"] == "application/json"
    assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert again["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_once_build_a_large_feed_once(large_feeds, monkeypatch):
    some_meetings()
    build = feeds._write_feed

    def slow(*args):
        # Long enough that all ten are waiting while it is made.
        threading.Event().wait(0.5)
        return build(*args)

    monkeypatch.setattr(feeds, "_write_feed", slow)
    start = threading.Barrier(10)
    bodies = []

    def fetch():
        try:
            start.wait()
            response = Client().get(FEED, {"fellowship": "AA"})
            bodies.append((response.status_code, response.getvalue()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(large_feeds) == 1
    assert len(bodies) == 10
    assert {status for status, _ in bodies} == {200}
    assert len({body for _, body in bodies}) == 1
    assert len(json.loads(bodies[0][1])) == 4


def test_a_change_starts_a_new_generation_and_the_next_request_rebuilds(
    client, large_feeds, feeds_dir
):
    in_person, *_ = some_meetings()
    first = client.get(FEED)
    first.getvalue()
    (old_file,) = feeds_dir.glob("*/*.json")

    in_person.name = "Renamed meeting"
    in_person.save()
    entries = json.loads(client.get(FEED).getvalue())

    assert by_slug(entries)["in-person"]["name"] == "Renamed meeting"
    assert len(large_feeds) == 2
    (new_file,) = feeds_dir.glob("*/*.json")
    assert new_file.parent != old_file.parent
    assert not old_file.parent.exists()


def test_a_client_that_has_this_version_gets_304(client, large_feeds):
    in_person, *_ = some_meetings()
    first = client.get(FEED)
    first.getvalue()

    by_etag = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag["Access-Control-Allow-Origin"] == "*"
    assert by_etag["ETag"] == first["ETag"]

    in_person.save()
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert len(json.loads(changed.getvalue())) == 4


def test_a_small_feed_also_answers_304_without_being_made_again(
    client, feeds_dir, django_assert_num_queries
):
    some_meetings()
    first = client.get(FEED, {"region": "Chicago"})
    assert not first.streaming
    # Kept in the cache: nothing is left on disk.
    assert not [path for path in feeds_dir.iterdir() if path.name != "locks"]
    with django_assert_num_queries(0):
        again = client.get(FEED, {"region": "Chicago"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_client_asking_too_often_gets_a_json_429(client, settings):
    settings.FEED_REQUESTS_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(FEED, REMOTE_ADDR="198.51.100.1").status_code == 200

    refused = client.get(FEED, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert 0 < int(refused["Retry-After"]) <= 2 * 60
    assert refused.json()["error"].startswith("Too many requests")
    # Made-up X-Forwarded-For values change nothing; another visitor is served.
    forged = client.get(FEED, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forged.status_code == 429
    assert client.get(FEED, REMOTE_ADDR="198.51.100.2").status_code == 200


@pytest.mark.parametrize("large", [False, True])
def test_the_feed_is_served_when_the_cache_is_down(client, settings, monkeypatch, large):
    some_meetings()
    if large:
        monkeypatch.setattr(feeds, "FEED_LARGEST_KEPT", 100)
    settings.CACHES = CACHE_DOWN
    settings.FEED_REQUESTS_PER_MINUTE = 1

    for _ in range(2):  # the limit cannot be counted, so it lets everyone through
        response = client.get(FEED)
        assert response.status_code == 200
        assert len(json.loads(response.getvalue())) == 4
