"""Importing a Meeting Guide JSON feed: python manage.py import_meeting_guide."""

import copy
import io
import json
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exchange.meeting_guide.importer import SOURCE, FeedError, import_feed, read_feed
from groups.models import Attendance, Meeting, MeetingStatus, Place, SupportGroup
from resources.models import ListingStatus, LocationPrecision
from tests.factories import fellowship, make_community_resource, make_meeting

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "meeting_guide"
GOOD = DATA / "good.json"
BAD = DATA / "bad.json"


def good_feed():
    return json.loads(GOOD.read_text())


def run(*args, **options):
    out = io.StringIO()
    call_command("import_meeting_guide", *args, stdout=out, **options)
    return out.getvalue()


def types_of(slug):
    return sorted(Meeting.objects.get(slug=slug).types.values_list("code", flat=True))


def snapshot():
    """Everything the importer writes, to compare before and after."""
    return (
        list(Meeting.objects.order_by("slug").values()),
        list(Place.objects.order_by("pk").values()),
        list(SupportGroup.objects.order_by("pk").values()),
        list(Meeting.types.through.objects.order_by("pk").values()),
    )


def test_a_good_feed_imports_groups_places_meetings_and_types():
    output = run(str(GOOD), fellowship="AA")

    assert "5 created, 0 updated, 0 unchanged, 0 deactivated, 0 invalid rows skipped" in output
    beginners = SupportGroup.objects.get(name="Lincoln Park Beginners")
    assert beginners.fellowship == fellowship("AA")
    assert beginners.status == ListingStatus.PUBLISHED
    assert beginners.source == SOURCE
    assert beginners.slug == "lincoln-park-beginners"
    assert (beginners.latitude, beginners.longitude) == (Decimal("41.9248"), Decimal("-87.6414"))
    assert beginners.summary == "A friendly group for newcomers."
    assert beginners.offers_in_person and beginners.offers_online

    monday = Meeting.objects.get(slug="monday-night-beginners")
    assert monday.group == beginners
    assert monday.weekday == 1
    assert (monday.start_time, monday.end_time) == (time(19), time(20))
    assert monday.attendance == Attendance.IN_PERSON
    assert monday.place.name == "St. Example Parish Hall"
    assert monday.place.notes == "Side door on Elm St., downstairs"
    assert monday.notes == "Coffee from 18:30."
    assert types_of("monday-night-beginners") == ["BE", "D", "O"]

    # Same place given as a formatted address: one Place, and link + place make it hybrid.
    wednesday = Meeting.objects.get(slug="wednesday-big-book")
    assert wednesday.place == monday.place
    assert wednesday.attendance == Attendance.HYBRID
    assert wednesday.start_time == time(7, 30)
    assert wednesday.conference_url_notes == "Passcode 1234"
    assert Place.objects.count() == 2


def test_online_only_rows_make_online_meetings_and_an_online_group():
    run(str(GOOD), fellowship="AA")

    # A list of days makes one meeting per day, slugs suffixed with the day.
    tuesday, thursday = Meeting.objects.filter(group__name="Women Online").order_by("weekday")
    assert (tuesday.slug, tuesday.weekday) == ("womens-online-morning-2", 2)
    assert (thursday.slug, thursday.weekday) == ("womens-online-morning-4", 4)
    assert tuesday.attendance == Attendance.ONLINE
    assert tuesday.place is None
    assert tuesday.conference_phone == "+1 312 555 0199"
    assert tuesday.time_zone == "America/Denver"
    group = tuesday.group
    assert not group.offers_in_person and group.offers_online
    assert group.latitude is None


def test_approximate_places_and_the_zip_time_zone():
    run(str(GOOD), fellowship="AA")

    speaker = Meeting.objects.get(slug="saturday-speaker")
    assert speaker.place.location_precision == LocationPrecision.APPROXIMATE
    assert speaker.place.city == "Evanston"
    # No group in the row: the location names the group; no timezone: the ZIP's.
    assert speaker.group.name == "Quiet Meeting House"
    assert speaker.group.location_precision == LocationPrecision.APPROXIMATE
    assert speaker.time_zone == "America/Chicago"


