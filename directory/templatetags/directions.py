"""Directions links a phone hands to its own maps app; shared by listing cards and meetings.

``{{ place|directions_url }}`` is an Apple Maps address (``https://maps.apple.com/?daddr=…``):
iPhones, iPads and Macs open it in their Maps app; other browsers get Apple's maps web page
with the route from where the visitor is. ``{{ place|geo_uri }}`` is the same destination as
a ``geo:`` URI, which Android hands to whichever maps app the visitor chose; the link carries
it as ``data-geo`` and ``static/js/directions.js`` swaps it in on Android only, since desktop
browsers do nothing with ``geo:``. Without JavaScript the https link works everywhere.

Nothing is sent anywhere until the visitor follows the link, and then only the destination:
the public address (or, when only the town is public, the town), never where the visitor is.
"""

from urllib.parse import quote, urlencode

from django import template

register = template.Library()

DIRECTIONS_URL = "https://maps.apple.com/"


def destination(place):
    """What to route to: the public street address, else the coordinates, else the town.

    A place whose exact address is not public (approximate precision) gives its town only,
    never its coordinates.
    """
    if place is None:
        return ""
    if not place.address_is_public:
        return place.town
    # The last line is the town and ZIP; a second line ("Room 2") only confuses a maps app.
    town = place.public_address_lines[-1] if place.public_address_lines else ""
    if place.address_line1:
        return ", ".join(part for part in (place.address_line1, town) if part)
    if place.has_coordinates:
        return f"{place.latitude},{place.longitude}"
    return town


@register.filter
def directions_url(place):
    """An https link to directions to ``place`` (a Place, or a listing with an address)."""
    where = destination(place)
    if not where:
        return ""
    return f"{DIRECTIONS_URL}?{urlencode({'daddr': where})}"


@register.filter
def geo_uri(place):
    """``geo:0,0?q=…`` (RFC 5870 with Android's query) for the same destination, or ""."""
    where = destination(place)
    return f"geo:0,0?q={quote(where)}" if where else ""
