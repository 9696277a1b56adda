"""Open now / closes at / opens at, in the listing's own time zone, on result cards and the
listing page (directory/templatetags/opening.py)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.pagination import ListingPaginator
from directory.templatetags.opening import open_status_at
from resources.models import Listing, Weekday
from tests.factories import make_clinician, make_opening_hours, make_treatment_program
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")


def next_weekday_at(weekday, hour, minute=0, zone=CHICAGO):
    """The coming ``weekday`` (Sunday 0) at hour:minute in ``zone``, at least a day ahead."""
    today = timezone.now().astimezone(zone).date()
    days = (weekday - Weekday.of(today)) % 7 or 7
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def weekday_hours(listing, days=range(1, 6), opens=time(7), closes=time(17, 30)):
    for day in days:
        make_opening_hours(listing, weekday=day, opens=opens, closes=closes)


def status_of(listing, moment):
    listing.refresh_from_db()
    status = open_status_at(listing, moment)
    return (status.status, status.change) if status else None


def test_open_now_says_when_it_closes():
    clinic = make_clinician()  # Chicago
    weekday_hours(clinic)
    assert status_of(clinic, next_weekday_at(Weekday.TUESDAY, 10)) == (
        "Open now",
        "closes at 5:30 PM",
    )


def test_closed_before_opening_says_it_opens_today():
    clinic = make_clinician()
    weekday_hours(clinic)
    assert status_of(clinic, next_weekday_at(Weekday.TUESDAY, 6)) == (
        "Closed now",
        "opens at 7 AM",
    )


def test_closed_in_the_evening_says_it_opens_tomorrow_and_after_a_weekend_names_the_day():
    clinic = make_clinician()
    weekday_hours(clinic)
    assert status_of(clinic, next_weekday_at(Weekday.TUESDAY, 19)) == (
        "Closed now",
        "opens tomorrow at 7 AM",
    )
    assert status_of(clinic, next_weekday_at(Weekday.SATURDAY, 12)) == (
        "Closed now",
        "opens Monday at 7 AM",
    )


def test_the_listing_zone_decides_not_the_visitor_or_the_server():
    clinic = make_clinician()  # Chicago, an hour behind New York
    weekday_hours(clinic)
    # 7:30 AM in New York is 6:30 AM in Chicago: not open yet.
    assert status_of(clinic, next_weekday_at(Weekday.TUESDAY, 7, 30, zone=NEW_YORK)) == (
        "Closed now",
        "opens at 7 AM",
    )


def test_a_night_that_runs_past_midnight_closes_the_next_morning():
    program = make_treatment_program()
    make_opening_hours(program, Weekday.FRIDAY, time(20), time(23, 59))
    make_opening_hours(program, Weekday.SATURDAY, time(0), time(2))
    assert status_of(program, next_weekday_at(Weekday.FRIDAY, 22)) == (
        "Open now",
        "closes at 2 AM",
    )


def test_open_all_day_and_unknown_hours():
    always = make_treatment_program(open_24_7=True)
    unknown = make_clinician()
    moment = next_weekday_at(Weekday.SUNDAY, 3)
    assert status_of(always, moment) == ("Open 24 hours", "")
    assert status_of(unknown, moment) is None


def test_cards_and_the_listing_page_show_the_status_now(client):
    clinic = make_clinician(name="Lakeview Morning Clinic")
    # Open every day from midnight to 23:59, so "open now" whatever the hour the test runs
    # (but in the last minute of a day).
    for day in range(7):
        make_opening_hours(clinic, weekday=day, opens=time(0), closes=time(23, 59))
    search = text_of(client.get(reverse("directory:search"), {"near": "60614"}).content.decode())
    assert "Open now · closes at" in search
    page = text_of(client.get(clinic.get_absolute_url()).content.decode())
    assert "Open now — closes at" in page


def test_a_page_of_results_reads_the_hours_with_the_listings(django_assert_num_queries):
    clinic = make_clinician(name="Split Shift Clinic")
    weekday_hours(clinic, opens=time(7, 30), closes=time(12))
    weekday_hours(clinic, opens=time(13), closes=time(17, 45))
    make_opening_hours(clinic, weekday=Weekday.SATURDAY, opens=time(0), closes=time(23, 59))
    make_clinician(name="No Hours Clinic")
    paginator = ListingPaginator(Listing.objects.order_by("-name"), count=2)
    # The ids, then the listings with their hours, then their terms: no query per card.
    with django_assert_num_queries(3):
        listings = list(paginator.page(1).object_list)
    split_shift, no_hours = listings
    lunch = next_weekday_at(Weekday.MONDAY, 12, 15)
    with django_assert_num_queries(0):
        assert open_status_at(no_hours, lunch) is None
        status = open_status_at(split_shift, lunch)
    assert (status.status, status.change) == ("Closed now", "opens at 1 PM")
    for moment in (
        next_weekday_at(Weekday.MONDAY, 7, 29),
        next_weekday_at(Weekday.TUESDAY, 17, 44),
        next_weekday_at(Weekday.FRIDAY, 18),
        next_weekday_at(Weekday.SATURDAY, 23, 58),
    ):
        assert open_status_at(split_shift, moment) == open_status_at(clinic, moment)
