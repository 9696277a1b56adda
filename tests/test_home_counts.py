"""The home page's counts are kept in the cache, and refreshed when what they count changes."""

import re
import time
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from resources.models import Listing, ListingStatus
from resources.vocabularies import Vocabulary
from tests.factories import make_clinician, make_meeting, make_treatment_program, term
from tests.helpers import UNREACHABLE_REDIS

HOME = reverse("directory:home")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    # The database is rolled back after each test, without signals: the cache must be too.
    cache.clear()
    yield
    cache.clear()


def card_count(client, card_id):
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    return int(re.search(rf'id="{card_id}".*?<strong>([\d,]+)</strong>', html, re.DOTALL)[1])


def test_the_second_visit_counts_nothing_again(client, django_assert_num_queries):
    make_clinician()
    make_meeting()
    # 1. every category counted in one aggregate query
    # 2. listed meetings counted
    # 3. fellowships counted
    with django_assert_num_queries(3):
        client.get(HOME)
    with django_assert_num_queries(0):
        html = client.get(HOME).content.decode()

    assert re.search(r'id="doctors-and-therapists".*?<strong>1</strong>', html, re.DOTALL)
    assert re.search(r'id="meetings".*?<strong>1</strong>', html, re.DOTALL)


def test_a_new_listing_shows_at_once(client):
    make_clinician()
    assert card_count(client, "doctors-and-therapists") == 1

    make_clinician()

    assert card_count(client, "doctors-and-therapists") == 2


def test_an_archived_listing_leaves_the_counts_at_once(client):
    kept, archived = make_clinician(), make_clinician()
    assert card_count(client, "doctors-and-therapists") == 2

    archived.status = ListingStatus.ARCHIVED
    archived.save()

    assert card_count(client, "doctors-and-therapists") == 1
    assert list(Listing.objects.searchable()) == [kept.listing_ptr]


def test_a_listing_deleted_through_its_base_class_leaves_the_counts(client):
    program = make_treatment_program()
    assert card_count(client, "treatment-programs") == 1

    # Deleting the shared base row deletes the typed row too, and both send signals.
    Listing.objects.filter(pk=program.pk).delete()

    assert card_count(client, "treatment-programs") == 0


def test_new_terms_move_a_listing_into_a_category_at_once(client):
    clinician = make_clinician()
    assert card_count(client, "medication") == 0

    clinician.terms.add(term(Vocabulary.MEDICATION, "buprenorphine"))

    assert card_count(client, "medication") == 1


def test_meetings_added_and_removed_show_at_once(client):
    meeting = make_meeting()
    assert card_count(client, "meetings") == 1

    make_meeting(group=meeting.group)
    assert card_count(client, "meetings") == 2

    # A public meeting is archived, never deleted (Meeting.delete() refuses it).
    meeting.archived_on = date(2026, 1, 5)
    meeting.save()
    assert card_count(client, "meetings") == 1


def test_bulk_changes_that_skip_signals_show_when_the_time_runs_out(client, settings):
    settings.HOME_COUNTS_CACHE_SECONDS = 1
    make_clinician()
    assert card_count(client, "doctors-and-therapists") == 1

    # As an importer does: one UPDATE, no save(), no signal.
    Listing.objects.update(status=ListingStatus.DRAFT)
    assert card_count(client, "doctors-and-therapists") == 1

    time.sleep(1.2)

    assert card_count(client, "doctors-and-therapists") == 0


def test_an_unreachable_cache_neither_breaks_the_home_page_nor_loses_a_save(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    make_treatment_program()

    clinician = make_clinician(name="Saved while the cache was down")

    assert Listing.objects.filter(pk=clinician.pk, name="Saved while the cache was down").exists()
    assert card_count(client, "doctors-and-therapists") == 1
    assert card_count(client, "treatment-programs") == 1
