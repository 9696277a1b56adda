"""Meeting Guide feeds as intergroups publish them: what the reader accepts, warns and refuses.

Each feed is written here in the shape a real publisher produces (12 Step Meeting List sites
and hand-made feeds): 12-hour times, day names and lists, numbers as strings, no-break spaces,
lowercase types, by-appointment rows, online meetings with no ZIP, Canadian addresses.
"""

import io
import json
from datetime import time

import pytest
from django.core.management import call_command

from exchange.meeting_guide.importer import FeedError, import_feed
from groups.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


def meeting(slug):
    return Meeting.objects.select_related("place").get(slug=slug)


def types_of(slug):
    return sorted(Meeting.objects.get(slug=slug).types.values_list("code", flat=True))


PENNSYLVANIA = [
    {
        "name": "Hatboro Big Book",
        "slug": "hatboro-big-book",
        "day": "1",
        "time": "8:00 PM",
        "end_time": "9:00 PM",
        "location": "St. John's Church",
        "formatted_address": "979 West County Line Road, Hatboro, PA, 19040, USA",
        "latitude": "40.1785",
        "longitude": "-75.1072",
        "types": ["o", " BB "],
    },
    {
        # Online, no ZIP: the state of the intergroup's region is all it says.
        "name": "Early\xa0Birds Online ",
        "slug": "early-birds-online",
        "day": "Monday",
        "time": "7 am",
        "conference_url": "https://zoom.us/j/123",
        "formatted_address": "Online, PA",
        "types": ["ONL"],
    },
    {
        "name": "Late Night",
        "slug": "late-night",
        "day": 5,
        "time": "23:30",
        "end_time": "00:30",
        "address": "10 Main St",
        "city": "Doylestown",
        "state": "pa",
        "country": "USA",
        "latitude": 40.31,
        "longitude": -75.13,
    },
]


def test_a_pennsylvania_feed_with_12_hour_times_and_online_meetings_without_zip():
    report = import_feed(PENNSYLVANIA, fellowship="AA")

    big_book = meeting("hatboro-big-book")
    assert (big_book.weekday, big_book.start_time, big_book.end_time) == (1, time(20), time(21))
    assert big_book.time_zone == "America/New_York"
    place = big_book.place
    assert (place.address_line1, place.city, place.region, place.postal_code, place.country) == (
        "979 West County Line Road",
        "Hatboro",
        "PA",
        "19040",
        "US",
    )
    assert "O" in types_of("hatboro-big-book")

    online = meeting("early-birds-online")
    assert (online.name, online.weekday, online.start_time) == ("Early Birds Online", 1, time(7))
    assert online.attendance == Attendance.ONLINE
    assert online.time_zone == "America/New_York"

    late = meeting("late-night")
    assert (late.start_time, late.end_time, late.time_zone) == (
        time(23, 30),
        time(0, 30),
        "America/New_York",
    )
    assert late.place.region == "PA"

    assert report.skipped == []
    assert report.warning_counts["times written as 12-hour"] == 3
    assert "end times dropped" not in report.warning_counts
    assert "Warnings: " in "\n".join(report.lines())


ONTARIO = [
    {
        "name": "Queen Street Al-Anon",
        "slug": "queen-street",
        "day": "Tuesday",
        "time": "19:30:00",
        "formatted_address": "100 Queen St W, Toronto, ON M5H 2N2, Canada",
        "latitude": 43.6525,
        "longitude": -79.3834,
    },
    {
        # No coordinates, and a phone line: listed by its street address (not on a map),
        # and by phone too.
        "name": "Kenora Family Group",
        "slug": "kenora-family",
        "day": "wed",
        "time": "7:00 p.m.",
        "address": "10 Main St",
        "city": "Kenora",
        "state": "Ontario",
        "postal_code": "P9N 1A1",
        "country": "Canada",
        "conference_phone": "+1 807 555 0100",
    },
    {
        # A town alone, no coordinates, no other way in: refused, the others imported.
        "name": "Ottawa Step Group",
        "slug": "ottawa-step",
        "day": 4,
        "time": "20:00",
        "formatted_address": "Ottawa, ON, Canada",
    },
]


def test_an_ontario_feed_imports_with_canadian_addresses_and_zones():
    report = import_feed(ONTARIO, fellowship="Al-Anon")

    queen = meeting("queen-street")
    assert (queen.weekday, queen.start_time, queen.time_zone) == (
        2,
        time(19, 30),
        "America/Toronto",
    )
    assert (queen.place.city, queen.place.region, queen.place.postal_code, queen.place.country) == (
        "Toronto",
        "ON",
        "M5H 2N2",
        "CA",
    )

    kenora = meeting("kenora-family")
    assert (kenora.weekday, kenora.start_time) == (3, time(19))
    assert kenora.time_zone == "America/Winnipeg"
    assert kenora.attendance == Attendance.HYBRID
    assert (kenora.place.address_line1, kenora.place.city, kenora.place.postal_code) == (
        "10 Main St",
        "Kenora",
        "P9N 1A1",
    )
    assert (kenora.place.latitude, kenora.place.longitude) == (None, None)
    assert report.skipped == [
        "row 3 (slug 'ottawa-step'): a meeting needs a street address or coordinates, "
        "or a conference link or phone"
    ]


