"""The meeting finder's "today" across zones, ways to more meetings, quick picks, type counts,
and what each result offers (in progress, Join, Directions). Issue 15."""

from datetime import datetime, time
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.meeting_filters import time_zone_of
from directory.templatetags.directions import directions_url, geo_uri
from groups.models import Attendance
from resources.geo import resolve_near
from tests.factories import CHICAGO, fellowship, make_meeting, make_place, make_support_group

pytestmark = pytest.mark.django_db

CHICAGO_ZONE = ZoneInfo("America/Chicago")
NEW_YORK = "America/New_York"
# Tuesday 2026-11-24, noon in Chicago.
NOON_TUESDAY = datetime(2026, 11, 24, 12, tzinfo=CHICAGO_ZONE)
# Saturday 2026-11-28, 11:20 PM in Chicago: already Sunday 00:20 in New York.
SATURDAY_NIGHT = datetime(2026, 11, 28, 23, 20, tzinfo=CHICAGO_ZONE)
SUNDAY, TUESDAY, WEDNESDAY, SATURDAY = 0, 2, 3, 6
FINDER = reverse("directory:meeting_finder")
# Aurora, Illinois: about 30 miles west of the 60614 ZIP's centre.
AURORA = {
    "address_line1": "1 E Galena Blvd",
    "city": "Aurora",
    "region": "IL",
    "postal_code": "60505",
    "latitude": Decimal("41.757000"),
    "longitude": Decimal("-88.314000"),
}
MIDTOWN = {
    "address_line1": "350 W 31st St",
    "city": "New York",
    "region": "NY",
    "postal_code": "10001",
    "latitude": Decimal("40.750000"),
    "longitude": Decimal("-73.997000"),
}


@pytest.fixture(autouse=True)
def tuesday_noon(monkeypatch):
    """The finder reads the clock; these tests read it at Tuesday noon in Chicago."""
    monkeypatch.setattr(timezone, "now", lambda: NOON_TUESDAY)


