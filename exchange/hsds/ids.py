"""Stable HSDS identifiers.

HSDS wants every id to be a UUID. Ours are name-based (UUID version 5) in one namespace,
so the same row always has the same id, on any copy of the database, with nothing stored:
``uuid5(NAMESPACE, "listing:42")`` is listing 42's service. Terms are named by vocabulary
and code, not primary key, so their ids also agree between databases.
"""

import uuid

# uuid5(NAMESPACE_URL, "https://github.com/recovery-support-directory/hsds"): never change it,
# or every published id changes.
NAMESPACE = uuid.UUID("e8007488-9932-5cbf-aa31-157db390306e")

LISTING_KIND_TAXONOMY = "listing_kind"


def hsds_id(name):
    return str(uuid.uuid5(NAMESPACE, name))


def service_id(listing_pk):
    return hsds_id(f"listing:{listing_pk}")


def organization_id(organization_pk):
    return hsds_id(f"organization:{organization_pk}")


def listing_organization_id(listing_pk):
    """The synthetic organization of a listing that has none (HSDS requires one)."""
    return hsds_id(f"listing-org:{listing_pk}")


def location_id(listing_pk):
    return hsds_id(f"location:{listing_pk}")


def address_id(listing_pk):
    return hsds_id(f"address:{listing_pk}")


def service_at_location_id(listing_pk):
    return hsds_id(f"service-at-location:{listing_pk}")


def place_location_id(place_pk):
    """A meeting place other than its group's address (groups.Place)."""
    return hsds_id(f"place-location:{place_pk}")


def place_address_id(place_pk):
    return hsds_id(f"place-address:{place_pk}")


def place_service_at_location_id(listing_pk, place_pk):
    """A group's meetings at one of its other places."""
    return hsds_id(f"service-at-place:{listing_pk}:{place_pk}")


def phone_id(listing_pk, phone_type):
    return hsds_id(f"phone:{listing_pk}:{phone_type}")


def opening_hours_schedule_id(opening_hours_pk):
    return hsds_id(f"schedule:opening-hours:{opening_hours_pk}")


def open_24_7_schedule_id(listing_pk):
    return hsds_id(f"schedule:open-24-7:{listing_pk}")


def meeting_schedule_id(meeting_pk):
    return hsds_id(f"schedule:meeting:{meeting_pk}")


def language_id(listing_pk, code):
    return hsds_id(f"language:{listing_pk}:{code}")


def cost_option_id(listing_pk, code):
    return hsds_id(f"cost-option:{listing_pk}:{code}")


def taxonomy_id(vocabulary):
    return hsds_id(f"taxonomy:{vocabulary}")


def taxonomy_term_id(vocabulary, code):
    return hsds_id(f"term:{vocabulary}:{code}")


def attribute_id(link_id, vocabulary, code):
    return hsds_id(f"attribute:{link_id}:{vocabulary}:{code}")
