"""The meeting finder (/meetings/), fellowship pages and a group's meeting schedule."""

import json
import math
import re
from datetime import datetime, time
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from directory.meeting_filters import MeetingFilter
from directory.templatetags.meetings import distance_text
from groups.models import Attendance, Meeting, MeetingFrequency, MeetingStatus
from resources.geo import EARTH_RADIUS_MILES, Location
from tests.factories import fellowship, make_meeting, make_place, make_support_group
from tests.helpers import link_query, problems

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
# Tuesday 2026-11-24, noon in Chicago.
NOON_TUESDAY = datetime(2026, 11, 24, 12, tzinfo=CHICAGO)
MONDAY, TUESDAY, WEDNESDAY = 1, 2, 3
FINDER = reverse("directory:meeting_finder")
# Denver's centre, far from the factories' Chicago address.
DENVER = {"city": "Denver", "region": "CO", "postal_code": "80202", "latitude": "39.750000"}


@pytest.fixture(autouse=True)
def tuesday_noon(monkeypatch):
    """The finder reads the clock; these tests read it at Tuesday noon in Chicago."""
    monkeypatch.setattr(timezone, "now", lambda: NOON_TUESDAY)


def names(response):
    return [meeting.name for meeting in response.context["page"].object_list]


def find(client, query="", status=200, **headers):
    response = client.get(f"{FINDER}?{query}", headers=headers)
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def test_default_view_is_todays_upcoming_meetings_soonest_first(client):
    make_meeting(name="Tuesday 7pm", weekday=TUESDAY, start_time=time(19))
    make_meeting(name="Tuesday 1pm", weekday=TUESDAY, start_time=time(13), end_time=time(14))
    make_meeting(name="Tuesday 8am", weekday=TUESDAY, start_time=time(8), end_time=time(9))
    make_meeting(name="Wednesday 7pm", weekday=WEDNESDAY, start_time=time(19))
    response = find(client)
    assert names(response) == ["Tuesday 1pm", "Tuesday 7pm"]
    html = response.content.decode()
    assert "2 meetings later today" in html
    assert "Tuesday, <time" in html and "7:00 PM CST" in html


def test_default_view_leaves_out_hidden_meetings(client):
    make_meeting(name="Closed", weekday=TUESDAY, status=MeetingStatus.TEMPORARILY_CLOSED)
    make_meeting(name="Draft group", weekday=TUESDAY, group=make_support_group(status="draft"))
    make_meeting(name="Listed", weekday=TUESDAY)
    assert names(find(client)) == ["Listed"]


def test_day_filter_chooses_weekdays(client):
    make_meeting(name="Monday", weekday=MONDAY)
    make_meeting(name="Wednesday", weekday=WEDNESDAY)
    make_meeting(name="Tuesday", weekday=TUESDAY)
    assert names(find(client, "day=1&day=3")) == ["Wednesday", "Monday"]  # Wednesday is sooner
    assert set(names(find(client, "day=any"))) == {"Monday", "Tuesday", "Wednesday"}
    assert names(find(client, "day=today")) == ["Tuesday"]


def test_time_of_day_filter_reads_start_times_and_night_wraps_midnight(client):
    for name, start in [("Early", 6), ("Lunch", 12), ("Evening", 18), ("Late", 22), ("Small", 2)]:
        make_meeting(name=name, weekday=TUESDAY, start_time=time(start), end_time=None)
    assert names(find(client, "day=any&time=morning")) == ["Early"]
    assert names(find(client, "day=any&time=midday")) == ["Lunch"]
    assert names(find(client, "day=any&time=evening")) == ["Evening"]
    assert set(names(find(client, "day=any&time=night"))) == {"Late", "Small"}


def test_now_shows_meetings_in_progress_or_starting_within_two_hours(client):
    make_meeting(name="In progress", weekday=TUESDAY, start_time=time(11, 30), end_time=time(13))
    make_meeting(name="At 1:30", weekday=TUESDAY, start_time=time(13, 30), end_time=None)
    make_meeting(name="At 3", weekday=TUESDAY, start_time=time(15), end_time=None)
    response = find(client, "now=1")
    assert names(response) == ["In progress", "At 1:30"]


