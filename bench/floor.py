"""The floor: the least a search near a place can do on our own tables, as a page.

One ``count(*)`` and one page of 20, in raw SQL on the same columns and indexes the site's
search uses (status, kind, the stored ``search_vector``, ``listing_point_gist``'s box, the
haversine distance, nearest first), rendered by a ten-line template. No form, no filters,
no model instances. ``make bench`` serves it beside the real pages and prints each page's
requests a second as a share of this one's, measured in the same run on the same data.
"""

import math

from django.db import connection
from django.http import HttpResponse
from django.template import Context, Engine

from resources.geo.places import resolve_near

EARTH_RADIUS_MILES = 3958.8
PAGE_SIZE = 20

TEMPLATE = Engine().from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ total }} results</title></head><body>
<h1>{{ total }} results near {{ place }}</h1>
<ol>{% for name, slug, city, phone, miles in rows %}
<li><a href="/listings/{{ slug }}/">{{ name }}</a> {{ city }} {{ phone }}
  ({{ miles|floatformat:1 }} mi)</li>
{% endfor %}</ol>
</body></html>"""
)

WHERE = """
    status = 'published' AND kind = %(kind)s
    AND search_vector @@ websearch_to_tsquery('english', %(q)s)
    AND point(longitude::double precision, latitude::double precision)
        <@ box(point(%(west)s, %(south)s), point(%(east)s, %(north)s))
    AND {distance} <= %(miles)s
"""
DISTANCE = f"""
    2 * {EARTH_RADIUS_MILES} * asin(sqrt(
        power(sin(radians(latitude::double precision - %(lat)s) / 2), 2)
        + cos(radians(%(lat)s)) * cos(radians(latitude::double precision))
        * power(sin(radians(longitude::double precision - %(lng)s) / 2), 2)))
"""


def floor(request):
    place = resolve_near(request.GET.get("near", "60614"))
    miles = float(request.GET.get("radius", 25))
    delta_lat = math.degrees(miles / EARTH_RADIUS_MILES)
    delta_lng = delta_lat / math.cos(math.radians(float(place.latitude)))
    params = {
        "q": request.GET.get("q", ""),
        "kind": request.GET.get("kind", "clinician"),
        "lat": float(place.latitude),
        "lng": float(place.longitude),
        "south": float(place.latitude) - delta_lat,
        "north": float(place.latitude) + delta_lat,
        "west": float(place.longitude) - delta_lng,
        "east": float(place.longitude) + delta_lng,
        "miles": miles,
    }
    where = WHERE.format(distance=DISTANCE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM resources_listing WHERE {where}", params)
        [total] = cursor.fetchone()
        cursor.execute(
            f"SELECT name, slug, city, phone, {DISTANCE} AS miles FROM resources_listing "
            f"WHERE {where} ORDER BY miles LIMIT {PAGE_SIZE}",
            params,
        )
        rows = cursor.fetchall()
    page = TEMPLATE.render(Context({"total": total, "place": place.label, "rows": rows}))
    return HttpResponse(page)
