"""The search FilterSet, given plain dicts as a query string would give it."""

import pytest
from django.db.models import F

from directory.categories import CATEGORIES, counts
from directory.filtering import TickField
from directory.listing_filters import ListingFilter, Sort
from resources.models import ClinicianRole, CommunityResourceType, Listing, ListingStatus
from resources.vocabularies import Vocabulary
from tests.factories import (
    DENVER,
    EDGEWATER,
    fellowship,
    make_clinician,
    make_community_resource,
    make_helpline,
    make_sober_living_home,
    make_support_group,
    make_treatment_program,
)

pytestmark = pytest.mark.django_db


def names(data, queryset=None):
    filterset = ListingFilter(data, queryset)
    assert filterset.is_valid(), filterset.errors
    return [listing.name for listing in filterset.qs]


# Text and place


def test_text_finds_listings_by_name():
    make_clinician(name="Harbor Light Counseling")
    make_clinician(name="Maple Street Therapy")
    assert names({"q": "harbor"}) == ["Harbor Light Counseling"]


def test_near_keeps_listings_within_the_radius_and_measures_them():
    make_clinician(name="Lincoln Park Clinic")
    make_clinician(name="Edgewater Clinic", **EDGEWATER)
    make_clinician(name="Denver Clinic", **DENVER)
    filterset = ListingFilter({"near": "60614", "radius": "5"})
    assert filterset.is_valid(), filterset.errors
    results = list(filterset.qs)
    assert [listing.name for listing in results] == ["Lincoln Park Clinic", "Edgewater Clinic"]
    assert results[0].distance < results[1].distance < 5
    assert filterset.location.label == "Chicago, IL 60614"
    assert filterset.miles == 5


def test_radius_defaults_to_25_miles():
    make_clinician(name="Lincoln Park Clinic")
    make_clinician(name="Denver Clinic", **DENVER)
    filterset = ListingFilter({"near": "Chicago, IL"})
    assert [listing.name for listing in filterset.qs] == ["Lincoln Park Clinic"]
    assert filterset.miles == 25


def test_remote_adds_phone_and_online_help_for_the_state_without_a_distance():
    make_clinician(name="Lincoln Park Clinic")
    make_helpline(name="National Line", latitude=None, longitude=None, city="", region="")
    make_helpline(name="Colorado Line", scope="state", **DENVER)
    make_clinician(name="Denver Clinic", **DENVER)

    assert names({"near": "60614"}) == ["Lincoln Park Clinic"]
    filterset = ListingFilter({"near": "60614", "remote": "1"})
    results = list(filterset.qs)
    assert [listing.name for listing in results] == ["Lincoln Park Clinic", "National Line"]
    assert results[0].distance is not None
    assert results[1].distance is None


def test_remote_without_a_place_changes_nothing():
    make_clinician(name="Denver Clinic", **DENVER)
    assert names({"remote": "1"}) == ["Denver Clinic"]


# Choice filters: OR within one filter, AND across filters


def test_one_vocabulary_is_any_of_its_choices():
    make_clinician(name="Medicaid", terms={Vocabulary.PAYMENT: ["medicaid"]})
    make_clinician(name="Medicare", terms={Vocabulary.PAYMENT: ["medicare"]})
    make_clinician(name="Both", terms={Vocabulary.PAYMENT: ["medicaid", "medicare"]})
    make_clinician(name="Self-pay", terms={Vocabulary.PAYMENT: ["self-pay"]})
    assert names({"payment": ["medicaid", "medicare"]}) == ["Both", "Medicaid", "Medicare"]


def test_two_vocabularies_must_both_hold():
    make_clinician(
        name="Spanish and Medicaid",
        terms={Vocabulary.PAYMENT: ["medicaid"], Vocabulary.LANGUAGE: ["es"]},
    )
    make_clinician(name="Medicaid only", terms={Vocabulary.PAYMENT: ["medicaid"]})
    make_clinician(name="Spanish only", terms={Vocabulary.LANGUAGE: ["es"]})
    assert names({"payment": ["medicaid"], "language": ["es"]}) == ["Spanish and Medicaid"]


@pytest.mark.parametrize(
    ("vocabulary", "code"),
    [
        (Vocabulary.PAYMENT, "sliding-scale"),
        (Vocabulary.MEDICATION, "buprenorphine"),
        (Vocabulary.SUBSTANCE, "stimulants"),
        (Vocabulary.POPULATION, "veterans"),
        (Vocabulary.LANGUAGE, "pl"),
        (Vocabulary.ACCESSIBILITY, "wheelchair"),
    ],
)
def test_each_vocabulary_filter_narrows_by_term_code(vocabulary, code):
    make_clinician(name="Tagged", terms={vocabulary: [code]})
    make_clinician(name="Untagged")
    assert names({vocabulary.value: [code]}) == ["Tagged"]


