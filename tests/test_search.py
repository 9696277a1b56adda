"""Find help: the text search behind ``Listing.objects.search()``, on either database.

What holds on SQLite and PostgreSQL alike: reading the query (synonyms, websearch
syntax), whole-word matching, keeping the stored search text fresh, and never
failing on odd input. Ranking quality and typo tolerance, which only PostgreSQL has,
are in test_search_postgres.py.
"""

from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from groups.models import Fellowship
from resources.models import Clinician, Listing, ListingKind
from resources.search import MAX_ATOMS, Atom, parse_query
from resources.search_index import index_unindexed_listings, refresh_search_index
from resources.synonyms import SYNONYMS, expand, words_of
from resources.vocabularies import Vocabulary
from tests import factories
from tests.helpers import build_directory, found

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The directory, built once for the module in a transaction rolled back at its end.

    Each test runs in a savepoint inside it, so what a test changes is undone; tests
    that change listings fetch their own copies rather than change these objects.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_directory()
        transaction.set_rollback(True)


# Synonyms ------------------------------------------------------------------------------


def test_synonyms_work_both_ways():
    assert ("buprenorphine",) in expand(("suboxone",))
    assert ("suboxone",) in expand(("buprenorphine",))
    assert ("naltrexone",) in expand(("vivitrol",))
    assert ("vivitrol",) in expand(("naltrexone",))
    assert ("opioid", "treatment", "program") in expand(("methadone", "clinic"))
    assert ("methadone", "clinic") in expand(("opioid", "treatment", "program"))


def test_a_word_gets_every_group_it_is_in_but_only_one_step_deep():
    buprenorphine = expand(("buprenorphine",))
    assert ("suboxone",) in buprenorphine
    assert ("sublocade",) in buprenorphine
    assert ("suboxone",) not in expand(("sublocade",))


def test_broad_words_find_narrow_ones_but_not_the_other_way_round():
    assert ("alcoholics", "anonymous") in expand(("12", "step"))
    assert ("narcotics", "anonymous") in expand(("12", "step"))
    assert ("12", "step") not in expand(("aa",))
    assert ("narcotics", "anonymous") not in expand(("aa",))


def test_what_was_typed_comes_first_and_plurals_are_looked_up_as_singular():
    assert expand(("na",))[0] == ("na",)
    assert expand(("counselors",))[0] == ("counselors",)
    assert ("therapist",) in expand(("counselors",))
    assert ("sober", "living") in expand(("halfway", "houses"))


def test_unknown_words_have_no_synonyms():
    assert expand(("lakeshore",)) is None


def test_every_synonym_is_searchable_words():
    for group in SYNONYMS:
        for phrase in (*group.words, *group.also_finds):
            assert words_of(phrase), phrase
            assert " ".join(words_of(phrase)) == phrase, "write table entries folded"


# Reading a query -------------------------------------------------------------------------


def test_words_must_all_match_and_synonyms_become_alternatives():
    (branch,) = parse_query("Suboxone Evanston")
    assert branch[0].phrases[0] == ("suboxone",)
    assert ("buprenorphine",) in branch[0].phrases
    assert branch[1] == Atom((("evanston",),))


def test_known_phrases_are_read_as_one_atom():
    (branch,) = parse_query("methadone clinic evanston")
    assert len(branch) == 2
    assert ("opioid", "treatment", "program") in branch[0].phrases


def test_hyphens_and_spaces_and_case_are_the_same():
    assert parse_query("Al-Anon") == parse_query("al anon") == parse_query("AL ANON")


def test_short_names_expand_to_their_fellowship():
    assert parse_query("NA") == ((Atom((("na",), ("narcotics", "anonymous"))),),)


def test_quotes_keep_words_exact():
    assert parse_query('"suboxone"') == ((Atom((("suboxone",),)),),)
    assert parse_query('"the retreat"') == ((Atom((("the", "retreat"),)),),)


def test_minus_excludes_a_word_and_its_synonyms():
    (branch,) = parse_query("suboxone -online")
    assert branch[1].negated
    assert ("telehealth",) in branch[1].phrases


def test_or_separates_alternatives():
    assert len(parse_query("vivitrol or antabuse")) == 2
    assert len(parse_query("or vivitrol or or")) == 1


def test_filler_words_are_skipped():
    assert parse_query("find a therapist near me") == parse_query("therapist")
    assert parse_query("near me") == ()


def test_punctuation_and_accents_are_ignored():
    assert parse_query("Español!!") == parse_query("espanol")
    assert parse_query("?!. ,;:'\"- ") == ()


