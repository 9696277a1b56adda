"""What a Meeting Guide feed says beyond when and where is kept, shown and passed on: the
source's page and time, feedback, 7th-tradition handles, the service entity, regions; and
addresses without coordinates are listed by their address."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from exchange.meeting_guide.importer import import_feed
from groups.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

FEED = reverse("exchange:meeting_guide_feed")
FINDER = reverse("directory:meeting_finder")


def row(**fields):
    return {
        "name": "Lakeview Step Study",
        "slug": "lakeview",
        "day": 2,
        "time": "19:30",
        "timezone": "America/Chicago",
        "location": "Lakeview Church",
        "formatted_address": "2400 N Clark St, Chicago, IL 60614, USA",
        "latitude": 41.9248,
        "longitude": -87.6414,
        **fields,
    }


DETAILS = {
    "url": "https://aa-intergroup.example.org/meetings/lakeview/",
    "updated": "2026-01-15 18:04:05",
    "region": "Chicago",
    "sub_region": "North Side",
    "district": "District 7",
    "feedback_url": "https://aa-intergroup.example.org/feedback/",
    "feedback_emails": ["listings@aa-intergroup.example.org"],
    "venmo": "@LakeviewGroup",
    "paypal": "https://www.paypal.me/LakeviewGroup",
    "square": "$LakeviewGroup",
    "entity": "Example Area Intergroup",
    "entity_email": "office@aa-intergroup.example.org",
    "entity_phone": "312-555-0199",
    "entity_location": "Serving the North Side",
    "entity_url": "https://aa-intergroup.example.org/",
    "entity_logo": "https://aa-intergroup.example.org/logo.png",
}


def page(client, meeting):
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def exported(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path
    response = client.get(FEED)
    return json.loads(b"".join(response) if response.streaming else response.content)


def test_the_details_a_feed_gives_are_kept_on_the_meeting():
    report = import_feed([row(**DETAILS)], fellowship="AA", source="intergroup")

    assert report.warning_counts == {}
    meeting = Meeting.objects.get()
    assert meeting.source_url == DETAILS["url"]
    # The source's time, not the import's.
    assert meeting.source_updated == datetime(2026, 1, 15, 18, 4, 5, tzinfo=UTC)
    assert meeting.regions == ["Chicago", "North Side"]
    assert meeting.district == "District 7"
    assert meeting.feedback_emails == ["listings@aa-intergroup.example.org"]
    assert (meeting.venmo, meeting.paypal, meeting.square) == (
        "@LakeviewGroup",
        "LakeviewGroup",
        "$LakeviewGroup",
    )
    assert (meeting.entity, meeting.entity_url, meeting.entity_logo) == (
        "Example Area Intergroup",
        "https://aa-intergroup.example.org/",
        "https://aa-intergroup.example.org/logo.png",
    )
    # History keeps them too.
    assert meeting.history.get().district == "District 7"


def test_importing_the_same_details_again_changes_nothing():
    import_feed([row(**DETAILS)], fellowship="AA", source="intergroup")

    again = import_feed([row(**DETAILS)], fellowship="AA", source="intergroup")
    changed = import_feed(
        [row(**{**DETAILS, "district": "District 8"})], fellowship="AA", source="intergroup"
    )

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (changed.updated, Meeting.objects.get().district) == (1, "District 8")


def test_bad_links_addresses_and_handles_are_dropped_with_warnings_counted_by_kind():
    bad = {
        "url": "javascript:alert(1)",
        "feedback_url": "ftp://aa-intergroup.example.org/",
        "entity_url": "not a link",
        "feedback_emails": ["listings@aa-intergroup.example.org", "nobody"],
        "entity_email": "office at example",
        "venmo": "@ has spaces",
        "square": "$LakeviewGroup",
        "updated": "last Tuesday",
        "regions": "Chicago",
    }
    report = import_feed([row(**bad)], fellowship="AA", source="intergroup")

    assert report.created == 1
    assert report.warning_counts == {
        "bad web addresses dropped": 3,
        "bad e-mail addresses dropped": 2,
        "bad 7th-tradition handles dropped": 1,
        "bad updated times dropped": 1,
        "bad optional values dropped": 1,
    }
    assert "row 1 (slug 'lakeview'): url 'javascript:alert(1)' is not a web address" in (
        report.warnings
    )
    meeting = Meeting.objects.get()
    assert (meeting.source_url, meeting.feedback_url, meeting.entity_url) == ("", "", "")
    assert meeting.feedback_emails == ["listings@aa-intergroup.example.org"]
    assert (meeting.entity_email, meeting.venmo, meeting.square) == ("", "", "$LakeviewGroup")
    assert meeting.source_updated is None


def test_the_meeting_page_shows_them_as_plain_links_and_loads_nothing_from_elsewhere(client):
    import_feed([row(**DETAILS)], fellowship="AA", source="intergroup")

    html = page(client, Meeting.objects.get())

    assert (
        '<a href="https://aa-intergroup.example.org/meetings/lakeview/" rel="noopener nofollow">'
        "Meeting page at aa-intergroup.example.org</a>"
    ) in html
    assert (
        '<a href="https://aa-intergroup.example.org/feedback/" rel="noopener nofollow">'
        "Send feedback about this listing</a>"
    ) in html
    assert '<a href="https://venmo.com/u/LakeviewGroup" rel="noopener nofollow">' in html
    assert '<a href="https://www.paypal.me/LakeviewGroup" rel="noopener nofollow">' in html
    assert '<a href="https://cash.app/$LakeviewGroup" rel="noopener nofollow">' in html
    assert "Listed by Example Area Intergroup" in html
    assert "Serving the North Side" in html
    assert 'href="tel:+13125550199"' in html
    assert 'href="mailto:office@aa-intergroup.example.org"' in html
    assert "Chicago › North Side" in html and "District 7" in html
    # The logo is passed on in our feed, never loaded on our page.
    assert "logo.png" not in html


def test_feedback_by_email_when_the_source_gives_no_page(client):
    import_feed(
        [row(feedback_emails="a@aa-intergroup.example.org, b@aa-intergroup.example.org")],
        fellowship="AA",
    )

    html = page(client, Meeting.objects.get())

    assert (
        '<a href="mailto:a@aa-intergroup.example.org,b@aa-intergroup.example.org">'
        "Send feedback about this listing</a>"
    ) in html


def test_an_online_meetings_location_notes_are_kept_shown_and_passed_on(client, settings, tmp_path):
    online = {
        "name": "Night Owls",
        "slug": "night-owls",
        "day": 5,
        "time": "23:00",
        "timezone": "America/Chicago",
        "conference_url": "https://zoom.example.org/j/42",
        "location_notes": "The room opens ten minutes early.",
    }
    import_feed([online], fellowship="AA")

    meeting = Meeting.objects.get()
    assert (meeting.attendance, meeting.location_notes) == (
        Attendance.ONLINE,
        "The room opens ten minutes early.",
    )
    assert "The room opens ten minutes early." in page(client, meeting)
    (entry,) = exported(client, settings, tmp_path)
    assert entry["location_notes"] == "The room opens ten minutes early."


ADDRESS_ONLY = {
    "name": "Hatboro Serenity",
    "slug": "hatboro-serenity",
    "day": 3,
    "time": "19:00",
    "location": "St. Paul's Church",
    "formatted_address": "979 West County Line Road, Hatboro, PA, 19040, USA",
}


def test_an_address_without_coordinates_is_listed_by_its_address(client, settings, tmp_path):
    report = import_feed([ADDRESS_ONLY], fellowship="AA")

    assert (report.created, report.skipped, report.warning_counts) == (1, [], {})
    meeting = Meeting.objects.get()
    assert meeting.attendance == Attendance.IN_PERSON
    assert meeting.time_zone == "America/New_York"  # from the ZIP
    place = meeting.place
    assert (place.address_line1, place.city, place.region, place.postal_code) == (
        "979 West County Line Road",
        "Hatboro",
        "PA",
        "19040",
    )
    assert (place.latitude, place.longitude) == (None, None)
    assert meeting.group.address_line1 == "979 West County Line Road"

    html = page(client, meeting)
    assert "979 West County Line Road" in html

    # The finder near its ZIP does not find it: there is nothing to measure from.
    finder = client.get(FINDER, {"day": "any", "near": "19040"})
    assert finder.status_code == 200
    assert "Hatboro Serenity" not in finder.content.decode()
    assert "Hatboro Serenity" in client.get(FINDER, {"day": "any"}).content.decode()

    (entry,) = exported(client, settings, tmp_path)
    assert entry["address"] == "979 West County Line Road"
    assert entry["formatted_address"] == "979 West County Line Road, Hatboro, PA 19040, US"
    assert "latitude" not in entry and "longitude" not in entry

    again = import_feed([ADDRESS_ONLY], fellowship="AA")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_source_without_coordinates_never_takes_them_from_a_shared_place():
    located = {**ADDRESS_ONLY, "latitude": 40.1968, "longitude": -75.1163}
    import_feed([located], fellowship="AA", source="with coordinates")
    import_feed([ADDRESS_ONLY], fellowship="AA", source="without")

    again = [
        import_feed([located], fellowship="AA", source="with coordinates"),
        import_feed([ADDRESS_ONLY], fellowship="AA", source="without"),
    ]

    (place,) = {meeting.place for meeting in Meeting.objects.all()}
    assert (float(place.latitude), float(place.longitude)) == (40.1968, -75.1163)
    assert [(each.places_updated, each.updated) for each in again] == [(0, 0), (0, 0)]
