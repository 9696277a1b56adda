"""Places and distances: where a visitor is (``places``, offline, from the ZIP table) and
which rows are within a radius of it (``distances``, in the database)."""

from resources.geo.distances import (
    DEFAULT_RADIUS,
    EARTH_RADIUS_MILES,
    RADIUS_CHOICES,
    serving_region,
    within_radius,
)
from resources.geo.places import (
    MAX_QUERY_LENGTH,
    STATES,
    Location,
    PlaceNotFound,
    parse_coordinates,
    resolve_near,
    round_coordinates,
    warm_up,
)

__all__ = [
    "DEFAULT_RADIUS",
    "EARTH_RADIUS_MILES",
    "RADIUS_CHOICES",
    "serving_region",
    "within_radius",
    "MAX_QUERY_LENGTH",
    "STATES",
    "Location",
    "PlaceNotFound",
    "parse_coordinates",
    "resolve_near",
    "round_coordinates",
    "warm_up",
]
