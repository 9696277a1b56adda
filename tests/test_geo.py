"""Finding where a visitor means, offline, and which listings are within a radius of it."""

import math
from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest
import zipcodes

from resources.geo import (
    DEFAULT_RADIUS,
    RADIUS_CHOICES,
    Location,
    PlaceNotFound,
    parse_coordinates,
    resolve_near,
    round_coordinates,
    serving_region,
    within_radius,
)
from resources.models import Helpline, Listing, ServiceScope
from tests import factories

# The Loop, and places at known great-circle distances from it (haversine, R = 3958.8 mi).
LOOP = Location("Chicago, IL", 41.8781, -87.6298, "IL")
LINCOLN_PARK = (Decimal("41.924800"), Decimal("-87.641400"))  # 3.28 mi
EVANSTON = (Decimal("42.045100"), Decimal("-87.687700"))  # 11.92 mi
MILWAUKEE = (Decimal("43.038900"), Decimal("-87.906500"))  # 81.44 mi
DENVER = (Decimal("39.739200"), Decimal("-104.990300"))  # 918.21 mi

EARTH_RADIUS_MILES = 3958.8


def place_at(point, **fields):
    latitude, longitude = point
    return factories.make_clinician(latitude=latitude, longitude=longitude, **fields)


def point_at(origin, miles, bearing_degrees):
    """The point ``miles`` from ``origin`` along a bearing, on the sphere (for edge cases)."""
    distance = miles / EARTH_RADIUS_MILES
    bearing = math.radians(bearing_degrees)
    lat1, lng1 = math.radians(origin[0]), math.radians(origin[1])
    lat2 = math.asin(
        math.sin(lat1) * math.cos(distance)
        + math.cos(lat1) * math.sin(distance) * math.cos(bearing)
    )
    lng2 = lng1 + math.atan2(
        math.sin(bearing) * math.sin(distance) * math.cos(lat1),
        math.cos(distance) - math.sin(lat1) * math.sin(lat2),
    )
    lng2 = (math.degrees(lng2) + 540) % 360 - 180
    return Decimal(f"{math.degrees(lat2):.6f}"), Decimal(f"{lng2:.6f}")


def miles_between(a, b):
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def not_found(text):
    with pytest.raises(PlaceNotFound) as raised:
        resolve_near(text)
    return raised.value


# ZIP codes


@pytest.mark.parametrize("text", ["60614", "60614-1234", " 60614 ", "Chicago, IL 60614"])
def test_zip_code_is_placed_at_its_centroid(text):
    assert resolve_near(text) == Location("Chicago, IL 60614", 41.9229, -87.6483, "IL")


def test_zip_code_without_coordinates_is_placed_at_its_town():
    # The table gives 11805, a Hicksville P.O. box ZIP, as 0, 0: "no coordinates".
    hicksville = resolve_near("Hicksville, NY")
    assert resolve_near("11805") == Location(
        "Hicksville, NY 11805", hicksville.latitude, hicksville.longitude, "NY"
    )


def test_military_zip_codes_are_no_place():
    assert "09001" in not_found("09001").message


def test_unknown_zip_code_is_named_in_the_message():
    error = not_found("00000")
    assert "00000" in error.message
    assert error.suggestions == []


# Towns and states


@pytest.mark.parametrize(
    "text",
    [
        "Chicago, IL",
        "chicago il",
        "CHICAGO,IL",
        "  Chicago ,  Illinois ",
        "chicago illinois",
        "Chicago, IL, USA",
    ],
)
def test_city_and_state_in_any_usual_spelling(text):
    location = resolve_near(text)
    assert location.label == "Chicago, IL"
    assert location.region == "IL"
    assert miles_between((location.latitude, location.longitude), (41.8781, -87.6298)) < 10