def test_unknown_type_codes_are_reported_and_the_meeting_still_imports():
    output = run(str(GOOD), fellowship="AA")

    assert "Unknown type code 'ONL' left out (rows 3)." in output
    assert "Unknown type code 'XYZ' left out (rows 3)." in output
    assert types_of("womens-online-morning-2") == ["W"]


def test_a_second_run_of_the_same_feed_changes_nothing():
    run(str(GOOD), fellowship="AA")
    before = snapshot()

    output = run(str(GOOD), fellowship="AA")

    assert "0 created, 0 updated, 5 unchanged, 0 deactivated" in output
    assert "Groups: 0 created, 0 updated. Places: 0 created, 0 updated." in output
    assert snapshot() == before


def test_a_changed_feed_updates_what_changed():
    run(str(GOOD), fellowship="AA")
    feed = good_feed()
    feed[0]["time"] = "19:30"
    feed[0]["end_time"] = "20:30"
    feed[1]["types"] = ["O"]
    untouched = Meeting.objects.get(slug="saturday-speaker").updated_at

    report = import_feed(feed, fellowship="AA")

    assert (report.created, report.updated, report.unchanged) == (0, 2, 3)
    monday = Meeting.objects.get(slug="monday-night-beginners")
    assert (monday.start_time, monday.end_time) == (time(19, 30), time(20, 30))
    assert types_of("wednesday-big-book") == ["O"]
    assert Meeting.objects.get(slug="saturday-speaker").updated_at == untouched


def test_meetings_missing_from_the_feed_are_deactivated_not_deleted():
    run(str(GOOD), fellowship="AA")
    by_hand = make_meeting()
    other_fellowship = import_feed(
        [{**good_feed()[2], "slug": "na-online", "group": "NA Online"}], fellowship="NA"
    )
    assert other_fellowship.created == 2

    report = import_feed(good_feed()[1:], fellowship="AA")

    assert report.deactivated == 1
    monday = Meeting.objects.get(slug="monday-night-beginners")
    assert monday.status == MeetingStatus.INACTIVE
    # Meetings entered by hand and other fellowships' imports are left alone.
    by_hand.refresh_from_db()
    assert by_hand.status == MeetingStatus.ACTIVE
    assert Meeting.objects.get(slug="na-online-2").status == MeetingStatus.ACTIVE
    # Back in the feed, it is active again.
    assert import_feed(good_feed(), fellowship="AA").updated == 1
    assert Meeting.objects.get(slug="monday-night-beginners").status == MeetingStatus.ACTIVE


def test_dry_run_writes_nothing_but_reports():
    output = run(str(GOOD), fellowship="AA", dry_run=True)

    assert "Would import meetings: 5 created" in output
    assert not Meeting.objects.exists()
    assert not SupportGroup.objects.exists()
    assert not Place.objects.exists()


def test_the_feed_can_come_from_standard_input():
    output = run("-", fellowship="AA", stdin=io.StringIO(GOOD.read_text()))

    assert "5 created" in output
    assert Meeting.objects.count() == 5


def test_a_group_slug_taken_by_another_listing_is_suffixed():
    make_community_resource(slug="lincoln-park-beginners")

    run(str(GOOD), fellowship="AA")

    assert SupportGroup.objects.get(name="Lincoln Park Beginners").slug == (
        "lincoln-park-beginners-2"
    )


def test_the_fellowship_is_required_and_must_exist():
    with pytest.raises(CommandError, match=r"4 of 4 rows do not say their fellowship: give --fe"):
        run(str(GOOD))
    with pytest.raises(CommandError, match="No fellowship 'XX'"):
        run(str(GOOD), fellowship="XX")
    assert not Meeting.objects.exists()


