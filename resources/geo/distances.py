"""How far rows are from a place, measured in the database.

Works on any model with ``latitude`` and ``longitude`` columns (listings, meeting places)
or annotations of those names (meetings, measured from their place or their group). On
PostgreSQL a box around the circle is answered by a GiST index first; the great-circle
distance is then computed for the few rows inside it.
"""

import math
import operator
from decimal import Decimal
from functools import reduce

from django.db import connections
from django.db.models import BooleanField, Field, FloatField, Func, Q, Value
from django.db.models.functions import Cast

RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
EARTH_RADIUS_MILES = 3958.8


def within_radius(queryset, location, miles):
    """Listings within ``miles`` of ``location``, annotated with ``distance`` in miles.

    Listings without coordinates are left out. Listings of approximate precision are
    measured from their stored coordinates, which are their town's, so their distance is
    the distance to the town. Ordering is left to the caller: ``order_by("distance")``.
    """
    if miles not in RADIUS_CHOICES:
        raise ValueError(f"miles must be one of {RADIUS_CHOICES}, not {miles!r}")
    latitude, longitude = float(location.latitude), float(location.longitude)
    distance = _great_circle_miles(latitude, longitude)
    indexed = (
        connections[queryset.db].vendor == "postgresql"
        and _has_field(queryset.model, "latitude")
        and "latitude" not in queryset.query.annotations
    )
    box = _indexed_box if indexed else _bounding_box
    return (
        queryset.filter(box(latitude, longitude, miles))
        .annotate(distance=distance)
        .filter(distance__lte=miles)
    )


def serving_region(queryset, region):
    """Online and phone services open to someone in the state ``region`` (such as "IL").

    A service counts when it offers online or phone help and either is a national
    helpline, gives no state (we read no state as "anywhere"), or gives this state.
    """
    scope = "scope" if _has_field(queryset.model, "scope") else "helpline__scope"
    serves_here = Q(**{scope: "national"}) | Q(region="")
    if region:
        serves_here |= Q(region=region.upper())
    return queryset.filter(Q(offers_online=True) | Q(offers_phone=True), serves_here)


def box_spans(latitude, longitude, miles):
    """(south, north, [(west, east), …]): a box holding the whole circle, in degrees.

    The widest longitude span of a circle of angular radius r around latitude φ is
    asin(sin r / cos φ); past a pole the box takes every longitude, and across the 180th
    meridian it is cut in two.
    """
    radius = miles / EARTH_RADIUS_MILES
    margin = 1e-4  # degrees; stored coordinates have 6 decimals, so this loses nothing
    delta_lat = math.degrees(radius) + margin
    south, north = latitude - delta_lat, latitude + delta_lat
    cos_lat = math.cos(math.radians(latitude))
    if math.sin(radius) >= cos_lat:
        return south, north, [(-180.0, 180.0)]
    delta_lng = math.degrees(math.asin(math.sin(radius) / cos_lat)) + margin
    west, east = longitude - delta_lng, longitude + delta_lng
    if west < -180:
        return south, north, [(west + 360, 180.0), (-180.0, east)]
    if east > 180:
        return south, north, [(west, 180.0), (-180.0, east - 360)]
    return south, north, [(west, east)]


def _bounding_box(latitude, longitude, miles):
    """The box as conditions on the latitude and longitude columns (or annotations)."""
    south, north, spans = box_spans(latitude, longitude, miles)
    box = Q(latitude__gte=_decimal(south), latitude__lte=_decimal(north))
    return box & reduce(
        operator.or_,
        (Q(longitude__gte=_decimal(west), longitude__lte=_decimal(east)) for west, east in spans),
    )


def _indexed_box(latitude, longitude, miles):
    """The box as ``point(longitude, latitude) <@ box(…)``, which the GiST index
    ``listing_point_gist`` (migration 0006) answers on PostgreSQL. The B-tree on the two
    columns can only narrow by latitude: a band across the whole country."""
    south, north, spans = box_spans(latitude, longitude, miles)
    point = _point(Cast("longitude", FloatField()), Cast("latitude", FloatField()))
    return reduce(
        operator.or_,
        (
            Q(
                Func(
                    point,
                    Func(
                        _point(Value(west), Value(south)),
                        _point(Value(east), Value(north)),
                        function="box",
                        output_field=Field(),
                    ),
                    template="%(expressions)s",
                    arg_joiner=" <@ ",
                    output_field=BooleanField(),
                )
            )
            for west, east in spans
        ),
    )


def _point(x, y):
    return Func(x, y, function="point", output_field=Field())


def _decimal(degrees):
    # Compared with a DecimalField; 6 places is what the column stores.
    return Decimal(f"{degrees:.6f}")


class GreatCircleMiles(Func):
    """The haversine distance in miles from a point to each row, as one expression.

    Terms that depend only on the visitor's point are computed here, in Python. Written as
    one piece of SQL (with the databases' own RADIANS, SIN, ASIN…, which Django also gives
    SQLite) rather than some thirty nested expressions, which Django copied each time a
    search's queryset was filtered or annotated again: about 3 ms of every search near a
    place (docs/performance.md).
    """

    output_field = FloatField()

    def __init__(self, latitude, longitude):
        super().__init__(Cast("latitude", FloatField()), Cast("longitude", FloatField()))
        self.origin = (latitude, longitude)

    def as_sql(self, compiler, connection, least="LEAST", **extra_context):
        row_lat, lat_params = compiler.compile(self.source_expressions[0])
        row_lng, lng_params = compiler.compile(self.source_expressions[1])
        origin_lat, origin_lng = (math.radians(degrees) for degrees in self.origin)
        # LEAST keeps rounding from pushing asin's argument past 1 for antipodal rows.
        sql = (
            f"(%s * ASIN(SQRT({least}("
            f"POWER(SIN((RADIANS({row_lat}) - %s) * 0.5), 2) "
            f"+ %s * COS(RADIANS({row_lat})) * POWER(SIN((RADIANS({row_lng}) - %s) * 0.5), 2)"
            ", 1.0))))"
        )
        params = [
            2 * EARTH_RADIUS_MILES,
            *lat_params,
            origin_lat,
            math.cos(origin_lat),
            *lat_params,
            *lng_params,
            origin_lng,
        ]
        return sql, params

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's two-argument MIN is LEAST.
        return self.as_sql(compiler, connection, least="MIN", **extra_context)


def _great_circle_miles(latitude, longitude):
    return GreatCircleMiles(latitude, longitude)


def _has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)