@pytest.mark.parametrize(
    "text", ["Saint Paul, Minnesota", "St. Paul, MN", "st paul mn", "ST.PAUL, MINNESOTA"]
)
def test_saint_and_st_name_the_same_town(text):
    assert resolve_near(text).label == "Saint Paul, MN"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Ft. Worth, TX", "Fort Worth, TX"),
        ("Mt. Vernon, NY", "Mount Vernon, NY"),
        ("Ste. Genevieve, MO", "Sainte Genevieve, MO"),
        ("O'Fallon, Missouri", "O Fallon, MO"),
        ("Winston-Salem, NC", "Winston Salem, NC"),
        ("Española, NM", "Espanola, NM"),
        ("Washington, D.C.", "Washington, DC"),
        ("Kansas City Kansas", "Kansas City, KS"),
        ("Rocky Mount, NC", "Rocky Mount, NC"),
    ],
)
def test_town_names_are_matched_without_punctuation_or_abbreviations(text, label):
    assert resolve_near(text).label == label


def test_town_centre_is_the_mean_of_its_active_standard_zip_centroids():
    zips = [
        z
        for z in zipcodes.filter_by(city="Evanston", state="IL")
        if z["active"] and z["zip_code_type"] == "STANDARD"
    ]
    location = resolve_near("Evanston, IL")
    assert len(zips) > 1
    assert location.latitude == pytest.approx(sum(float(z["lat"]) for z in zips) / len(zips))
    assert location.longitude == pytest.approx(sum(float(z["long"]) for z in zips) / len(zips))


def test_bare_town_name_found_in_one_state_is_used():
    assert resolve_near("Honolulu").label == "Honolulu, HI"


def test_bare_town_name_found_in_several_states_asks_which_largest_first():
    error = not_found("Denver")
    assert error.message == "“Denver” is in more than one state. Add the state, like Denver, CO."
    assert error.suggestions[0] == "Denver, CO"
    assert 1 < len(error.suggestions) <= 5
    assert all(label.startswith("Denver, ") for label in error.suggestions)


def test_a_state_alone_asks_for_a_town_in_that_state_not_a_namesake_elsewhere():
    error = not_found("Ohio")
    assert "Ohio is a whole state" in error.message
    assert "Columbus, OH" in error.suggestions
    assert all(label.endswith(", OH") for label in error.suggestions)
    assert not_found("IL").suggestions[0] == "Chicago, IL"


def test_a_state_named_like_its_city_means_the_city():
    assert resolve_near("New York").label == "New York, NY"


def test_misspelt_town_suggests_close_names_in_the_same_state():
    error = not_found("Chicgo, IL")
    assert error.message == (
        "We couldn't find “Chicgo, IL”. "
        "Try a 5-digit ZIP code or a city and state, like Chicago, IL."
    )
    assert error.suggestions[0] == "Chicago, IL"
    assert len(error.suggestions) <= 5
    assert all(label.endswith(", IL") for label in error.suggestions)


def test_town_in_the_wrong_state_suggests_the_town_where_it_is():
    assert not_found("Chicago, IN").suggestions[0] == "Chicago, IL"


def test_misspelt_town_without_state_suggests_close_names_anywhere():
    assert "Chicago, IL" in not_found("Chicgo").suggestions


# Coordinates from "Use my location"


def test_coordinates_are_rounded_to_about_a_kilometre():
    assert resolve_near("41.925123,-87.655123") == Location("your location", 41.93, -87.66, "IL")
    assert resolve_near("41.92, -87.65") == Location("your location", 41.92, -87.65, "IL")


def test_coordinates_far_from_any_zip_have_no_state():
    assert resolve_near("0,0").region == ""


@pytest.mark.parametrize("text", ["90,-180", "-90,180", "51.88,179.99", "-0.0,+0.0"])
def test_coordinates_at_the_edges_of_the_map_are_accepted(text):
    assert resolve_near(text).label == "your location"


@pytest.mark.parametrize("text", ["91,0", "-90.5,10", "0,181", "10,-180.01"])
def test_coordinates_off_the_globe_are_refused(text):
    with pytest.raises(PlaceNotFound, match="not on the map"):
        parse_coordinates(text)
    assert "not on the map" in not_found(text).message


def test_parse_coordinates():
    assert parse_coordinates("+41.9,-87.6") == (41.9, -87.6)
    assert parse_coordinates("90,-180") == (90.0, -180.0)
    assert parse_coordinates("Chicago, IL") is None
    assert parse_coordinates("60614") is None


