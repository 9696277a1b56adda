"""The search page's result cards are kept per listing, language and day for every visitor
alike (directory/result_cards.py); how far and "open now" are made on every page."""

from datetime import UTC, datetime, time

import pytest
from django.urls import reverse
from django.utils.translation import override

from directory import result_cards
from directory.result_cards import kept_cards
from directory.templatetags.opening import open_status_at
from resources.models import Weekday
from tests.factories import make_clinician, make_opening_hours
from tests.helpers import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")


def listing_reads(queries):
    """The queries that read listings to make their cards (their rows by id)."""
    return [q for q in queries.captured_queries if '"resources_listing"."created_at"' in q["sql"]]


def test_a_kept_card_shows_each_search_its_own_distance(client, django_assert_max_num_queries):
    make_clinician(name="Lincoln Park Counseling", phone="312-555-0100")
    with django_assert_max_num_queries(10) as first:
        near_home = client.get(SEARCH, {"q": "counseling", "near": "60614"}).text
    assert listing_reads(first)
    with django_assert_max_num_queries(10) as second:
        downtown = client.get(SEARCH, {"q": "counseling", "near": "60601"}).text
    # The second search made no card: it was kept. Each page says its own distance.
    assert not listing_reads(second)
    assert "Lincoln Park Counseling" in downtown
    assert "Call 312-555-0100" in downtown
    assert how_far(near_home).endswith("miles away")
    assert how_far(downtown).endswith("miles away")
    assert how_far(near_home) != how_far(downtown)


def how_far(page):
    """The first result's "2.3 miles away"."""
    return page.split('class="where">')[1].split("<strong>")[1].split("</strong>")[0]


def test_what_is_kept_holds_no_distance_and_no_open_now(client):
    listing = make_clinician(name="Lincoln Park Counseling")
    make_opening_hours(listing, weekday=Weekday.MONDAY, opens=time(9), closes=time(17))
    client.get(SEARCH, {"q": "counseling", "near": "60614"})
    with override("en"):
        card = kept_cards([listing.pk])[listing.pk]
    assert card.distance is None
    assert "away" not in card.head + card.body
    assert "Open" not in card.head + card.body and "Closed" not in card.head + card.body
    # "Open now" is worked out on each page from the kept hours, in the listing's zone.
    monday_noon = datetime(2026, 12, 7, 18, tzinfo=UTC)  # noon in Chicago
    monday_night = datetime(2026, 12, 8, 4, tzinfo=UTC)  # 10 PM in Chicago
    assert open_status_at(card, monday_noon).status == "Open now"
    assert open_status_at(card, monday_night).status == "Closed now"


def test_a_curators_save_shows_on_the_next_search(client):
    listing = make_clinician(name="Lincoln Park Counseling", phone="312-555-0100")
    client.get(SEARCH, {"q": "counseling"})
    listing.phone = "312-555-0199"
    listing.save()
    page = client.get(SEARCH, {"q": "counseling"}).text
    assert "Call 312-555-0199" in page
    assert "312-555-0100" not in page


def test_each_language_keeps_its_own_card(client):
    make_clinician(name="Lincoln Park Counseling", phone="312-555-0100")
    english = client.get(SEARCH, {"q": "counseling"}).text
    with override("es"):
        spanish_search = reverse("directory:search")
    spanish = client.get(spanish_search, {"q": "counseling"}).text
    assert "Call 312-555-0100" in english
    assert "Llamar al 312-555-0100" in spanish
    assert "Call 312-555-0100" not in spanish
    assert 'href="/es/listings/' in spanish and 'href="/es/listings/' not in english


def test_without_the_cache_the_cards_are_made_on_each_page(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    make_clinician(name="Lincoln Park Counseling", phone="312-555-0100")
    for _ in range(2):
        page = client.get(SEARCH, {"q": "counseling", "near": "60614"})
        assert page.status_code == 200
        assert "Call 312-555-0100" in page.text


def test_a_release_that_changes_the_card_does_not_read_the_old_ones(client, monkeypatch):
    listing = make_clinician(name="Lincoln Park Counseling")
    client.get(SEARCH, {"q": "counseling"})
    with override("en"):
        assert listing.pk in kept_cards([listing.pk])
        # The fields are in the name cards are kept under: other fields, other keys.
        monkeypatch.setattr(result_cards, "KEPT_AS", result_cards.KEPT_AS + ",new_field")
        assert kept_cards([listing.pk]) == {}