def find(client, query=""):
    response = client.get(f"{FINDER}?{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def names(response):
    return [meeting.name for meeting in response.context["page"].object_list]


def online(**fields):
    return make_meeting(
        attendance=Attendance.ONLINE, conference_url="https://meet.example.org/j/1", **fields
    )


# "Today" is the searched place's day ------------------------------------------------------


def test_saturday_night_in_chicago_is_not_sundays_meetings_in_new_york(client, monkeypatch):
    """Issue 15: a Chicago visitor at 11:20 PM on a Saturday was told "12 meetings later
    today", all of them Sunday meetings in Eastern cities."""
    monkeypatch.setattr(timezone, "now", lambda: SATURDAY_NIGHT)
    for hour in range(8, 20):
        online(name=f"New York Sunday {hour}:00", weekday=SUNDAY, start_time=time(hour),
               end_time=None, time_zone=NEW_YORK)  # fmt: skip
    make_meeting(name="Chicago 11:30 PM", weekday=SATURDAY, start_time=time(23, 30), end_time=None)
    response = find(client)
    assert names(response) == ["Chicago 11:30 PM"]
    assert "1 meeting later today" in response.text
    assert "today ends at midnight CST" in response.text


def test_today_near_a_new_york_zip_is_new_yorks_day(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: SATURDAY_NIGHT)
    midtown = make_place(**MIDTOWN)
    make_meeting(name="Midtown Sunday 7 AM", weekday=SUNDAY, start_time=time(7),
                 end_time=time(8), time_zone=NEW_YORK, place=midtown)  # fmt: skip
    make_meeting(name="Midtown Saturday 11 PM", weekday=SATURDAY, start_time=time(23),
                 end_time=time(23, 59), time_zone=NEW_YORK, place=midtown)  # fmt: skip
    response = find(client, "near=10001")
    # At 00:20 on Sunday in New York, Sunday's meetings are today's; Saturday's are over.
    assert names(response) == ["Midtown Sunday 7 AM"]
    assert "today ends at midnight EST" in response.text


@pytest.mark.parametrize(
    ("near", "zone"),
    [
        ("10001", "America/New_York"),
        ("Denver, CO", "America/Denver"),
        ("Phoenix, AZ", "America/Phoenix"),
        ("60614", "America/Chicago"),
        ("33.45,-112.07", "America/Phoenix"),
    ],
)
def test_the_searched_places_time_zone_is_read_offline(near, zone):
    assert time_zone_of(resolve_near(near)) == zone


# Never a dead end ---------------------------------------------------------------------------


def few_near_60614():
    aa = make_support_group(**CHICAGO)
    make_meeting(name="Lincoln Park tonight", group=aa, weekday=TUESDAY)
    aurora = make_place(name="Aurora hall", **AURORA)
    for name in ("Aurora tonight", "Aurora late"):
        make_meeting(name=name, group=aa, place=aurora, weekday=TUESDAY, start_time=time(20),
                     end_time=time(21))  # fmt: skip
    for hour in (7, 12, 18):
        make_meeting(name=f"Wednesday {hour}", group=aa, weekday=WEDNESDAY, start_time=time(hour),
                     end_time=time(hour, 45))  # fmt: skip
    smart = make_support_group(fellowship=fellowship("SMART"))
    online(name="AA online tonight", weekday=TUESDAY, start_time=time(18), group=aa)
    online(name="AA online 9 PM", weekday=TUESDAY, start_time=time(21), end_time=None, group=aa)
    online(name="SMART online", weekday=TUESDAY, start_time=time(19), group=smart)


def suggestions(response):
    return {
        suggestion.text: (suggestion.count, parse_qs(suggestion.query))
        for suggestion in response.context["suggestions"]
    }


def test_a_wider_radius_is_the_nearest_step_that_finds_more(client, django_assert_max_num_queries):
    few_near_60614()
    with django_assert_max_num_queries(5):
        response = find(client, "near=60614&radius=10&fellowship=alcoholics-anonymous")
    assert names(response) == ["Lincoln Park tonight"]
    offered = suggestions(response)
    # 25 miles finds no more (Aurora is about 35 miles away): 50 is offered.
    assert "Within 25 miles" not in offered
    assert offered["Within 50 miles"][0] == 3
    assert offered["Within 50 miles"][1]["radius"] == ["50"]


def test_each_way_to_more_says_how_many_and_takes_one_click(client, django_assert_num_queries):
    few_near_60614()
    # 1 the zones, 2 the page, 3 the types, 4 the type counts and every way's count.
    with django_assert_num_queries(4):
        response = find(client, "near=60614&radius=25&fellowship=alcoholics-anonymous")
    assert names(response) == ["Lincoln Park tonight"]
    offered = suggestions(response)
    assert offered["Within 50 miles"][0] == 3
    assert offered["Tomorrow, Wednesday"][0] == 3
    assert offered["Tomorrow, Wednesday"][1]["day"] == ["3"]
    assert offered["Any day"][0] == 4  # within 25 miles: not Aurora
    count, query = offered["Online, anywhere"]
    assert count == 2  # AA only: the fellowship chosen is kept, and 9 PM is still to come
    assert "near" not in query and query["attendance"] == ["online", "hybrid"]
    html = response.text
    assert "Find more meetings" in html
    assert "Within 50 miles: 3 meetings" in html
    # Following a suggestion finds what it said.
    for suggestion in response.context["suggestions"]:
        followed = find(client, suggestion.query)
        assert followed.context["page"].paginator.count == suggestion.count, suggestion.text


def test_no_way_is_offered_that_finds_nothing(client):
    make_meeting(name="Lincoln Park tonight", weekday=TUESDAY)
    response = find(client, "near=60614&radius=100")
    offered = suggestions(response)
    assert "Within" not in " ".join(offered)  # 100 miles is the widest
    assert "Online, anywhere" not in offered  # there is none
    assert "Tomorrow, Tuesday" not in offered


def test_enough_meetings_offer_no_ways_and_no_query_for_them(client):
    for hour in (13, 14, 15):
        make_meeting(weekday=TUESDAY, start_time=time(hour), end_time=time(hour, 30))
    response = find(client)
    assert len(names(response)) == 3
    assert response.context["suggestions"] == []
    assert "Find more meetings" not in response.text


# Quick picks and type counts ----------------------------------------------------------------


def quick_picks(response):
    return {
        label: (query, on, count) for label, query, on, count in response.context["quick_picks"]
    }


def test_quick_picks_turn_a_choice_on_and_off_in_one_click(client):
    make_meeting(name="Women", weekday=TUESDAY, types=["W", "O"])
    make_meeting(name="Spanish", weekday=TUESDAY, types=["S"])
    picks = quick_picks(find(client, "near=60614"))
    # A type no meeting found has is not offered: it would lead nowhere.
    assert list(picks) == ["Women", "Spanish", "Open to all", "Online"]
    query, on, count = picks["Women"]
    assert (on, count) == (False, 1)
    assert parse_qs(query) == {"near": ["60614"], "types": ["W"]}
    women = find(client, query)
    assert names(women) == ["Women"]
    query, on, _count = quick_picks(women)["Women"]
    assert on and "types" not in parse_qs(query)
    # "Online" is online meetings anywhere: the place would keep only hybrid ones.
    assert parse_qs(picks["Online"][0]) == {"attendance": ["online", "hybrid"]}
    html = women.text
    assert 'class="chip quick-pick on"' in html and ": on, select to turn off" in html


def test_type_choices_say_how_many_and_hide_types_no_meeting_has(client):
    make_meeting(weekday=TUESDAY, types=["O", "SP"])
    make_meeting(weekday=TUESDAY, types=["O"])
    response = find(client)
    (types,) = [group for group in response.context["groups"] if group[0] == "types"]
    options = {option.value: option.count for option in types[2]}
    assert options == {"O": 2, "SP": 1}
    html = response.text
    assert 'id="n-types-O">' in html
    assert 'value="W"' not in html  # no meeting found is for women
    # A ticked type stays, whatever its count.
    response = find(client, "types=W")
    (types,) = [group for group in response.context["groups"] if group[0] == "types"]
    assert [(option.value, option.checked) for option in types[2]] == [("W", True)]


# Each result: in progress, Join, Directions ---------------------------------------------------


def test_results_say_in_progress_and_offer_join_and_directions(client):
    make_meeting(name="On now", weekday=TUESDAY, start_time=time(11, 50), end_time=time(12, 50))
    online(name="Online later", weekday=TUESDAY, start_time=time(18))
    make_meeting(name="Tonight", weekday=TUESDAY, start_time=time(19), place=make_place())
    response = find(client)
    assert names(response) == ["On now", "Online later", "Tonight"]
    html = response.text
    assert html.count('class="in-progress"') == 1
    assert 'href="https://meet.example.org/j/1"' in html and ">Join<" in html
    assert "https://maps.apple.com/?daddr=2400+N+Clark+St%2C+Chicago%2C+IL+60614" in html
    assert 'data-geo="geo:0,0?q=2400%20N%20Clark%20St%2C%20Chicago%2C%20IL%2060614"' in html


def test_a_meeting_crossing_midnight_is_in_progress_after_midnight(client, monkeypatch):
    make_meeting(name="Late", weekday=TUESDAY, start_time=time(23, 30), end_time=time(0, 30))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 25, 0, 10, tzinfo=CHICAGO_ZONE))
    response = find(client, "now=1")
    assert names(response) == ["Late"]
    assert 'class="in-progress">In progress<' in response.text


def test_directions_give_only_the_town_when_the_address_is_not_public():
    exact = make_place()
    approximate = make_place(location_precision="approximate")
    assert directions_url(exact).startswith("https://maps.apple.com/?daddr=2400+N+Clark")
    assert directions_url(approximate) == "https://maps.apple.com/?daddr=Chicago%2C+IL"
    assert geo_uri(approximate) == "geo:0,0?q=Chicago%2C%20IL"
    assert directions_url(None) == ""
    url = urlsplit(directions_url(exact))
    assert (url.scheme, url.netloc) == ("https", "maps.apple.com")


def test_a_finder_with_no_meetings_at_all_still_offers_its_page(client, django_assert_num_queries):
    # No time zone in use: Django knows "later today" is empty without asking. 1 the zones,
    # 2 the ways to more (nothing to count types of).
    with django_assert_num_queries(2):
        response = find(client, "near=60614")
    assert "No meetings found later today near Chicago, IL 60614" in response.text
    assert response.context["suggestions"] == []
