"""HSDS locations and addresses: a listing's own, and the other places a group meets at.

An address is given only when the street address is public and complete (HSDS requires
address_1, city, state, postal code and country). For approximate-precision records, whose
street is private, the location carries no address and only coordinates rounded to two
decimals (about a kilometre), with the town in its description. A place without
coordinates is still a location, with its address: HSDS does not require a point.
"""

from decimal import ROUND_HALF_UP, Decimal

from exchange.hsds import ids


def compact(fields):
    """Leave out empty values: HSDS fields are typed strings and numbers, never null."""
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _rounded(value, places):
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def address(record, address_id, location_id):
    """The public street address of a listing or place, or None when private or incomplete."""
    if not record.address_is_public:
        return None
    required = (record.address_line1, record.city, record.region, record.postal_code)
    if not all(required) or not record.country:
        return None
    return compact(
        {
            "id": address_id,
            "location_id": location_id,
            "address_1": record.address_line1,
            "address_2": record.address_line2,
            "city": record.city,
            "state_province": record.region,
            "postal_code": record.postal_code,
            "country": record.country,
            "address_type": "physical",
        }
    )


def location(record, location_id, address_id, name, organization_id=None, notes=""):
    exact = record.address_is_public
    places = 6 if exact else 2
    street = address(record, address_id, location_id)
    description = notes
    if not exact:
        description = f"Only the town is public ({record.town}); the point is rounded to the area."
    return compact(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": name if exact else (record.town or name),
            "description": description,
            "latitude": _rounded(record.latitude, places),
            "longitude": _rounded(record.longitude, places),
            "addresses": [street] if street else [],
        }
    )


def listing_location(listing):
    return location(
        listing,
        ids.location_id(listing.pk),
        ids.address_id(listing.pk),
        listing.name,
        listing.organization_id and ids.organization_id(listing.organization_id),
    )


def place_location(place):
    """A meeting place other than its group's address: a location of its own."""
    return location(
        place, ids.place_location_id(place.pk), ids.place_address_id(place.pk), place.name,
        notes=place.notes,
    )  # fmt: skip