def test_attendance_fellowship_approach_and_audience_filters(client):
    make_meeting(name="AA in person")
    make_meeting(
        name="SMART online",
        group=make_support_group(fellowship=fellowship("SMART")),
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/1",
    )
    make_meeting(name="Al-Anon", group=make_support_group(fellowship=fellowship("Al-Anon")))
    assert names(find(client, "day=any&attendance=online")) == ["SMART online"]
    assert names(find(client, "day=any&fellowship=alcoholics-anonymous")) == ["AA in person"]
    assert names(find(client, "day=any&approach=secular")) == ["SMART online"]
    assert names(find(client, "day=any&audience=family_and_friends")) == ["Al-Anon"]


def test_types_filter_needs_every_type_ticked(client):
    make_meeting(name="Open speaker", types=["O", "SP"])
    make_meeting(name="Open", types=["O"])
    make_meeting(name="Closed", types=["C"])
    assert set(names(find(client, "day=any&types=O"))) == {"Open speaker", "Open"}
    assert names(find(client, "day=any&types=O&types=SP")) == ["Open speaker"]


def test_types_are_spelled_out_never_bare_codes(client):
    make_meeting(name="Open speaker", weekday=TUESDAY, types=["O", "SP"])
    html = find(client).content.decode()
    assert "<li>Open</li>" in html and "<li>Speaker</li>" in html
    assert "<li>SP</li>" not in html


def test_text_finds_meeting_group_and_place_names_and_notes(client):
    make_meeting(name="Serenity at noon")
    make_meeting(name="Other", group=make_support_group(name="Lakeview Serenity Group"))
    make_meeting(name="Hall", place=make_place(name="Serenity Hall"))
    make_meeting(name="Notes", notes="Bring serenity")
    make_meeting(name="Nothing")
    assert set(names(find(client, "day=any&q=serenity"))) == {
        "Serenity at noon",
        "Other",
        "Hall",
        "Notes",
    }


def test_near_keeps_in_person_meetings_within_the_radius_with_distance(client):
    make_meeting(name="Chicago hall")
    make_meeting(name="Denver hall", place=make_place(**DENVER, longitude="-104.990000"))
    make_meeting(
        name="Online only", attendance=Attendance.ONLINE, conference_url="https://x.example/1"
    )
    response = find(client, "day=any&near=60614&radius=10")
    assert names(response) == ["Chicago hall"]
    assert "mile away" in response.content.decode() or "miles away" in response.content.decode()


def test_meeting_at_the_groups_address_is_measured_from_the_group(client):
    denver_group = make_support_group(**DENVER, longitude="-104.990000")
    make_meeting(name="At the group", group=denver_group)
    assert names(find(client, "day=any&near=80202")) == ["At the group"]
    assert names(find(client, "day=any&near=60614")) == []


# Distances: from the meeting's place, else from its group's address ------------------------

# Where the visitor is: "41.92,-87.65" (Lincoln Park), as the "Use my location" button sends it.
HERE = "41.92,-87.65"
NEAR_GROUP = {}  # the factories' address, 2400 N Clark St: 0.6 miles away
FAR = {**DENVER, "longitude": "-104.990000"}
# 1° of latitude is 69.09 miles: these are 9.9 and 10.1 miles north of HERE.
INSIDE_10_MILES = {"latitude": Decimal("42.063286"), "longitude": Decimal("-87.650000")}
OUTSIDE_10_MILES = {"latitude": Decimal("42.066181"), "longitude": Decimal("-87.650000")}
NEAR_PLACE = {"latitude": Decimal("41.950000"), "longitude": Decimal("-87.660000")}


