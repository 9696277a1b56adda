"""The meeting finder's result cards are kept per meeting and language for every visitor
alike (directory/meeting_cards.py); how far and when a meeting is next held are made on
every page."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from directory.meeting_cards import kept_cards
from groups.models import Attendance
from tests.factories import make_meeting, make_place
from tests.helpers import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
TUESDAY = 2
# Tuesday 2026-11-24 in Chicago: at noon, and half an hour into a 7 PM meeting.
NOON = datetime(2026, 11, 24, 12, tzinfo=CHICAGO)
HALF_PAST_SEVEN = datetime(2026, 11, 24, 19, 30, tzinfo=CHICAGO)


@pytest.fixture
def clock(monkeypatch):
    """Sets the finder's clock: ``clock(moment)``."""

    def set_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_clock(NOON)
    return set_clock


def finder():
    return reverse("directory:meeting_finder")


def lincoln_park_meeting(**fields):
    return make_meeting(
        name="Lincoln Park Tuesday",
        weekday=TUESDAY,
        start_time=time(19),
        end_time=time(20, 30),
        place=make_place(name="Fullerton Hall", city="Chicago", **fields),
        types=["O", "SP"],
    )


def card_reads(queries):
    """The queries that read meetings to make their cards (with their fellowship)."""
    return [q for q in queries.captured_queries if '"groups_fellowship"."name"' in q["sql"]]


def first_result(page):
    return page.split('<li class="result meeting-result">')[1].split("\n</li>\n")[0]


def how_far(page):
    """The first result's "2.3 miles away"."""
    return first_result(page).split('class="where">')[1].split("<strong>")[1].split("</strong>")[0]


def test_a_kept_card_shows_each_search_its_own_distance_and_time(
    client, clock, django_assert_max_num_queries
):
    lincoln_park_meeting()
    with django_assert_max_num_queries(10) as first:
        at_noon = client.get(finder(), {"day": "any", "near": "60614"}).text
    assert card_reads(first)
    clock(HALF_PAST_SEVEN)
    with django_assert_max_num_queries(10) as second:
        downtown = client.get(finder(), {"day": "any", "near": "60601"}).text
    # The second search made no card: it was kept. Each page says its own distance and when.
    assert not card_reads(second)
    assert "Lincoln Park Tuesday" in first_result(downtown)
    assert "Fullerton Hall, Chicago" in first_result(downtown)
    assert how_far(at_noon).endswith("miles away")
    assert how_far(downtown).endswith("miles away")
    assert how_far(at_noon) != how_far(downtown)
    assert "In progress" not in first_result(at_noon)
    assert "In progress" in first_result(downtown)
    assert "7:00 PM CST" in first_result(at_noon)


def test_a_kept_card_shows_as_it_was_made(client, clock):
    lincoln_park_meeting()
    made = client.get(finder(), {"day": "any", "near": "60614"}).text
    kept = client.get(finder(), {"day": "any", "near": "60614"}).text
    assert kept == made
    # Its types, in the vocabulary's order.
    assert "<li>Open</li><li>Speaker</li>" in first_result(kept)


def test_what_is_kept_holds_no_distance_and_no_time(client, clock):
    meeting = lincoln_park_meeting()
    clock(HALF_PAST_SEVEN)
    page = client.get(finder(), {"day": "any", "near": "60614"}).text
    assert "In progress" in first_result(page)
    with override("en"):
        card = kept_cards([meeting.pk])[meeting.pk]
    kept_html = card.head + card.body
    assert card.distance is None
    assert not card.in_progress
    assert "away" not in kept_html
    assert "In progress" not in kept_html
    assert 'class="when"' not in kept_html and "<time" not in kept_html
    assert "Fullerton Hall, Chicago" in kept_html


def test_a_curators_save_shows_on_the_next_search(client, clock):
    meeting = lincoln_park_meeting()
    client.get(finder(), {"day": "any"})
    meeting.name = "Lincoln Park Tuesday Night"
    meeting.attendance = Attendance.HYBRID
    meeting.conference_url = "https://meet.example.org/lincoln-park"
    meeting.save()
    page = first_result(client.get(finder(), {"day": "any"}).text)
    assert "Lincoln Park Tuesday Night" in page
    assert 'href="https://meet.example.org/lincoln-park"' in page
    assert "Fullerton Hall, Chicago, IL and online" in page


def test_each_language_keeps_its_own_card(client, clock):
    lincoln_park_meeting()
    english = first_result(client.get(finder(), {"day": "any"}).text)
    with override("es"):
        spanish_finder = finder()
    spanish = first_result(client.get(spanish_finder, {"day": "any"}).text)
    assert "Add to calendar" in english and "Agregar al calendario" not in english
    assert "Agregar al calendario" in spanish and "Add to calendar" not in spanish
    assert 'href="/es/meetings/' in spanish and 'href="/es/meetings/' not in english


def test_without_the_cache_the_cards_are_made_on_each_page(client, clock, settings):
    settings.CACHES = UNREACHABLE_REDIS
    lincoln_park_meeting()
    for _ in range(2):
        page = client.get(finder(), {"day": "any", "near": "60614"})
        assert page.status_code == 200
        assert "Lincoln Park Tuesday" in first_result(page.text)
        assert how_far(page.text).endswith("miles away")
