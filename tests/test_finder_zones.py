"""The meeting finder near a place names only the time zones that can occur in the circle.

Each time zone in use is a condition of its own in the finder's query ("today" in Detroit is
not "today" in Chicago), so a search near a place asks only for the zones whose meetings'
box meets the circle's box. These tests check that the meetings found are the same as when
every zone is named, near a zone border and at the hour when the two sides of it are on
different dates.
"""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import directory.meeting_filters
from groups.models import Attendance, MeetingFrequency, meeting_time_zones, time_zones_near
from resources.geo import resolve_near
from tests.factories import make_meeting, make_place, make_support_group

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
FINDER = reverse("directory:meeting_finder")
TUESDAY, WEDNESDAY = 2, 3
# Towns round Michigan City, Indiana (ZIP 46360), where Central and Eastern time meet.
# (latitude, longitude, the town's time zone)
TOWNS = {
    "Michigan City": ("41.707500", "-86.895000", "America/Chicago"),
    "La Porte": ("41.610600", "-86.722500", "America/Chicago"),
    "Valparaiso": ("41.473100", "-87.061100", "America/Chicago"),
    "New Buffalo": ("41.793900", "-86.743900", "America/Detroit"),
    # About 33 miles east: inside 50 miles, not 25.
    "Niles": ("41.829800", "-86.254200", "America/Detroit"),
    "South Bend": ("41.676400", "-86.252000", "America/Indiana/Indianapolis"),
}
FAR = {
    "Honolulu": ("21.306900", "-157.858300", "Pacific/Honolulu"),
    "Anchorage": ("61.218100", "-149.900300", "America/Anchorage"),
}
# Tuesday 2026-11-24 in Chicago: noon; just before midnight in Detroit; just after it.
MOMENTS = [
    datetime(2026, 11, 24, 12, tzinfo=CHICAGO),
    datetime(2026, 11, 24, 22, 50, tzinfo=CHICAGO),
    datetime(2026, 11, 24, 23, 20, tzinfo=CHICAGO),
]
QUERIES = [
    "near=46360",
    "near=46360&day=today",
    "near=46360&day=any",
    "near=46360&day=3&radius=50",
    "near=46360&now=1",
    "near=46360&time=night&day=today&radius=50",
    "near=46360&radius=100",
    "near=46360&radius=5",
    "near=60614&day=today",
]


def place_in(town, towns=TOWNS, **fields):
    latitude, longitude, _zone = towns[town]
    return make_place(
        city=town,
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        **fields,
    )


def meetings_round_the_border():
    """Meetings in every town, at times on either side of midnight, of every kind."""
    for town, (latitude, longitude, zone) in TOWNS.items():
        place = place_in(town)
        # A group meeting at its own address (no place) in the town.
        group = make_support_group(city=town, latitude=latitude, longitude=longitude)
        for weekday, start in [
            (TUESDAY, time(13)),
            (TUESDAY, time(23, 30)),
            (WEDNESDAY, time(0, 15)),
            (WEDNESDAY, time(8)),
        ]:
            make_meeting(
                name=f"{town} {weekday} {start}",
                place=place,
                weekday=weekday,
                start_time=start,
                end_time=None,
                time_zone=zone,
            )
        make_meeting(
            name=f"{town} at the group's address",
            group=group,
            weekday=TUESDAY,
            start_time=time(23, 45),
            end_time=time(0, 45),
            time_zone=zone,
        )
        make_meeting(
            name=f"{town} fourth Tuesday",
            place=place,
            frequency=MeetingFrequency.MONTHLY,
            week_of_month=4,
            weekday=TUESDAY,
            start_time=time(23),
            time_zone=zone,
        )
        make_meeting(
            name=f"{town} by appointment",
            place=place,
            frequency=MeetingFrequency.BY_APPOINTMENT,
            weekday=None,
            start_time=None,
            end_time=None,
            time_zone=zone,
        )
    # Its place has no coordinates: measured from its group's, in New Buffalo.
    latitude, longitude, _zone = TOWNS["New Buffalo"]
    make_meeting(
        name="New Buffalo, place unlocated",
        place=make_place(latitude=None, longitude=None, city="New Buffalo"),
        group=make_support_group(latitude=latitude, longitude=longitude),
        weekday=WEDNESDAY,
        start_time=time(0, 10),
        time_zone="America/New_York",
    )
    for town, (_latitude, _longitude, zone) in FAR.items():
        make_meeting(name=f"{town} in person", place=place_in(town, FAR), time_zone=zone)
    make_meeting(
        name="Online from Guam",
        attendance=Attendance.ONLINE,
        conference_url="https://example.org/join",
        place=None,
        time_zone="Pacific/Guam",
    )


def every_zone(monkeypatch):
    """The finder as it was: every zone in use, whatever the place."""
    monkeypatch.setattr(
        directory.meeting_filters, "time_zones_near", lambda location, miles: meeting_time_zones()
    )