def test_round_coordinates_accepts_stored_decimals():
    assert round_coordinates(*LINCOLN_PARK) == (41.92, -87.64)


# Input that is not a place


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_blank_input_means_no_location(text):
    assert resolve_near(text) is None


@pytest.mark.parametrize("length", [101, 5000])
def test_long_input_is_refused_without_being_read(length):
    error = not_found("6" * length)
    assert "too long" in error.message
    assert error.suggestions == []


def test_input_at_the_length_limit_is_read():
    assert "couldn't find" in not_found("x" * 100).message


@pytest.mark.parametrize(
    "text",
    [
        "!!!",
        "...",
        ",",
        ", ,",
        "—",
        "\x00",
        "\udcff\udcfe",
        "Ã©Ã¨ Ã",
        "\ufffd\ufffd",
        "🙂🙂",
        "%s %(place)s {place}",
        "<script>alert(1)</script>",
        "NaN,NaN",
        "inf,-inf",
        "1e5,3",
        "41.9,",
        "12345678",
        ", IL",
    ],
)
def test_junk_only_ever_raises_place_not_found(text):
    error = not_found(text)
    error.message.encode("utf-8")  # no lone surrogates echoed back into the page
    assert all(label.count(", ") == 1 for label in error.suggestions)


def test_control_characters_are_dropped_before_reading():
    assert resolve_near("60614\x00").label == "Chicago, IL 60614"


def test_location_is_immutable():
    with pytest.raises(FrozenInstanceError):
        LOOP.latitude = 0


# Listings within a radius


def test_radius_choices():
    assert RADIUS_CHOICES == (5, 10, 25, 50, 100)
    assert DEFAULT_RADIUS in RADIUS_CHOICES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("miles", "expected"),
    [
        (5, {"lincoln-park"}),
        (10, {"lincoln-park"}),
        (25, {"lincoln-park", "evanston"}),
        (50, {"lincoln-park", "evanston"}),
        (100, {"lincoln-park", "evanston", "milwaukee"}),
    ],
)
def test_near_finds_exactly_the_listings_within_the_radius(miles, expected):
    place_at(LINCOLN_PARK, slug="lincoln-park")
    place_at(EVANSTON, slug="evanston")
    place_at(MILWAUKEE, slug="milwaukee")
    place_at(DENVER, slug="denver")
    found = Listing.objects.published().near(LOOP, miles)
    assert {listing.slug for listing in found} == expected


@pytest.mark.django_db
def test_distance_is_annotated_in_miles():
    place_at(EVANSTON, slug="evanston")
    place_at(MILWAUKEE, slug="milwaukee")
    found = {listing.slug: listing.distance for listing in Listing.objects.near(LOOP, 100)}
    assert isinstance(found["evanston"], float)
    assert found["evanston"] == pytest.approx(11.92, abs=0.5)
    assert found["milwaukee"] == pytest.approx(81.44, abs=0.5)


@pytest.mark.django_db
def test_near_results_order_by_distance():
    for slug, point in [("milwaukee", MILWAUKEE), ("lincoln-park", LINCOLN_PARK)]:
        place_at(point, slug=slug)
    place_at(EVANSTON, slug="evanston", name="Aardvark Counseling")
    found = Listing.objects.near(LOOP, 100).order_by("distance")
    assert [listing.slug for listing in found] == ["lincoln-park", "evanston", "milwaukee"]


@pytest.mark.django_db
def test_the_whole_circle_is_searched_not_just_the_box_inside_it():
    # Just inside and just outside the circle all round: the box prefilter must clip nothing.
    origin = (LOOP.latitude, LOOP.longitude)
    for bearing in range(0, 360, 45):
        place_at(point_at(origin, 24.8, bearing), slug=f"inside-{bearing}")
        place_at(point_at(origin, 25.2, bearing), slug=f"outside-{bearing}")
    found = {listing.slug for listing in Listing.objects.near(LOOP, 25)}
    assert found == {f"inside-{bearing}" for bearing in range(0, 360, 45)}