def test_a_bad_feed_reports_every_problem_by_position_and_imports_nothing_when_strict():
    with pytest.raises(CommandError) as raised:
        run(str(BAD), fellowship="AA", strict=True, time_zone="America/Chicago")

    message = str(raised.value)
    assert "Nothing imported" in message
    assert "row 2: slug is missing" in message
    assert "row 3 (slug 'day-seven'): day 7 is not 0–6 (Sunday is 0)" in message
    assert "row 4 (slug 'late'): time '25:00' is not a time from 00:00 to 23:59" in message
    # A bad end time is bad optional data: dropped with a warning, not a problem of the row.
    assert "backwards" not in message
    # An unknown type code is not a problem of the row.
    assert "unknown-type" not in message
    assert not Meeting.objects.exists()
    assert not SupportGroup.objects.exists()


def test_by_default_the_good_rows_are_imported_and_the_bad_listed():
    output = run(str(BAD), fellowship="AA", time_zone="America/Chicago")

    assert "3 created, 0 updated, 0 unchanged, 0 deactivated, 3 invalid rows skipped" in output
    assert "Skipped row 3 (slug 'day-seven'): day 7 is not 0–6" in output
    assert "Warning: row 5 (slug 'backwards'): end_time 18:00 is not after time 19:00" in output
    assert "Warnings: 1 end times dropped, 1 unknown type codes left out." in output
    assert "Unknown type code 'ZZZ' left out (rows 6)." in output
    assert Meeting.objects.get(slug="backwards").end_time is None
    assert set(Meeting.objects.values_list("slug", flat=True)) == {
        "good-one",
        "backwards",
        "unknown-type",
    }
    assert types_of("unknown-type") == ["O"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "The feed is not valid JSON"),
        ('{"slug": "a"}', "The feed must be a JSON list of meetings."),
        ('["a meeting"]', "row 1: is not a JSON object"),
    ],
)
def test_a_feed_that_is_not_a_json_list_of_objects_is_refused(tmp_path, text, problem):
    path = tmp_path / "feed.json"
    path.write_text(text)

    with pytest.raises(CommandError, match=problem):
        run(str(path), fellowship="AA", strict=True)


def row(**fields):
    base = {
        "name": "Lunch Bunch",
        "slug": "lunch-bunch",
        "day": 2,
        "time": "12:00",
        "timezone": "America/Chicago",
        "conference_url": "https://zoom.example.org/j/9",
    }
    return {key: value for key, value in {**base, **fields}.items() if value is not None}


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": None}, "name is missing"),
        ({"day": [1, 9]}, "day [1, 9] must list days 0–6"),
        ({"day": "someday"}, "day 'someday' is not 0–6"),
        ({"time": "25:00"}, "time '25:00' is not a time"),
        # No place and no zone of its own: nothing says where, nor what time it is there.
        ({"timezone": "Mars/Olympus"}, "no time zone"),
        ({"slug": "with space"}, "slug may only hold letters"),
        ({"conference_url": None}, "or a conference link or phone"),
        # A bad link is dropped; then nothing says how to attend.
        ({"conference_url": "zoom"}, "or a conference link or phone"),
    ],
)
def test_each_invalid_row_is_reported_with_its_position(fields, problem):
    feed = [row(slug="fine"), row(**fields)]

    with pytest.raises(FeedError) as raised:
        import_feed(feed, fellowship="AA", strict=True)

    assert any(p.startswith("row 2") and problem in p for p in raised.value.problems), (
        raised.value.problems
    )


def test_duplicate_slugs_are_reported_including_those_made_from_day_lists():
    feed = [row(slug="a"), row(slug="a"), row(slug="b-1"), row(slug="b", day=[1, 2])]

    with pytest.raises(FeedError) as raised:
        import_feed(feed, fellowship="AA", strict=True)

    assert raised.value.problems == [
        "row 2 (slug 'a'): slug 'a' is already used by row 1",
        "row 4 (slug 'b'): slug 'b-1' is already used by row 3",
    ]