def test_long_queries_are_cut_to_a_bounded_size():
    atoms = [atom for branch in parse_query("alpha " * 1000) for atom in branch]
    assert 0 < len(atoms) <= MAX_ATOMS


# Searching, on either database ---------------------------------------------------------------


def test_every_result_has_a_rank(directory):
    results = Listing.objects.published().search("suboxone")
    assert results
    assert all(isinstance(listing.rank, float) for listing in results)


def test_empty_text_filters_nothing_and_ranks_everything_the_same(directory):
    published = Listing.objects.published()
    for text in ("", "   ", "\n\t", None):
        results = published.search(text)
        assert results.count() == published.count()
        assert {listing.rank for listing in results} == {0.0}


def test_suboxone_finds_buprenorphine_prescribers_and_programs(directory):
    assert set(found("suboxone")) == {"Dr. Amara Okafor", "Halsted Medication Clinic"}


def test_vivitrol_finds_naltrexone(directory):
    assert set(found("vivitrol")) == {"Dr. Amara Okafor", "Dr. Helen Park"}


def test_methadone_clinic_finds_the_opioid_treatment_program(directory):
    assert found("methadone clinic") == ["Halsted Medication Clinic"]


def test_halfway_house_finds_sober_living(directory):
    assert set(found("halfway house")) == {"Addison Street House", "Hope Cottage"}


def test_na_finds_narcotics_anonymous_and_not_words_containing_na(directory):
    assert found("NA") == ["Clean and Free Tuesday Group"]


def test_al_anon_finds_al_anon_and_not_nar_anon(directory):
    results = found("al anon")
    assert results[0] == "Serenity Circle"
    assert "Parents Together" not in results


def test_towns_and_postal_codes_are_searched(directory):
    assert found("evanston") == ["Evanston Withdrawal Clinic"]
    assert found("60201") == ["Evanston Withdrawal Clinic"]


def test_vocabulary_labels_are_searched(directory):
    assert set(found("spanish")) == {"Lucía Herrera, LCSW", "Dr. Raúl Méndez", "Grupo Esperanza"}


def test_accents_need_not_be_typed(directory):
    assert found("raul mendez") == ["Dr. Raúl Méndez"]


def test_excluded_words_remove_listings(directory):
    assert found("suboxone -online") == ["Halsted Medication Clinic"]


def test_or_finds_either(directory):
    assert set(found("narcan or antabuse")) == {"Overdose Kit Finder", "Dr. Helen Park"}


def test_drafts_are_found_only_when_asked_for(directory):
    assert "Dr. Draft Suboxone" not in found("suboxone")
    assert "Dr. Draft Suboxone" in found("suboxone", Listing.objects.all())


def test_search_combines_with_other_verbs(directory):
    results = (
        Listing.objects.published().search("detox").of_kind(ListingKind.TREATMENT_PROGRAM)
    ).with_kind_details()
    assert {listing.specific.name for listing in results} == {
        "Lakeshore Recovery Center",
        "Evanston Withdrawal Clinic",
    }


@pytest.mark.parametrize("near_first", [True, False])
def test_search_combines_with_distance(directory, django_assert_num_queries, near_first):
    lincoln_park = SimpleNamespace(latitude=41.9248, longitude=-87.6414)
    listings = Listing.objects.published()
    if near_first:
        listings = listings.near(lincoln_park, miles=5).search("detox")
    else:
        listings = listings.search("detox").near(lincoln_park, miles=5)
    with django_assert_num_queries(1):
        results = list(listings.order_by("-rank", "distance"))
    assert {listing.name for listing in results} == {
        "Lakeshore Recovery Center",
        "Evanston Withdrawal Clinic",
    }
    assert all(listing.distance < 1 and listing.rank > 0 for listing in results)


def test_typed_kinds_can_be_searched_too(directory):
    assert {c.name for c in Clinician.objects.search("spanish")} == {
        "Lucía Herrera, LCSW",
        "Dr. Raúl Méndez",
    }


def test_a_name_match_ranks_above_other_matches(directory):
    assert found("lakeshore") == ["Lakeshore Recovery Center", "Hope Cottage"]


def test_search_runs_one_query_and_one_more_where_typos_may_be_forgiven(
    directory, django_assert_num_queries
):
    with django_assert_num_queries(1):
        list(Listing.objects.published().search("aa"))  # too short to be a typo
    # PostgreSQL: first, does anything match exactly? SQLite forgives no typos.
    extra = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(1 + extra):
        list(Listing.objects.published().search("alchoholics anonymus -online or rehab"))