def miles_between(latitude, longitude, other_latitude, other_longitude):
    """The great-circle distance, computed here independently of the code under test."""
    φ1, φ2 = math.radians(latitude), math.radians(other_latitude)
    dφ, dλ = φ2 - φ1, math.radians(other_longitude - longitude)
    a = math.sin(dφ / 2) ** 2 + math.cos(φ1) * math.cos(φ2) * math.sin(dλ / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def expected_distances(latitude, longitude, miles, meetings):
    """{name: miles} of the listed in-person and hybrid meetings within ``miles``, each measured
    from its place if the place has coordinates, else from its group: what the finder promises."""
    found = {}
    for meeting in meetings:
        if meeting.attendance == Attendance.ONLINE or meeting.group.status != "published":
            continue
        place = meeting.place if meeting.place and meeting.place.has_coordinates else None
        where = place or meeting.group
        distance = miles_between(latitude, longitude, float(where.latitude), float(where.longitude))
        if distance <= miles:
            found[meeting.name] = distance
    return found


def nearby_meetings(weekday=TUESDAY, start_time=time(19)):
    near_group, far_group = make_support_group(**NEAR_GROUP), make_support_group(**FAR)
    draft_group = make_support_group(status="draft")
    unlocated = make_place(name="Unknown hall", latitude=None, longitude=None)

    def meeting(name, **fields):
        return make_meeting(name=name, weekday=weekday, start_time=start_time, **fields)

    return [
        meeting("At the near group", group=near_group),
        meeting("At the far group", group=far_group),
        meeting("Near place, far group", group=far_group, place=make_place(**NEAR_PLACE)),
        meeting("Far place, near group", group=near_group, place=make_place(**FAR)),
        meeting("Place without coordinates, near group", group=near_group, place=unlocated),
        meeting("Place without coordinates, far group", group=far_group, place=unlocated),
        meeting(
            "Online, near group",
            group=near_group,
            attendance=Attendance.ONLINE,
            conference_url="https://meet.example.org/2",
        ),
        meeting(
            "Hybrid, near place",
            group=far_group,
            place=make_place(**NEAR_PLACE),
            attendance=Attendance.HYBRID,
            conference_url="https://meet.example.org/3",
        ),
        meeting("Just inside 10 miles", group=far_group, place=make_place(**INSIDE_10_MILES)),
        meeting("Just outside 10 miles", group=near_group, place=make_place(**OUTSIDE_10_MILES)),
        meeting("Draft group", group=draft_group),
    ]


def shown_distances(response):
    """{name: the distance the page shows} of the meetings listed."""
    html = response.content.decode()
    shown = {}
    for meeting in response.context["page"].object_list:
        text = distance_text(meeting.distance)
        assert f"<strong>{text}</strong>" in html
        shown[meeting.name] = text
    return shown


@pytest.mark.parametrize("query", ["day=any", "day=2", "day=today", ""])
def test_near_measures_from_the_place_else_the_group(client, query):
    meetings = nearby_meetings()
    expected = expected_distances(41.92, -87.65, 10, meetings)
    assert set(expected) == {
        "At the near group",
        "Near place, far group",
        "Place without coordinates, near group",
        "Hybrid, near place",
        "Just inside 10 miles",
    }

    response = find(client, f"{query}&near={HERE}&radius=10")

    assert shown_distances(response) == {
        name: distance_text(miles) for name, miles in expected.items()
    }
    assert shown_distances(response)["At the near group"] == "0.6 miles away"
    assert shown_distances(response)["Just inside 10 miles"] == "9.9 miles away"


def test_near_with_a_wider_radius_and_other_days(client):
    meetings = nearby_meetings(weekday=WEDNESDAY)
    expected = expected_distances(41.92, -87.65, 25, meetings)
    assert "Just outside 10 miles" in expected

    assert names(find(client, f"near={HERE}")) == []  # none of them meets today
    assert names(find(client, f"day=2&near={HERE}")) == []
    response = find(client, f"day=3&near={HERE}&radius=25")
    assert shown_distances(response) == {
        name: distance_text(miles) for name, miles in expected.items()
    }


def test_near_gives_what_measuring_every_meeting_gives():
    """The index-served path finds exactly the meetings a plain measure of every one finds."""
    meetings = nearby_meetings() + nearby_meetings(weekday=WEDNESDAY, start_time=time(7))
    for miles in (5, 10, 25, 100):
        found = Meeting.objects.listed().near(Location("here", 41.92, -87.65), miles)
        expected = expected_distances(41.92, -87.65, miles, meetings)
        assert sorted(meeting.name for meeting in found) == sorted(
            name for name in expected for _ in range(2)
        )
        for meeting in found:
            assert meeting.distance == pytest.approx(expected[meeting.name], abs=1e-6)


def test_today_near_a_place_with_a_moment():
    nearby_meetings(start_time=time(11, 50))  # later today at noon, not at 12:20
    nearby_meetings(start_time=time(13))
    data = QueryDict(f"near={HERE}&radius=10")
    filterset = MeetingFilter(data, Meeting.objects.listed(), moment=NOON_TUESDAY)
    assert filterset.is_valid(), filterset.errors
    assert len(filterset.qs) == 10  # 5 within 10 miles, at 11:50 and at 1
    later = datetime(2026, 11, 24, 12, 20, tzinfo=CHICAGO)
    filterset = MeetingFilter(data, Meeting.objects.listed(), moment=later)
    assert filterset.is_valid()
    assert len(filterset.qs) == 5
    assert {meeting.start_time for meeting in filterset.qs} == {time(13)}


def test_a_meeting_in_a_new_time_zone_is_found_at_once(client):
    make_meeting(name="Chicago tonight", weekday=TUESDAY)
    assert names(find(client)) == ["Chicago tonight"]
    # Noon on Tuesday in Chicago is 4 AM on Wednesday in Guam: its 7 AM meeting is later today
    # there, though no meeting was held in that zone when the finder last looked.
    make_meeting(
        name="Guam this morning",
        weekday=WEDNESDAY,
        start_time=time(7),
        end_time=time(8),
        time_zone="Pacific/Guam",
    )
    assert names(find(client)) == ["Guam this morning", "Chicago tonight"]
    assert names(find(client, "day=today")) == ["Guam this morning", "Chicago tonight"]


def test_unknown_place_is_reported_not_a_server_error(client):
    response = find(client, "near=Nowhereville+ZZ", status=200)
    assert "We couldn’t find that place" in response.content.decode()


def test_chips_name_each_filter_and_remove_it(client):
    make_meeting(weekday=TUESDAY)
    html = find(client, "day=2&attendance=online&now=1").content.decode()
    assert "Remove </span>Tuesday" in html
    assert "Remove </span>Online" in html
    assert "Remove </span>In progress or starting within 2 hours" in html
    assert 'href="?day=2&amp;now=1"' in html  # the chip that removes "Online"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("day=9", 400, "We don’t list “9” as a day"),
        ("time=brunch", 400, "We don’t list “brunch” as a time of day"),
        ("radius=-5&near=60614", 400, "Choose a distance from the list"),
        ("page=0", 400, "Page numbers start at 1."),
        ("page=abc", 400, "is not a page number"),
        ("page=99", 404, "There is no page 99"),
        ("types=ZZZ", 400, "We don’t list “ZZZ” as a meeting type"),
        ("q=" + "a" * 5000, 400, "Search text is too long (5,000 characters)"),
        ("q=%ff", 400, "characters we could not read"),
        ("now=maybe", 400, "is not a yes or no"),
        ("fellowship=nope", 400, "as a fellowship"),
    ],
)
def test_bad_input_is_explained(client, query, status, message):
    make_meeting(weekday=TUESDAY)
    response = find(client, query, status=status)
    assert message in response.content.decode()
    assert response.context["problems"]