CALIFORNIA = [
    {
        "name": "Anaheim Step Study",
        "slug": "anaheim-step-study",
        "day": [1, "3", "Friday"],
        "time": "12:00",
        "end_time": "13:00",
        "types": ["c", "d", "made-up"],
        "location": "Community Hall",
        "formatted_address": "123 Main St, Anaheim, CA 92801, USA",
        "latitude": 33.8366,
        "longitude": -117.9143,
        "timezone": "America/Los_Angeles",
    },
    {
        "name": "Zoom Noon",
        "slug": "zoom-noon",
        "day": 0,
        "time": "12:00 PM",
        "end_time": "11:00",
        "conference_url": "not a link",
        "conference_phone": "+1 555 0100",
        "timezone": "Not/AZone",
        "latitude": "91",
        "longitude": "-118",
    },
]


def test_a_california_feed_with_day_lists_lowercase_types_and_bad_optional_data():
    report = import_feed(CALIFORNIA, fellowship="AA", time_zone="America/Los_Angeles")

    slugs = sorted(Meeting.objects.values_list("slug", flat=True))
    assert slugs == [
        "anaheim-step-study-1",
        "anaheim-step-study-3",
        "anaheim-step-study-5",
        "zoom-noon",
    ]
    assert meeting("anaheim-step-study-5").weekday == 5
    assert types_of("anaheim-step-study-1") == ["C", "D"]
    assert report.unknown_types == {"made-up": [1]}

    zoom = meeting("zoom-noon")
    assert (zoom.start_time, zoom.end_time) == (time(12), None)
    assert zoom.conference_url == ""
    assert zoom.conference_phone == "+1 555 0100"
    assert zoom.time_zone == "America/Los_Angeles"
    assert report.warning_counts == {
        "times written as 12-hour": 1,
        "end times dropped": 1,
        "bad conference links dropped": 1,
        "unknown time zones ignored": 1,
        "bad coordinates dropped": 2,
        "unknown type codes left out": 1,
    }


BY_APPOINTMENT = [
    {"name": "Weekly", "slug": "weekly", "day": 2, "time": "18:00", "timezone": "America/Denver",
     "conference_url": "https://meet.example.org/w"},
    {"name": "Call for a meeting", "slug": "by-appointment", "timezone": "America/Denver",
     "conference_phone": "+1 555 0101"},
    {"name": "", "slug": "nameless", "day": 1, "time": "10:00", "timezone": "America/Denver",
     "conference_url": "https://meet.example.org/n"},
]  # fmt: skip


def test_by_appointment_rows_are_kept_and_bad_rows_listed():
    report = import_feed(BY_APPOINTMENT, fellowship="AA", skip_invalid=True)

    assert list(Meeting.objects.values_list("slug", flat=True)) == ["weekly", "by-appointment"]
    assert Meeting.objects.get(slug="by-appointment").frequency == "by_appointment"
    assert report.skipped == ["row 3 (slug 'nameless'): name is missing"]
    assert report.by_appointment == 1
    assert not report.warning_counts


def test_by_appointment_rows_never_reject_a_strict_import():
    import_feed(BY_APPOINTMENT[:2], fellowship="AA")

    assert list(Meeting.objects.values_list("slug", flat=True)) == ["weekly", "by-appointment"]


def test_strict_refuses_the_whole_feed_over_a_row_that_cannot_be_a_meeting(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(BY_APPOINTMENT))
    with pytest.raises(Exception, match="name is missing"):
        call_command("import_meeting_guide", str(path), fellowship="AA", strict=True)
    assert not Meeting.objects.exists()

    out = io.StringIO()
    call_command("import_meeting_guide", str(path), fellowship="AA", stdout=out)
    assert "2 created" in out.getvalue()
    assert "Meetings by appointment (no day or time, kept): 1." in out.getvalue()


def test_a_row_with_nothing_that_says_its_time_zone_is_refused_with_how_to_set_it(settings):
    settings.TIME_ZONE = "America/Chicago"
    feed = [{"name": "Online", "slug": "online", "day": 1, "time": "9:00",
             "conference_url": "https://meet.example.org/o"}]  # fmt: skip

    with pytest.raises(FeedError, match="--time-zone"):
        import_feed(feed, fellowship="AA", strict=True)
    with pytest.raises(FeedError, match="not an IANA name"):
        import_feed(feed, fellowship="AA", time_zone="Central")


def test_coordinates_give_the_time_zone_of_the_nearest_zip():
    feed = [{"name": "El Paso", "slug": "el-paso", "day": 1, "time": "9:00", "address": "1 Main",
             "state": "TX", "latitude": 31.76, "longitude": -106.49}]  # fmt: skip

    import_feed(feed, fellowship="AA")

    assert meeting("el-paso").time_zone == "America/Denver"
