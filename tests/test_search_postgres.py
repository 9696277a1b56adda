"""Find help on PostgreSQL: ranking, websearch syntax and typo tolerance.

Each row of ``EXPECTED`` is a search someone looking for help might type, the
listings that must come first, and listings that must not be found at all. The data
set is the invented directory of tests/helpers.py.
"""

import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction

from resources.models import Listing
from resources.search import CONFIG, TextSearch
from tests import factories
from tests.helpers import build_directory, found

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_directory()
        transaction.set_rollback(True)


AA_GROUPS = {"Lincoln Park Sunrise Group", "Grupo Esperanza"}
NA_GROUP = "Clean and Free Tuesday Group"
SOBER_HOMES = {"Addison Street House", "Hope Cottage"}

# (what is typed, the listings that must come first in any order, listings never found)
EXPECTED = [
    ("suboxone", {"Halsted Medication Clinic", "Dr. Amara Okafor"}, {"Dr. Helen Park"}),
    ("Sublocade", {"Halsted Medication Clinic", "Dr. Amara Okafor"}, set()),
    ("vivitrol", {"Dr. Helen Park", "Dr. Amara Okafor"}, {"Halsted Medication Clinic"}),
    ("antabuse", {"Dr. Helen Park"}, {"Dr. Amara Okafor"}),
    ("narcan", {"Overdose Kit Finder"}, set()),
    ("methadone clinic", {"Halsted Medication Clinic"}, {"Lakeshore Recovery Center"}),
    ("rehab", {"Lakeshore Recovery Center", "Prairie House"}, {"Dr. Amara Okafor"}),
    ("detox", {"Evanston Withdrawal Clinic", "Lakeshore Recovery Center"}, {"Prairie House"}),
    ("iop", {"Harbor Outpatient Services"}, {"Bridgeview Day Program"}),
    ("php", {"Bridgeview Day Program"}, {"Harbor Outpatient Services"}),
    ("halfway house", SOBER_HOMES, {"Prairie House"}),
    ("women sober living", {"Hope Cottage"}, {"Addison Street House"}),
    ("alchoholics anonymus", AA_GROUPS, {NA_GROUP, "Serenity Circle"}),
    ("narcotcs anonymous", {NA_GROUP}, AA_GROUPS),
    ("sobr living", SOBER_HOMES, {"Lakeshore Recovery Center"}),
    ("sober livng", SOBER_HOMES, set()),
    ("evanstn", {"Evanston Withdrawal Clinic"}, set()),
    ("al anon", {"Serenity Circle"}, {"Parents Together"}),
    ("alanon", {"Serenity Circle"}, {"Parents Together"}),
    ("NA", {NA_GROUP}, {"Naperville National Wellness Studio", *AA_GROUPS}),
    ("AA", AA_GROUPS, {NA_GROUP}),
    ("aa meeting", AA_GROUPS, {NA_GROUP, "Northside SMART Recovery"}),
    # Exact matches exist, so no typo matching: not every group with "meetings".
    ("na meeting", {NA_GROUP}, AA_GROUPS),
    ("12 step", {*AA_GROUPS, NA_GROUP}, {"Northside SMART Recovery"}),
    ("meth", {"Boystown Tuesday Night"}, {"Halsted Medication Clinic"}),
    ("spanish therapist", {"Lucía Herrera, LCSW"}, {"Tom Becker, LCPC", "Grupo Esperanza"}),
    ("spansh therapist", {"Lucía Herrera, LCSW"}, {"Tom Becker, LCPC"}),
    ("shrink", {"Dr. Raúl Méndez"}, {"Tom Becker, LCPC"}),
    ("counselors", {"Lucía Herrera, LCSW", "Tom Becker, LCPC"}, set()),
    ("lakeshore", {"Lakeshore Recovery Center"}, set()),
    ("hotline open 24/7", {"Illinois Opioid and Substance Helpline"}, {"Overdose Kit Finder"}),
]


@pytest.mark.parametrize(("text", "first", "never"), EXPECTED, ids=[row[0] for row in EXPECTED])
def test_searches_people_make_find_the_right_help_first(directory, text, first, never):
    results = found(text)
    assert set(results[: len(first)]) == first, results
    assert not never & set(results), results


def test_a_name_match_outranks_a_description_match(directory):
    assert found("lakeshore") == ["Lakeshore Recovery Center", "Hope Cottage"]