def test_htmx_gets_only_the_results(client):
    make_meeting(name="Tonight", weekday=TUESDAY)
    response = find(client, HX_Request="true")
    html = response.content.decode()
    assert "Tonight" in html
    assert "<html" not in html and 'id="meeting-finder"' not in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_finder_sets_no_cookie_and_offers_the_feed_and_a_calendar(client):
    make_meeting(weekday=TUESDAY)
    response = find(client, "day=2")
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    feed = reverse("exchange:meeting_guide_feed")
    assert (
        f'<link rel="alternate" type="application/json" title="Meeting Guide" href="{feed}">'
        in html
    )
    assert 'href="/meetings/calendar.ics?day=2"' in html
    assert "Add to calendar" in html


def test_online_meeting_carries_its_utc_instant_for_the_browser(client):
    make_meeting(
        name="Online",
        weekday=TUESDAY,
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/1",
    )
    html = find(client).content.decode()
    # 7 PM CST on 2026-11-24 is 01:00 UTC on the 25th.
    assert (
        '<time datetime="2026-11-25T01:00:00Z" data-local-time data-zone="America/Chicago">' in html
    )
    assert "Online" in html


def test_monthly_meeting_result_says_which_week(client):
    make_meeting(
        name="Last Tuesday",
        weekday=TUESDAY,
        frequency=MeetingFrequency.MONTHLY,
        week_of_month=5,
    )
    assert "Last Tuesday of the month" in find(client, "day=2").content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_finder_query_count_does_not_grow_with_results(client, django_assert_num_queries, n):
    groups = [make_support_group(), make_support_group()]
    for i in range(n):
        make_meeting(
            weekday=TUESDAY,
            group=groups[i % 2],
            place=make_place() if i % 3 else None,
            types=["O", "SP"],
        )
    # 1 the time zones meetings are held in, 2 the page's meeting ids, each row carrying
    # how many were found, 3 those meetings with group, fellowship, place and types, to make
    # their cards, 4 how many of the results have each type (and, with few results, what
    # the ways to more would find).
    with django_assert_num_queries(4):
        response = find(client, "day=any&near=60614&types=O")
    assert len(names(response)) == n
    assert f"{n} meetings" in response.text
    # The time zones are kept until a meeting changes, and so are the meetings' cards.
    with django_assert_num_queries(2):
        find(client)
    with django_assert_num_queries(2):
        response = find(client, "near=Chicago, IL")
    assert len(names(response)) == n