def test_a_listing_with_several_matching_terms_is_listed_once():
    make_clinician(name="Many", terms={Vocabulary.PAYMENT: ["medicaid", "medicare", "free"]})
    assert names({"payment": ["medicaid", "medicare", "free"]}) == ["Many"]


def test_kind_role_and_fellowship():
    make_clinician(name="Therapist", role=ClinicianRole.THERAPIST)
    make_clinician(name="Psychiatrist", role=ClinicianRole.PSYCHIATRIST)
    make_treatment_program(name="Program")
    make_support_group(name="AA group", fellowship=fellowship("AA"))
    make_support_group(name="Al-Anon group", fellowship=fellowship("Al-Anon"))

    assert names({"kind": ["treatment_program", "support_group"]}) == [
        "AA group",
        "Al-Anon group",
        "Program",
    ]
    assert names({"role": ["psychiatrist"]}) == ["Psychiatrist"]
    assert names({"fellowship": ["al-anon"]}) == ["Al-Anon group"]


def test_delivery_is_any_of_the_ways_ticked():
    make_clinician(name="In person")
    make_clinician(name="Video", offers_in_person=False, offers_online=True)
    make_helpline(name="Phone")
    assert names({"delivery": ["online", "phone"]}) == ["Phone", "Video"]
    assert names({"delivery": ["in_person"]}) == ["In person"]


def test_checkbox_filters():
    make_clinician(name="Taking clients", accepting_new_clients=True)
    make_clinician(name="Full", accepting_new_clients=False)
    make_treatment_program(name="Program taking clients", accepting_new_clients=True)
    make_treatment_program(name="Full program", accepting_new_clients=False)
    make_sober_living_home(
        name="Beds", beds_total=8, beds_available=2, beds_updated_on="2026-10-01"
    )
    make_sober_living_home(
        name="No beds", beds_total=8, beds_available=0, beds_updated_on="2026-10-01"
    )
    make_helpline(name="Always open", open_24_7=True)

    # Clinicians and treatment programs both say whether they take new clients.
    assert names({"new_clients": "1"}) == ["Program taking clients", "Taking clients"]
    assert names({"beds": "on"}) == ["Beds"]
    assert names({"open_24_7": "true"}) == ["Always open"]
    # The open-now filter counts a listing open 24/7 as open.
    assert "Always open" in names({"open_now": "1"})
    assert "Full" not in names({"open_now": "1"})


@pytest.mark.parametrize(
    ("sent", "ticked"),
    [("1", True), ("on", True), ("TRUE", True), ("yes", True), ("", None), ("0", None)],
)
def test_checkbox_values_people_and_browsers_send(sent, ticked):
    assert TickField(required=False).clean(sent) is ticked


# Invalid input is reported


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"radius": "-5"},
            "radius",
            "Choose a distance from the list: 5, 10, 25, 50 or 100 miles.",
        ),
        (
            {"radius": "1000000000"},
            "radius",
            "Choose a distance from the list: 5, 10, 25, 50 or 100 miles.",
        ),
        (
            {"kind": ["spaceship"]},
            "kind",
            "We don’t list “spaceship” as a kind of help. Choose from the list.",
        ),
        (
            {"payment": ["medicaid", "bitcoin"]},
            "payment",
            "We don’t list “bitcoin” as a payment option. Choose from the list.",
        ),
        (
            {"q": "x" * 5000},
            "q",
            "Search text is too long (5,000 characters); shorten it to 200 or fewer.",
        ),
        (
            {"near": "x" * 5000},
            "near",
            "Place is too long (5,000 characters); shorten it to 100 or fewer.",
        ),
        (
            {"q": "\ufffd\ufffd"},
            "q",
            "Search text has characters we could not read. Please type it again.",
        ),
        (
            {"q": "a\x00b"},
            "q",
            "Search text has characters we could not read. Please type it again.",
        ),
        ({"open_now": "maybe"}, "open_now", "“maybe” is not a yes or no"),
        ({"sort": "price"}, "sort", "Choose how to sort from the list."),
    ],
)
def test_unusable_values_are_reported_in_plain_words(data, field, message):
    filterset = ListingFilter(data)
    assert not filterset.is_valid()
    assert message in " ".join(filterset.errors[field])
    assert filterset.has_unusable_input()