def what_the_page_shows(client, query):
    response = client.get(f"{FINDER}?{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    context = response.context
    return {
        "meetings": [meeting.name for meeting in context["page"].object_list],
        "count": context["page"].paginator.count,
        "suggestions": [(s.text, s.query, s.count) for s in context["suggestions"]],
        "quick picks": context["quick_picks"],
        "zones": context["filterset"].zones,
    }


@pytest.mark.parametrize("moment", MOMENTS, ids=["noon", "before-midnight-east", "after"])
def test_a_place_search_finds_the_same_meetings_with_only_the_circles_zones(
    client, monkeypatch, moment
):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    meetings_round_the_border()
    narrowed = {query: what_the_page_shows(client, query) for query in QUERIES}
    every_zone(monkeypatch)
    for query in QUERIES:
        with_every_zone = what_the_page_shows(client, query)
        found = narrowed[query]
        assert len(found["zones"]) < len(with_every_zone["zones"]), query
        assert set(found["zones"]) <= set(with_every_zone["zones"])
        del found["zones"], with_every_zone["zones"]
        assert found == with_every_zone, query
    # Not a comparison of two empty lists.
    assert narrowed["near=46360&day=any"]["count"] > 20
    assert narrowed["near=46360"]["meetings"]


def test_the_zones_of_a_border_search_are_those_near_it():
    meetings_round_the_border()
    michigan_city = resolve_near("46360")
    # New Buffalo's meetings are Eastern; the unlocated place's group is there too.
    assert time_zones_near(michigan_city, 25) == [
        "America/Chicago",
        "America/Detroit",
        "America/New_York",
    ]
    assert time_zones_near(michigan_city, 50) == [
        "America/Chicago",
        "America/Detroit",
        "America/Indiana/Indianapolis",
        "America/New_York",
    ]
    # Guam's meeting is online: near nowhere, though the finder without a place shows it.
    assert "Pacific/Guam" in meeting_time_zones()
    assert time_zones_near(resolve_near("Honolulu, HI"), 100) == ["Pacific/Honolulu"]


def test_a_far_zone_is_not_in_the_query_near_chicago(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MOMENTS[0])
    # Enough meetings that the page offers no ways to more, which look anywhere online.
    for hour in (18, 19, 20):
        make_meeting(
            name=f"Lincoln Park {hour}:00", weekday=TUESDAY, start_time=time(hour), end_time=None
        )
    for town, (_latitude, _longitude, zone) in FAR.items():
        place = place_in(town, FAR)
        make_meeting(name=f"{town} in person", place=place, weekday=TUESDAY, time_zone=zone)
    with CaptureQueriesContext(connection) as near_chicago:
        shown = what_the_page_shows(client, "near=60614&day=today")
    assert shown["zones"] == ["America/Chicago"]
    assert shown["meetings"] == ["Lincoln Park 18:00", "Lincoln Park 19:00", "Lincoln Park 20:00"]
    sql = " ".join(query["sql"] for query in near_chicago.captured_queries)
    assert "America/Chicago" in sql
    assert "Pacific/Honolulu" not in sql and "America/Anchorage" not in sql
    # Without a place every zone is asked for: the meetings may be anywhere.
    with CaptureQueriesContext(connection) as everywhere:
        shown = what_the_page_shows(client, "day=today")
    assert shown["zones"] == ["America/Anchorage", "America/Chicago", "Pacific/Honolulu"]
    sql = " ".join(query["sql"] for query in everywhere.captured_queries)
    assert "Pacific/Honolulu" in sql and "America/Anchorage" in sql


def test_a_meeting_in_a_new_zone_shows_at_once(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MOMENTS[0])
    make_meeting(name="Lincoln Park")
    assert what_the_page_shows(client, "near=80202&day=any")["meetings"] == []
    denver = make_place(city="Denver", latitude=Decimal("39.750000"), longitude=Decimal("-104.99"))
    make_meeting(name="Denver", place=denver, time_zone="America/Denver")
    shown = what_the_page_shows(client, "near=80202&day=any")
    assert shown["zones"] == ["America/Denver"]
    assert shown["meetings"] == ["Denver"]
    # Moving a place moves its zone's box with it.
    denver.latitude, denver.longitude = Decimal("41.924800"), Decimal("-87.641400")
    denver.save()
    assert what_the_page_shows(client, "near=80202&day=any")["meetings"] == []
    shown = what_the_page_shows(client, "near=60614&day=any")
    assert shown["zones"] == ["America/Chicago", "America/Denver"]
    assert sorted(shown["meetings"]) == ["Denver", "Lincoln Park"]


def test_the_zones_cost_no_query_of_their_own(client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(timezone, "now", lambda: MOMENTS[0])
    meetings_round_the_border()
    # 1 the zones and their boxes (then kept), 2 the page of meetings, 3 the meetings to
    # make cards of, with their types, 4 the types' counts: as many as when the zones were
    # not narrowed. Again: the zones and the cards are kept (directory/meeting_cards.py).
    with django_assert_num_queries(4):
        what_the_page_shows(client, "near=46360&day=today")
    with django_assert_num_queries(2):
        what_the_page_shows(client, "near=46360&day=today")
    with django_assert_num_queries(3):  # meetings not shown yet: their cards are made
        what_the_page_shows(client, "day=today")
    every_zone(monkeypatch)
    with django_assert_num_queries(2):
        what_the_page_shows(client, "near=46360&day=today")