def test_finder_pages_say_how_many_were_found_and_past_the_end_is_a_404(client):
    group = make_support_group()
    for weekday in range(7):
        for hour in range(10, 18):  # 8 a day: 56 meetings, 50 a page
            make_meeting(weekday=weekday, group=group, start_time=time(hour))

    first = find(client, "day=any")
    assert "56 meetings" in first.text
    assert len(names(first)) == 50
    last = find(client, "day=any&page=2")
    assert "56 meetings" in last.text
    assert len(names(last)) == 6
    past = find(client, "day=any&page=3", status=404)
    # The same words and the same way back as the search page.
    assert "There is no page 3: these results fill 2 pages." in problems(past.text)
    assert link_query(past.text, "Go to the last page") == {"day": ["any"], "page": ["2"]}


def test_a_finder_page_past_the_end_of_one_page_links_to_the_first(client):
    make_meeting(weekday=TUESDAY)
    past = find(client, "day=any&page=4", status=404)
    assert "There is no page 4: these results fill 1 page." in problems(past.text)
    assert link_query(past.text, "Go to the first page") == {"day": ["any"]}


@pytest.mark.parametrize(
    ("page", "status", "message"),
    [
        ("0", 400, "Page numbers start at 1."),
        ("abc", 400, "“abc” is not a page number. Use a whole number, like 2."),
    ],
)
def test_a_finder_page_number_it_cannot_use_links_to_the_first_page(client, page, status, message):
    make_meeting(weekday=TUESDAY)
    response = find(client, f"day=any&page={page}", status=status)
    assert message in problems(response.text)
    assert link_query(response.text, "Go to the first page") == {"day": ["any"]}