@pytest.mark.parametrize(
    "text",
    [
        "x" * 5000,
        "suboxone " * 600,
        "'; DROP TABLE resources_listing; --",
        '" OR 1=1 --',
        "!!! ((( ))) & | : * <-> <2>",
        "\\ % _ ' '' \"\" \"",
        "-",
        "- - -suboxone",
        "or or or",
        '"unclosed phrase',
        "\x00 nul and \u200b zero width",
        "日本語 العربية Ελληνικά",
    ],
)
def test_odd_input_never_fails(directory, text):
    results = found(text)
    assert len(results) <= Listing.objects.published().count()


# Keeping the stored text fresh ---------------------------------------------------------------


def test_saving_a_listing_refreshes_its_search_text(directory):
    listing = Listing.objects.get(pk=directory["Prairie House"].pk).specific
    listing.name = "Prairie Meadows"
    listing.save()
    assert found("meadows") == ["Prairie Meadows"]
    assert found("prairie house") == []


def test_adding_and_removing_terms_refreshes_the_listing(directory):
    listing = Listing.objects.get(pk=directory["Prairie House"].pk)
    listing.terms.add(factories.term(Vocabulary.LANGUAGE, "pl"))
    assert found("polish") == ["Prairie House"]
    listing.terms.clear()
    assert found("polish") == []


def test_changing_terms_from_the_term_side_refreshes_listings(directory):
    polish = factories.term(Vocabulary.LANGUAGE, "pl")
    polish.listings.add(directory["Prairie House"], directory["Hope Cottage"])
    assert set(found("polish")) == {"Prairie House", "Hope Cottage"}
    polish.listings.remove(directory["Hope Cottage"])
    assert found("polish") == ["Prairie House"]
    polish.listings.clear()
    assert found("polish") == []


def test_renaming_an_organization_refreshes_its_listings(directory):
    organization = factories.make_organization(name="Lakeside Health")
    Listing.objects.filter(name="Prairie House").update(organization=organization)
    refresh_search_index(Listing.objects.filter(name="Prairie House"))
    assert found("lakeside") == ["Prairie House"]
    organization.name = "Riverbend Health"
    organization.save()
    assert found("riverbend") == ["Prairie House"]


def test_renaming_a_fellowship_refreshes_its_groups(directory):
    fellowship = Fellowship.objects.get(short_name="SMART")
    fellowship.name = "Self Management Training"
    fellowship.save()
    assert found("self management") == ["Northside SMART Recovery"]


def test_refresh_indexes_listings_written_without_signals(directory, django_assert_num_queries):
    Listing.objects.update(search_document="", search_keywords="", search_vector=None)
    assert found("suboxone") == []
    # The listings, then per batch: their terms, their texts in other languages, one UPDATE
    # of the text (and on PostgreSQL the vector, computed in the same statement).
    per_batch = 3
    with django_assert_num_queries(1 + 2 * per_batch):
        count = refresh_search_index(Listing.objects.filter(kind="clinician"), batch_size=3)
    assert count == 6
    assert set(found("suboxone")) == {"Dr. Amara Okafor"}
    assert refresh_search_index() == Listing.objects.count()
    assert set(found("suboxone")) == {"Dr. Amara Okafor", "Halsted Medication Clinic"}


def test_refreshing_does_not_touch_updated_at(directory):
    before = dict(Listing.objects.values_list("pk", "updated_at"))
    refresh_search_index()
    assert dict(Listing.objects.values_list("pk", "updated_at")) == before


def test_migrate_indexes_listings_that_never_were(directory):
    Listing.objects.filter(name="Prairie House").update(search_document="")
    index_unindexed_listings(sender=None)
    assert Listing.objects.filter(search_document="").count() == 0
    assert found("prairie") == ["Prairie House"]


def test_stored_document_is_folded_words_between_spaces(directory):
    document = Listing.objects.get(name="Dr. Raúl Méndez").search_document
    assert document.startswith(" dr raul mendez ")
    assert document.endswith(" ")
    assert " spanish " in document
    assert " psychiatrist " in document
    assert document == document.lower()


def test_search_keywords_leave_out_the_long_text(directory):
    listing = Listing.objects.get(name="Harbor Outpatient Services")
    assert "scholarships" in listing.search_document
    assert "scholarships" not in listing.search_keywords
    assert " intensive outpatient " in listing.search_keywords