def test_an_end_after_midnight_is_kept_and_a_long_or_empty_span_dropped():
    # An end before the start by less than 12 hours is the next day.
    report = import_feed([row(time="23:00", end_time="00:30")], fellowship="AA")

    meeting = Meeting.objects.get(slug="lunch-bunch")
    assert (meeting.start_time, meeting.end_time) == (time(23), time(0, 30))
    assert report.warnings == []

    for end in ("11:00", "23:00"):
        report = import_feed([row(time="23:00", end_time=end)], fellowship="AA")
        meeting.refresh_from_db()
        assert meeting.end_time is None
        assert report.warning_counts == {"end times dropped": 1}


def test_attendance_option_wins_and_inactive_imports_an_inactive_meeting():
    place = {"location": "Hall", "address": "1 Main St", "city": "Chicago", "state": "IL"}
    place |= {"latitude": 41.9, "longitude": -87.6}
    feed = [
        row(slug="in-person", attendance_option="in_person", **place),
        row(slug="gone", attendance_option="inactive"),
    ]

    import_feed(feed, fellowship="AA")

    in_person = Meeting.objects.get(slug="in-person")
    assert in_person.attendance == Attendance.IN_PERSON
    assert in_person.conference_url == ""
    assert Meeting.objects.get(slug="gone").status == MeetingStatus.INACTIVE


def test_a_slug_of_another_fellowships_meeting_is_not_taken_over():
    import_feed([row()], fellowship="NA")

    with pytest.raises(FeedError, match="already used by a meeting of another fellowship"):
        import_feed([row()], fellowship="AA", strict=True)


def test_a_missing_time_zone_never_falls_back_to_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"

    with pytest.raises(FeedError, match="no time zone.*give the import one with --time-zone"):
        import_feed([row(timezone=None)], fellowship="AA", strict=True)
    import_feed([row(timezone=None)], fellowship="AA", time_zone="America/Denver")

    assert Meeting.objects.get().time_zone == "America/Denver"


def test_read_feed_refuses_what_is_not_json():
    with pytest.raises(FeedError):
        read_feed("[1,")
    assert read_feed(json.dumps(copy.deepcopy(good_feed())))[0]["slug"] == (
        "monday-night-beginners"
    )


def test_imported_groups_are_indexed_for_search():
    run(str(GOOD), fellowship="AA")

    found = SupportGroup.objects.search("lincoln park beginners")
    assert [group.name for group in found] == ["Lincoln Park Beginners"]


def test_import_then_export_lists_the_feed_meetings(client):
    run(str(GOOD), fellowship="AA")

    exported = {entry["slug"] for entry in client.get("/api/meeting-guide.json").json()}

    assert exported == {
        "monday-night-beginners",
        "wednesday-big-book",
        "womens-online-morning-2",
        "womens-online-morning-4",
        "saturday-speaker",
    }


def test_a_row_skipped_as_invalid_does_not_deactivate_its_meetings():
    import_feed(
        [row(slug="kept"), row(slug="days", day=[1, 2]), row(slug="dropped")], fellowship="AA"
    )

    report = import_feed(
        [row(slug="kept"), row(slug="days", day=[1, 9])], fellowship="AA", skip_invalid=True
    )

    assert report.deactivated == 1
    statuses = dict(Meeting.objects.values_list("slug", "status"))
    assert statuses == {
        "kept": MeetingStatus.ACTIVE,
        "days-1": MeetingStatus.ACTIVE,
        "days-2": MeetingStatus.ACTIVE,
        "dropped": MeetingStatus.INACTIVE,
    }


def test_a_formatted_address_is_split_and_gives_the_time_zone_of_its_zip():
    place = {"location": "Hall", "formatted_address": "1 Main St, Denver, CO 80202, USA"}
    place |= {"latitude": 39.75, "longitude": -104.99}

    import_feed([row(timezone=None, conference_url=None, **place)], fellowship="AA")

    meeting = Meeting.objects.get()
    assert meeting.time_zone == "America/Denver"
    assert (meeting.place.address_line1, meeting.place.city) == ("1 Main St", "Denver")
    assert (meeting.place.region, meeting.place.postal_code) == ("CO", "80202")
