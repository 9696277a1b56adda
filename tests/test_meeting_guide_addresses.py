"""One-line addresses as Meeting Guide feeds write them: exchange/addresses.py."""

import pytest

from exchange.addresses import parse_address, time_zone_of_place

SHAPES = [
    # (formatted_address, (place name, street, city, state, postal code, country)); the
    # country, when the address does not name it, follows from the state or postal code.
    (
        "979 West County Line Road, Hatboro, PA, 19040, USA",
        ("", "979 West County Line Road", "Hatboro", "PA", "19040", "US"),
    ),
    (
        "123 Main St, Springfield, IL 62701, USA",
        ("", "123 Main St", "Springfield", "IL", "62701", "US"),
    ),
    ("123 Main St, Springfield, IL 62701", ("", "123 Main St", "Springfield", "IL", "62701", "US")),
    ("123 Main St, Springfield, IL", ("", "123 Main St", "Springfield", "IL", "", "US")),
    ("Springfield", ("", "", "Springfield", "", "", "")),
    ("Springfield, IL", ("", "", "Springfield", "IL", "", "US")),
    ("Springfield, IL, USA", ("", "", "Springfield", "IL", "", "US")),
    ("Hatboro, PA 19040", ("", "", "Hatboro", "PA", "19040", "US")),
    (
        "1 Main St, Denver, CO 80202-1234, USA",
        ("", "1 Main St", "Denver", "CO", "80202-1234", "US"),
    ),
    (
        "100 Queen St W, Toronto, ON M5H 2N2, Canada",
        ("", "100 Queen St W", "Toronto", "ON", "M5H 2N2", "CA"),
    ),
    (
        "100 Queen St W, Toronto, ON, M5H2N2",
        ("", "100 Queen St W", "Toronto", "ON", "M5H 2N2", "CA"),
    ),
    ("55 King St, Kingston, Ontario, Canada", ("", "55 King St", "Kingston", "ON", "", "CA")),
    (
        "St. Luke's Church, 123 Main St, Springfield, IL 62701, USA",
        ("St. Luke's Church", "123 Main St", "Springfield", "IL", "62701", "US"),
    ),
    (
        "123 Main St, Suite 200, Springfield, IL 62701",
        ("", "123 Main St, Suite 200", "Springfield", "IL", "62701", "US"),
    ),
    (
        "123 Main St, Ste. 4, Springfield, IL 62701",
        ("", "123 Main St, Ste. 4", "Springfield", "IL", "62701", "US"),
    ),
    ("123 Main St, #12, Springfield, IL", ("", "123 Main St, #12", "Springfield", "IL", "", "US")),
    ("123 main st, springfield, il 62701", ("", "123 main st", "springfield", "IL", "62701", "US")),
    (
        "123 Main St, Springfield, Illinois 62701, United States",
        ("", "123 Main St", "Springfield", "IL", "62701", "US"),
    ),
    (
        "500 Elm St, Charleston, West Virginia, USA",
        ("", "500 Elm St", "Charleston", "WV", "", "US"),
    ),
    ("20 W 34th St, New York, NY 10001", ("", "20 W 34th St", "New York", "NY", "10001", "US")),
    ("Brooklyn, New York", ("", "", "Brooklyn", "NY", "", "US")),
    ("123 Main St, Springfield IL 62701", ("", "123 Main St", "Springfield", "IL", "62701", "US")),
    ("Anaheim CA 92801", ("", "", "Anaheim", "CA", "92801", "US")),
    (
        "123\xa0Main St ,  Anaheim ,\xa0CA  92801 , USA ",
        ("", "123 Main St", "Anaheim", "CA", "92801", "US"),
    ),
    ("123 Main St, Anaheim, CA, US", ("", "123 Main St", "Anaheim", "CA", "", "US")),
    ("123 Main St, Anaheim, CA, U.S.A.", ("", "123 Main St", "Anaheim", "CA", "", "US")),
    ("19040", ("", "", "", "", "19040", "US")),
    ("PA", ("", "", "", "PA", "", "US")),
    ("", ("", "", "", "", "", "")),
    ("123 Main St", ("", "123 Main St", "", "", "", "")),
    ("123 Main St, Springfield", ("", "123 Main St", "Springfield", "", "", "")),
    (
        "Alano Club, 1 Oak Ave, Dover, DE 19901, USA",
        ("Alano Club", "1 Oak Ave", "Dover", "DE", "19901", "US"),
    ),
    (
        "PO Box 12, Hatboro, PA 19040",
        ("", "PO Box 12", "Hatboro", "PA", "19040", "US"),
    ),
    (
        "1 Rue Sainte-Catherine, Montréal, QC H2X 1K4, Canada",
        ("", "1 Rue Sainte-Catherine", "Montréal", "QC", "H2X 1K4", "CA"),
    ),
    ("10 Main St, Kenora, ON P9N 1A1", ("", "10 Main St", "Kenora", "ON", "P9N 1A1", "CA")),
    ("Online, PA", ("", "", "Online", "PA", "", "US")),
]


@pytest.mark.parametrize(("formatted", "expected"), SHAPES)
def test_an_address_shape_is_split_into_its_parts(formatted, expected):
    parsed = parse_address(formatted)

    assert (
        parsed.place_name,
        parsed.street,
        parsed.city,
        parsed.state,
        parsed.postal_code,
        parsed.country,
    ) == expected


def test_at_least_thirty_shapes_are_covered():
    assert len(SHAPES) >= 30


@pytest.mark.parametrize(
    ("place", "zone"),
    [
        ({"postal_code": "19040"}, "America/New_York"),
        ({"postal_code": "80202-1234", "state": "CO"}, "America/Denver"),
        ({"state": "PA"}, "America/New_York"),
        ({"state": "california"}, "America/Los_Angeles"),
        ({"state": "ON", "country": "CA"}, "America/Toronto"),
        ({"state": "Ontario"}, "America/Toronto"),
        ({"state": "ON", "postal_code": "P9N 1A1", "country": "CA"}, "America/Winnipeg"),
        ({"state": "AB", "country": "CA"}, "America/Edmonton"),
        # Split between zones: the state alone does not say.
        ({"state": "TX"}, ""),
        ({"state": "TX", "latitude": 31.76, "longitude": -106.49}, "America/Denver"),
        ({"latitude": 40.18, "longitude": -75.11}, "America/New_York"),
        ({"latitude": 34.05, "longitude": -118.24}, "America/Los_Angeles"),
        # The middle of the Atlantic is near no ZIP code.
        ({"latitude": 30.0, "longitude": -40.0}, ""),
        ({}, ""),
    ],
)
def test_the_time_zone_of_a_place(place, zone):
    assert time_zone_of_place(**place) == zone