def test_filterset_with_plain_data():
    make_meeting(name="Online", attendance=Attendance.ONLINE, conference_url="https://x.example/")
    make_meeting(name="In person")
    filterset = MeetingFilter(
        {"attendance": ["online"], "day": ["any"]}, Meeting.objects.listed(), moment=NOON_TUESDAY
    )
    assert filterset.is_valid()
    assert [meeting.name for meeting in filterset.qs] == ["Online"]
    assert not MeetingFilter({"day": ["9"]}, Meeting.objects.listed()).is_valid()


# Fellowship pages and a group's schedule -------------------------------------------------------


def test_fellowship_list_and_page(client):
    group = make_support_group(name="Lincoln Park Group")
    make_support_group(name="Hidden group", status="draft")
    html = client.get(reverse("directory:fellowship_list")).content.decode()
    assert "Alcoholics Anonymous" in html and "SMART Recovery" in html
    response = client.get(reverse("directory:fellowship_detail", args=["alcoholics-anonymous"]))
    html = response.content.decode()
    assert "12-step" in html and "People in recovery" in html
    assert "aa.org" in html
    assert f'href="{group.get_absolute_url()}"' in html
    assert "Hidden group" not in html
    assert "/meetings/?fellowship=alcoholics-anonymous&amp;day=any" in html


def test_fellowship_page_queries(client, django_assert_num_queries):
    for _ in range(5):
        make_support_group()
    # 1 the fellowship, 2 its published groups.
    with django_assert_num_queries(2):
        client.get(reverse("directory:fellowship_detail", args=["alcoholics-anonymous"]))


def test_group_page_shows_monthly_meetings_by_week(client, django_assert_num_queries):
    group = make_support_group()
    make_meeting(group=group, name="Business", weekday=0, frequency="monthly", week_of_month=1)
    make_meeting(group=group, name="Weekly", weekday=TUESDAY)
    with django_assert_num_queries(5):
        html = client.get(group.get_absolute_url()).content.decode()
    assert "First Sunday of the month" in html
    assert "Weekly" in html


def test_meeting_page_shows_schedule_next_date_calendar_and_report(client):
    meeting = make_meeting(
        name="First Sunday speaker",
        weekday=0,
        frequency="monthly",
        week_of_month=1,
        start_time=time(10),
        end_time=time(11),
        attendance=Attendance.HYBRID,
        conference_url="https://meet.example.org/9",
        conference_phone="312-555-0199",
        types=["SP"],
        notes="Coffee from 9:30.",
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "First Sunday of the month, 10:00 AM" in html
    assert 'Next meeting: <time datetime="2026-12-06T16:00:00Z">Sunday, December 6' in html
    assert "Speaker" in html and "Coffee from 9:30." in html
    assert "Call in: 312-555-0199" in html
    assert f'href="/meetings/{meeting.slug}.ics"' in html
    assert "Report a problem with this meeting" in html
    assert f'href="/meetings/{meeting.slug}/report/">Report a problem with this meeting' in html
    assert 'rel="alternate" type="application/json" title="Meeting Guide"' in html


def test_a_search_near_a_place_has_a_map_of_its_in_person_meetings(client):
    make_meeting(name="Church hall meeting", weekday=TUESDAY, place=make_place(name="Hall"))
    make_meeting(
        name="Online only",
        weekday=TUESDAY,
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/j/9",
    )
    html = find(client, "near=60614&day=any").content.decode()
    assert 'class="map-canvas"' in html
    data = json.loads(unescape(re.search(r'data-map="([^"]+)"', html)[1]))
    # One pin, numbered as in the list; the online meeting is nowhere to go.
    assert [(pin["number"], pin["name"]) for pin in data["pins"]] == [(1, "Church hall meeting")]

    # Without a place there is no map, and no empty column for one.
    html = find(client, "day=any").content.decode()
    assert 'class="map-canvas"' not in html
    assert '<div id="results-map" class="results-map"></div>' in html
