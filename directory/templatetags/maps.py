"""The results map: the SVG drawn on the server and the data the browser's map reads.

Like the other tags here it only rearranges what the view loaded and never queries the
database (a meeting's place and group come with it, ``Meeting.objects.with_details()``).
"""

import json
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.maps import Drawing, how_many_here, pins_for

register = template.Library()


DEFAULT_LABEL = gettext_lazy("Map of the results on this page")


@register.simple_tag(takes_context=True)
def results_map(context):
    """What templates/includes/results_map.html draws: the context's ``map_listings`` (a
    list of listings or meetings in the order the page lists them, or one listing or
    meeting on its own), else the page's results, under ``map_label``.

    Returns ``{"label": …, "pins": …, "svg": …, "data": …}``; no pins (nothing with a
    public place) means no map at all.
    """
    items = context.get("map_listings")
    if items is None and context.get("page") is not None:
        items = context["page"].object_list
    label = context.get("map_label") or DEFAULT_LABEL
    # One listing or meeting on its own page: no list to point at, so no numbers.
    single = hasattr(items, "get_absolute_url")
    if single:
        items = [items]
    pins = pins_for(items or [])
    if not pins:
        return {"label": label, "pins": []}
    if single:
        described = _("one pin over the state lines")
    else:
        described = ngettext(
            "%(count)d pin over the state lines, numbered as in the list",
            "%(count)d pins over the state lines, numbered as in the list",
            len(pins),
        ) % {"count": len(pins)}
    drawing = Drawing(pins, label=f"{label}: {described}", numbered=not single)
    data = {
        "pins": [
            {
                "number": p.number,
                "name": p.name,
                "url": p.url,
                "lat": p.latitude,
                "lng": p.longitude,
            }
            for p in pins
        ],
        "files": {
            "leafletJs": static("vendor/leaflet/leaflet.js"),
            "leafletCss": static("vendor/leaflet/leaflet.css"),
            "topojson": static("vendor/topojson-client/topojson-client.min.js"),
            "states": static("vendor/us-atlas/states-10m.json"),
        },
        # County lines when zoomed in, one file per state around the results.
        "counties": {
            state: static(f"vendor/us-atlas/counties/{state}.json") for state in drawing.state_ids
        },
        # What a marker of several pins says, by how many ("3 here"): static/js/map.js
        # groups the pins that would overlap at the zoom shown, and the words are the site's.
        "here": [how_many_here(count) for count in range(len(pins) + 1)],
        # The words Leaflet would otherwise show in English: its zoom buttons' names and the
        # credit for the outlines.
        "words": {
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "credit": _("State and county lines: US Census Bureau, via us-atlas."),
        },
        "tiles": (
            {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}
            if settings.MAP_TILES_URL
            else None
        ),
    }
    return {
        "label": label,
        "pins": pins,
        "single": single,
        "svg": drawing.svg(),
        # The host "Show street map" names: its images come from there.
        "tiles_host": urlsplit(settings.MAP_TILES_URL).netloc if settings.MAP_TILES_URL else "",
        # For static/js/map.js, in a data- attribute rather than a JSON <script>: htmx drops
        # script elements from what it swaps in (allowScriptTags is off), and the map must
        # follow a search sent by htmx.
        "json": json.dumps(data, separators=(",", ":")),
    }