def test_a_long_unknown_choice_is_cut_short_in_the_message():
    filterset = ListingFilter({"payment": ["b" * 500]})
    message = filterset.errors["payment"][0]
    assert len(message) < 120
    assert "bbbb…" in message


def test_an_unknown_place_is_not_an_unusable_request_and_brings_suggestions():
    filterset = ListingFilter({"near": "Chicgo"})
    assert not filterset.is_valid()
    assert not filterset.has_unusable_input()
    assert "We couldn't find “Chicgo”" in filterset.errors["near"][0]
    assert "Chicago, IL" in filterset.place_suggestions


def test_problems_carry_the_change_that_removes_only_the_bad_value():
    filterset = ListingFilter({"payment": ["medicaid", "bitcoin"], "radius": "-5"})
    problems = {problem.field: problem for problem in filterset.problems()}
    assert problems["payment"].without == {"payment": ["medicaid"], "page": None}
    assert problems["payment"].fix == "Remove “bitcoin”"
    assert problems["radius"].without == {"radius": None, "page": None}


# Sorting


def test_default_order_is_by_name_then_distance_then_relevance():
    make_clinician(name="B clinic")
    make_clinician(name="A clinic", **EDGEWATER)
    assert ListingFilter({}).effective_sort == Sort.NAME
    assert names({}) == ["A clinic", "B clinic"]
    assert ListingFilter({"near": "60614"}).effective_sort == Sort.DISTANCE
    assert names({"near": "60614"}) == ["B clinic", "A clinic"]
    assert ListingFilter({"q": "clinic"}).effective_sort == Sort.RELEVANCE


def test_sort_by_name_or_distance_when_asked():
    make_clinician(name="B clinic")
    make_clinician(name="A clinic", **EDGEWATER)
    assert names({"near": "60614", "sort": "name"}) == ["A clinic", "B clinic"]
    assert names({"near": "60614", "sort": "distance"}) == ["B clinic", "A clinic"]
    # Without a place there is no distance to sort by: the order falls back to names.
    assert ListingFilter({"sort": "distance"}).effective_sort == Sort.NAME


def test_relevance_puts_the_better_match_first():
    make_clinician(name="Counseling", summary="Detox referrals and counseling.")
    make_treatment_program(name="Detox Center", summary="Medically supervised detox.")
    filterset = ListingFilter({"q": "detox"})
    results = list(filterset.qs)
    assert {listing.name for listing in results} == {"Counseling", "Detox Center"}
    assert results == sorted(results, key=lambda listing: -listing.rank)


# What the page shows about the filters


def test_option_counts_count_each_choice_as_if_its_siblings_were_not_ticked():
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid"], Vocabulary.LANGUAGE: ["es"]})
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid", "medicare"]})
    make_clinician(terms={Vocabulary.PAYMENT: ["medicare"], Vocabulary.LANGUAGE: ["es"]})
    make_treatment_program(terms={Vocabulary.PAYMENT: ["free"]})

    filterset = ListingFilter({"payment": ["medicaid"]})
    assert filterset.is_valid()
    counts = filterset.option_counts()

    # Payment is counted over everything else: ticking Medicare as well would add 1.
    assert counts[("payment", "medicaid")] == 2
    assert counts[("payment", "medicare")] == 2
    assert counts[("payment", "free")] == 1
    # Other filters are counted over the Medicaid results.
    assert counts[("language", "es")] == 1
    assert counts[("kind", "clinician")] == 2
    assert ("kind", "treatment_program") not in counts
    assert counts[("role", "therapist")] == 2


def test_chips_name_each_choice_and_drop_only_it():
    filterset = ListingFilter(
        {"payment": ["medicaid", "medicare"], "open_now": "1", "near": "60614", "remote": "1"}
    )
    assert filterset.is_valid()
    chips = {chip.label: chip.without for chip in filterset.chips()}
    assert chips == {
        "Open now": {"open_now": None, "page": None},
        "Also show phone and online help for my state": {"remote": None, "page": None},
        "Medicaid": {"payment": ["medicare"], "page": None},
        "Medicare": {"payment": ["medicaid"], "page": None},
    }


def test_groups_show_what_was_ticked_with_counts():
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid"]})
    filterset = ListingFilter({"payment": ["medicaid"]}, offered=("payment", "open_now"))
    assert filterset.is_valid()
    (group,) = filterset.groups(filterset.option_counts())
    medicaid = next(option for option in group.options if option.value == "medicaid")
    assert (group.legend, medicaid.label, medicaid.checked, medicaid.count) == (
        "Payment",
        "Medicaid",
        True,
        1,
    )
    assert [tick.name for tick in filterset.ticks()] == ["open_now"]