def test_a_long_description_repeating_a_word_does_not_outrank_labels(directory):
    factories.make_treatment_program(
        name="Wordy Wellness",
        summary="A program.",
        description="We talk about naltrexone a lot. " * 60 + "And about many other things. " * 60,
    )
    results = found("naltrexone")
    assert set(results[:2]) == {"Dr. Helen Park", "Dr. Amara Okafor"}
    assert results[2] == "Wordy Wellness"


def test_the_more_of_the_query_a_listing_matches_the_higher_it_ranks(directory):
    results = found("spanish therapist")
    assert results[0] == "Lucía Herrera, LCSW"
    assert "Dr. Raúl Méndez" in results  # a psychiatrist is in the same kind


def test_typo_matches_rank_by_closeness(directory):
    results = Listing.objects.published().search("sobr living").order_by("-rank")
    assert all(listing.rank > 0 for listing in results)


# Websearch syntax ------------------------------------------------------------------------


def test_quoted_phrase_must_appear_as_written(directory):
    assert set(found("family therapy")) == {"Tom Becker, LCPC", "Harbor Outpatient Services"}
    assert found('"family therapy"') == ["Tom Becker, LCPC"]


def test_minus_excludes(directory):
    assert found("suboxone -online") == ["Halsted Medication Clinic"]
    assert found("-online suboxone") == ["Halsted Medication Clinic"]
    assert found("sobr living -women") == ["Addison Street House"]


def test_or_finds_either(directory):
    assert set(found("iop or php")) == {"Harbor Outpatient Services", "Bridgeview Day Program"}


@pytest.mark.parametrize(
    "text",
    [
        "lakeshore home",
        '"group therapy"',
        "evening -harbor",
        "evening or yoga",
        'yoga or "family therapy" -tom',
        '"thirty day program" or "daily dosing"',
        "tuesday group -boystown",
    ],
)
def test_without_synonyms_search_matches_postgresql_websearch(directory, text):
    websearch = SearchQuery(text, search_type="websearch", config=CONFIG)
    expected = set(
        Listing.objects.published().filter(search_vector=websearch).values_list("name", flat=True)
    )
    assert expected, "the example should find something"
    assert set(found(text)) == expected


# The indexes -----------------------------------------------------------------------------------


def test_the_search_uses_the_gin_indexes(directory):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # Ordered as the site orders them, not by name (which an index could answer).
    exact = Listing.objects.search("suboxone").order_by("-rank").explain()
    assert "listing_search_vector_gin" in exact
    typo = Listing.objects.search("alchoholics anonymus").order_by("-rank").explain()
    assert "listing_search_keywords_trgm" in typo


def test_the_vector_weights_the_name_highest(directory):
    vector = Listing.objects.get(name="Lakeshore Recovery Center").search_vector
    assert "'lakeshor':1A" in vector
    assert re.search(r"'residenti':\d+C", vector), vector


# Near a place the words' test is priced (migration resources/0014) -------------------------


@pytest.mark.parametrize("text", [row[0] for row in EXPECTED])
def test_the_priced_test_near_a_place_finds_what_the_plain_one_finds(directory, text):
    listings = Listing.objects.published()
    search = TextSearch(text, listings)
    plain = search.apply(listings).order_by("-rank", "name").values_list("name", flat=True)
    priced = search.apply(listings, near_a_place=True).order_by("-rank", "name")
    assert list(priced.values_list("name", flat=True)) == list(plain)


def test_only_a_search_near_a_place_prices_the_test_of_its_words(directory):
    listings = Listing.objects.published()
    search = TextSearch("suboxone", listings)
    assert "listing_words_match" in str(search.apply(listings, near_a_place=True).query)
    assert "listing_words_match" not in str(search.apply(listings).query)
    # Typos are matched by trigrams, which the function does not test.
    typo = TextSearch("alchoholics anonymus", listings)
    assert "listing_words_match" not in str(typo.apply(listings, near_a_place=True).query)


def test_the_function_answers_as_the_operator_does(directory):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT listing_words_match(to_tsvector('english', 'buprenorphine clinic'), "
            "to_tsquery('english', 'buprenorphine')), "
            "listing_words_match(to_tsvector('english', 'sober house'), "
            "to_tsquery('english', 'buprenorphine')), "
            "listing_words_match(NULL, to_tsquery('english', 'buprenorphine'))"
        )
        assert cursor.fetchone() == (True, False, None)
        # Its cost is what steers PostgreSQL to combine the two indexes (see the migration).
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'listing_words_match'")
        assert cursor.fetchone()[0] >= 5000