@pytest.mark.django_db
def test_the_circle_crosses_the_180th_meridian():
    # The western Aleutians sit on both sides of it.
    adak_west = Location("your location", 51.88, 179.99, "AK")
    place_at((Decimal("51.880000"), Decimal("-179.990000")), slug="east-side")
    place_at((Decimal("51.880000"), Decimal("179.000000")), slug="far-west")
    found = {listing.slug: listing.distance for listing in Listing.objects.near(adak_west, 5)}
    assert set(found) == {"east-side"}
    assert found["east-side"] == pytest.approx(0.85, abs=0.1)


@pytest.mark.django_db
def test_listings_without_coordinates_are_never_near():
    factories.make_helpline(slug="hotline", latitude=None, longitude=None)
    place_at(LINCOLN_PARK, slug="lincoln-park")
    assert [listing.slug for listing in Listing.objects.near(LOOP, 100)] == ["lincoln-park"]


@pytest.mark.django_db
def test_approximate_listings_are_measured_from_their_town():
    factories.make_sober_living_home(
        slug="home", city="Evanston", latitude=EVANSTON[0], longitude=EVANSTON[1]
    )
    (home,) = Listing.objects.near(LOOP, 25)
    assert home.location_precision == "approximate"
    assert home.distance == pytest.approx(11.92, abs=0.5)


@pytest.mark.django_db
def test_near_a_resolved_place_works_end_to_end():
    place_at(LINCOLN_PARK, slug="lincoln-park")
    place_at(MILWAUKEE, slug="milwaukee")
    found = Listing.objects.near(resolve_near("60614"), 5)
    assert [listing.slug for listing in found] == ["lincoln-park"]


@pytest.mark.django_db
def test_near_costs_one_query(django_assert_num_queries):
    place_at(LINCOLN_PARK)
    place_at(EVANSTON)
    queryset = Listing.objects.published().with_kind_details().near(LOOP, 25)
    # 1: the listings with their typed details, filtered and annotated with distance.
    with django_assert_num_queries(1):
        listings = list(queryset)
    assert len(listings) == 2


@pytest.mark.parametrize("miles", [0, 1, 30, 1000, "25", None])
def test_only_the_offered_radii_are_accepted(miles):
    with pytest.raises(ValueError, match="miles must be one of"):
        within_radius(Listing.objects.all(), LOOP, miles)


# Online and phone services for a state


@pytest.mark.django_db
def test_serving_region_offers_online_and_phone_help_open_to_that_state():
    national = factories.make_helpline(slug="national", scope=ServiceScope.NATIONAL, region="MD")
    factories.make_helpline(slug="wisconsin", scope=ServiceScope.STATE, region="WI")
    illinois = factories.make_helpline(slug="illinois", scope=ServiceScope.STATE, region="IL")
    telehealth = factories.make_clinician(
        slug="telehealth", offers_in_person=False, offers_online=True
    )
    anywhere = factories.make_community_resource(
        slug="anywhere",
        offers_in_person=False,
        offers_online=True,
        region="",
        city="",
        latitude=None,
        longitude=None,
    )
    factories.make_clinician(slug="in-person-only", offers_online=False, offers_phone=False)
    factories.make_clinician(slug="indiana", offers_online=True, region="IN")

    found = serving_region(Listing.objects.all(), "IL")
    assert {listing.slug for listing in found} == {
        national.slug,
        illinois.slug,
        telehealth.slug,
        anywhere.slug,
    }


@pytest.mark.django_db
def test_serving_no_known_state_offers_only_help_open_to_everyone():
    factories.make_helpline(slug="national", scope=ServiceScope.NATIONAL)
    factories.make_helpline(slug="illinois", scope=ServiceScope.STATE, region="IL")
    found = serving_region(Listing.objects.all(), "")
    assert [listing.slug for listing in found] == ["national"]


@pytest.mark.django_db
def test_serving_region_works_on_helplines_alone():
    factories.make_helpline(slug="national", scope=ServiceScope.NATIONAL, region="MD")
    factories.make_helpline(slug="wisconsin", scope=ServiceScope.STATE, region="WI")
    found = serving_region(Helpline.objects.all(), "il")
    assert [helpline.slug for helpline in found] == ["national"]