def test_filters_a_page_does_not_offer_are_kept_as_hidden_values():
    filterset = ListingFilter({"role": ["therapist"], "beds": "1"}, offered=("beds",))
    assert filterset.hidden_values() == [("role", "therapist")]


# Categories


def test_categories_pick_their_listings():
    clinician = make_clinician(name="Counselor", terms={Vocabulary.THERAPY_APPROACH: ["craft"]})
    prescriber = make_clinician(
        name="Prescriber", terms={Vocabulary.MEDICATION: ["buprenorphine", "naltrexone"]}
    )
    program = make_treatment_program(name="Clinic", terms={Vocabulary.MEDICATION: ["methadone"]})
    home = make_sober_living_home(name="House", terms={Vocabulary.MEDICATION: ["naloxone"]})
    helpline = make_helpline(name="Line")
    family_services = make_community_resource(
        name="Family services", resource_type=CommunityResourceType.FAMILY_SUPPORT
    )
    job_center = make_community_resource(name="Job center")
    al_anon = make_support_group(name="Al-Anon group", fellowship=fellowship("Al-Anon"))
    celebrate = make_support_group(name="CR group", fellowship=fellowship("CR"))
    aa = make_support_group(name="AA group", terms={Vocabulary.POPULATION: ["families"]})
    na = make_support_group(name="NA group", fellowship=fellowship("NA"))
    make_clinician(name="Draft", status=ListingStatus.DRAFT)

    expected = {
        "doctors-and-therapists": {clinician, prescriber},
        "treatment-programs": {program},
        "medication": {prescriber, program},
        "sober-living": {home},
        "hotlines-and-online-help": {helpline},
        "community-resources": {family_services, job_center},
        "peer-support-groups": {al_anon, celebrate, aa, na},
        "family-and-friends": {clinician, family_services, al_anon, celebrate, aa},
    }
    published = Listing.objects.published()
    for category in CATEGORIES:
        found = set(category.apply(published).values_list("pk", flat=True))
        assert found == {listing.pk for listing in expected[category.slug]}, category.slug
    assert counts(published) == {slug: len(listings) for slug, listings in expected.items()}


def test_a_category_filter_keeps_one_row_per_listing():
    make_clinician(terms={Vocabulary.MEDICATION: ["buprenorphine", "naltrexone", "naloxone"]})
    medication = next(category for category in CATEGORIES if category.slug == "medication")
    listings = medication.apply(Listing.objects.published()).annotate(n=F("pk"))
    assert listings.count() == 1


def test_every_option_count_matches_the_listings_a_visitor_would_get_by_ticking_it():
    """The one-query tally against the plainest oracle: run the search each choice makes."""
    make_clinician(
        role=ClinicianRole.PSYCHIATRIST,
        terms={Vocabulary.PAYMENT: ["medicaid"], Vocabulary.LANGUAGE: ["es"]},
    )
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid", "medicare"]})
    make_clinician(terms={Vocabulary.PAYMENT: ["medicare"], Vocabulary.LANGUAGE: ["es", "pl"]})
    make_treatment_program(terms={Vocabulary.PAYMENT: ["medicaid"], Vocabulary.LANGUAGE: ["es"]})
    make_treatment_program(terms={Vocabulary.MEDICATION: ["buprenorphine"]})
    make_support_group(fellowship=fellowship("NA"), terms={Vocabulary.LANGUAGE: ["es"]})
    make_support_group(fellowship=fellowship("AA"))
    make_clinician(status=ListingStatus.DRAFT, terms={Vocabulary.PAYMENT: ["medicaid"]})
    asked = {
        "kind": ["clinician", "treatment_program"],
        "payment": ["medicaid"],
        "language": ["es"],
        "role": ["psychiatrist", "therapist"],
    }

    filterset = ListingFilter(asked)
    assert filterset.is_valid()
    tally = filterset.tally()

    # The role filter keeps clinicians only: the Medicaid, Spanish-speaking psychiatrist.
    assert tally.total == ListingFilter(asked).qs.count() == 1
    for name in ("kind", "role", "fellowship", "payment", "language", "medication"):
        for value, _label in ListingFilter.base_filters[name].extra["choices"]:
            ticked = {**asked, name: [value]}
            expected = ListingFilter(ticked).qs.count()
            assert tally.options.get((name, str(value)), 0) == expected, (name, value)
