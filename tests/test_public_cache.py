"""Public pages are kept in the cache for every visitor alike, and any change shows at once."""

from datetime import UTC, datetime

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from directory import result_cards
from groups.models import MeetingStatus
from resources import public_cache
from resources.models import Listing, ListingStatus
from resources.public_cache import seconds_to_next_minute
from resources.search_index import refresh_search_index
from resources.vocabularies import Vocabulary
from tests.factories import (
    make_clinician,
    make_meeting,
    make_organization,
    make_place,
    make_report,
    term,
)
from tests.helpers import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db


def test_a_listing_page_is_made_once_then_served_without_a_query(client, django_assert_num_queries):
    listing = make_clinician(name="Lakeside Counseling")
    first = client.get(listing.get_absolute_url())
    assert "Lakeside Counseling" in first.text

    with django_assert_num_queries(0):
        again = client.get(listing.get_absolute_url())

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == "text/html; charset=utf-8"
    # The site's headers are added to a kept page as to a fresh one.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert not again.cookies


def test_a_kept_page_shows_an_edit_at_once(client):
    listing = make_clinician(name="Lakeside Counseling")
    client.get(listing.get_absolute_url())

    listing.name = "Lakeshore Counseling"
    listing.save()

    assert "Lakeshore Counseling" in client.get(listing.get_absolute_url()).text


@pytest.mark.parametrize("change", ["terms", "organization", "report"])
def test_changes_to_what_a_listing_page_shows_show_at_once(client, change):
    organization = make_organization(name="Northside Health")
    listing = make_clinician(organization=organization)
    url = listing.get_absolute_url()
    chinese = term(Vocabulary.LANGUAGE, "zh")
    page = client.get(url).text
    assert chinese.label not in page

    if change == "terms":
        listing.terms.add(chinese)
        expected = chinese.label
    elif change == "organization":
        organization.name = "Northshore Health"
        organization.save()
        expected = "Northshore Health"
    else:
        make_report(listing=listing, problem_type="closed")
        expected = "This may have closed"

    assert expected in client.get(url).text


def test_a_listing_published_after_a_404_shows_at_once(client):
    listing = make_clinician(status=ListingStatus.DRAFT)
    assert client.get(listing.get_absolute_url()).status_code == 404

    listing.status = ListingStatus.PUBLISHED
    listing.save()

    assert client.get(listing.get_absolute_url()).status_code == 200


def test_a_meeting_page_shows_changes_to_its_place_and_status(client):
    place = make_place(name="Fellowship Hall")
    meeting = make_meeting(place=place)
    url = meeting.get_absolute_url()
    assert "Fellowship Hall" in client.get(url).text

    place.name = "Community Room"
    place.save()
    assert "Community Room" in client.get(url).text

    meeting.status = MeetingStatus.INACTIVE
    meeting.save()
    assert client.get(url).status_code == 404


def test_signed_in_curators_and_query_strings_get_a_fresh_page(client, django_assert_num_queries):
    listing = make_clinician()
    url = listing.get_absolute_url()
    client.get(url)

    # Nothing a visitor sends is part of a key: a query string is served fresh.
    with django_assert_num_queries(3):
        assert client.get(url, {"from": "search"}).status_code == 200
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "a-session"
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_searches_are_never_kept(client):
    listing = make_clinician(name="Lakeside Counseling", city="Chicago")
    client.get(reverse("directory:search"), {"q": "lakeside", "near": "60614"})

    keys = " ".join(django_cache_keys())
    assert "lakeside" not in keys.lower()
    assert "60614" not in keys
    kept = ":page:", "generation", "home", ":many:result-card:"
    assert all(any(what in key for what in kept) for key in keys.split())
    # The one result card kept is named by the listing, the language and the day alone.
    card_keys = [key for key in keys.split() if ":many:result-card:" in key]
    parts = (listing.pk, "en", timezone.localdate().isoformat())
    expected = public_cache._many_keys(result_cards.KEPT_AS, [parts])[parts]
    assert [key.split(":", 2)[-1] for key in card_keys] == [expected]


def django_cache_keys():
    from django.core.cache import cache

    return list(cache._cache.keys())  # the test cache is the local-memory one


def test_bulk_writes_show_once_the_search_index_is_refreshed(client):
    listing = make_clinician(name="Lakeside Counseling")
    url = listing.get_absolute_url()
    client.get(url)
    # As an importer does: one UPDATE, no save(), no signal.
    Listing.objects.filter(pk=listing.pk).update(name="Renamed in bulk")
    assert "Lakeside Counseling" in client.get(url).text

    # What every importer calls when it finishes.
    refresh_search_index(Listing.objects.filter(pk=listing.pk))

    assert "Renamed in bulk" in client.get(url).text


@pytest.mark.parametrize(("second", "expected"), [(0, 60), (1, 59), (30, 30), (59, 1)])
def test_pages_are_kept_no_longer_than_the_minute_they_were_made_in(second, expected):
    assert seconds_to_next_minute(datetime(2026, 12, 5, 14, 7, second, tzinfo=UTC)) == expected


def test_an_unreachable_cache_serves_fresh_pages_and_keeps_saves(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    listing = make_clinician(name="Saved while the cache was down")

    assert "Saved while the cache was down" in client.get(listing.get_absolute_url()).text
    assert client.get(reverse("directory:home")).status_code == 200
