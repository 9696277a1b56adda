"""The map of a page's results, drawn on the server as SVG: what shows without JavaScript.

The US state outlines come from the same file the browser's map reads
(``static/vendor/us-atlas/states-10m.json``, US Census Bureau boundaries via us-atlas),
decoded once per process. A drawing covers the pins' bounding box with some room around
it, projected equirectangularly with the longitude scaled by the cosine of the middle
latitude (true shapes near the middle of the view, which is all a town or a region
needs); outlines are clipped to the view and thinned to what shows at this size, so a
city's map weighs a few kilobytes.

A pin carries the number of its result in the list; pins that would overlap (listings at
one address, meetings at one hall) are drawn as one marker saying how many are there ("3
here"), its title naming them. A result without coordinates gets
no pin, nor does one not offered in person (a helpline's office is not somewhere to go),
nor one whose street is not public (approximate precision): its stored coordinates could
give the street away.
"""

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

STATES_FILE = "vendor/us-atlas/states-10m.json"
COUNTIES_FILE = "vendor/us-atlas/counties/{state}.json"

# The drawing's size in SVG units (it scales to the width CSS gives it): 4:3 beside or
# under a list, 16:9 for one listing or meeting in its "Where" section.
WIDTH = 480
HEIGHT = 360
SINGLE_HEIGHT = 270
# Room around the pins, as a share of their spread, and the smallest view in degrees of
# latitude: one pin, or pins in one town, still show the state lines around them.
PADDING = 0.2
MIN_LATITUDE_SPAN = 3.0
# One listing or meeting on its own page: closer, with county lines.
SINGLE_MIN_LATITUDE_SPAN = 1.5
# Outline points closer than this (in SVG units) to the last one drawn are left out.
THINNING = 1.5
# Outlines are clipped this far outside the view, so the clipping edge never shows.
CLIP_MARGIN = 8
PIN_RADIUS = 10
# Pins closer than this (in SVG units) would cover each other's number: one marker.
OVERLAP = 2 * PIN_RADIUS
# The marker of several pins: a pill wide enough for "12 here".
GROUP_WIDTH = 52
GROUP_HEIGHT = 2 * PIN_RADIUS


@dataclass(frozen=True)
class State:
    # The state's two-digit FIPS code, as us-atlas names it ("17" is Illinois).
    id: str
    name: str
    # (west, south, east, north) in degrees.
    bbox: tuple
    # Closed rings of (longitude, latitude): outer edges and holes alike.
    rings: tuple


@dataclass(frozen=True)
class Pin:
    number: int
    name: str
    url: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ProjectedPin:
    pin: Pin
    x: float
    y: float


@dataclass(frozen=True)
class Spot:
    """Where one marker is drawn: one pin, or the pins that would overlap there."""

    pins: tuple  # of Pin, in the list's order
    x: float
    y: float


def overlapping_together(projected, distance=OVERLAP):
    """Spots of ProjectedPins in the list's order: each pin joins the first spot closer
    than ``distance`` to it, else starts its own."""
    spots = []  # [x, y, pins]
    for spot in projected:
        for x, y, pins in spots:
            if math.hypot(spot.x - x, spot.y - y) < distance:
                pins.append(spot.pin)
                break
        else:
            spots.append([spot.x, spot.y, [spot.pin]])
    return [Spot(tuple(pins), x, y) for x, y, pins in spots]


def how_many_here(count):
    """What the marker of several pins says: "3 here"."""
    return ngettext("%(count)d here", "%(count)d here", count) % {"count": count}


@cache
def us_states():
    """Every state (and territory) of the Census file, decoded from TopoJSON once."""
    path = finders.find(STATES_FILE)
    with open(path, encoding="utf-8") as file:
        topology = json.load(file)
    arcs = _decode_arcs(topology)
    states = []
    for geometry in topology["objects"]["states"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = tuple(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        longitudes = [lon for ring in rings for lon, _lat in ring]
        latitudes = [lat for ring in rings for _lon, lat in ring]
        bbox = (min(longitudes), min(latitudes), max(longitudes), max(latitudes))
        states.append(State(geometry["id"], geometry["properties"]["name"], bbox, rings))
    return tuple(states)


@cache
def county_lines(state_id):
    """The lines between a state's counties, as runs of (longitude, latitude), decoded once
    per state; its outer edge is the state's outline."""
    path = finders.find(COUNTIES_FILE.format(state=state_id))
    if path is None:  # territories without counties in the file
        return ()
    with open(path, encoding="utf-8") as file:
        topology = json.load(file)
    arcs = _decode_arcs(topology)
    uses = Counter()
    for geometry in topology["objects"]["counties"]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "Polygon" else sum(geometry["arcs"], [])
        uses.update(index if index >= 0 else ~index for ring in rings for index in ring)
    # An arc two counties share is a line between them.
    return tuple(tuple(arcs[index]) for index, count in sorted(uses.items()) if count > 1)


def _decode_arcs(topology):
    """TopoJSON arcs are quantized and delta-encoded: back to longitudes and latitudes."""
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def _ring(arcs, indexes):
    """A ring from its arcs; a negative index ~i is arc i read backwards."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Each arc starts where the last one ended.
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def pin_for(item, number):
    """The pin of a listing or meeting, or None when it has no public place to point at."""
    # A meeting is where its place (or its group) is; an online meeting is nowhere.
    place = item.location if hasattr(item, "location") else item
    if place is None or place.latitude is None or place.longitude is None:
        return None
    # A helpline's or an online service's office is not somewhere to go.
    if not getattr(item, "offers_in_person", True):
        return None
    if not place.address_is_public:
        return None
    return Pin(
        number=number,
        name=item.name,
        url=item.get_absolute_url(),
        latitude=float(place.latitude),
        longitude=float(place.longitude),
    )


def pins_for(items):
    """Pins for results in the order of the list, numbered as the list numbers them."""
    pins = (pin_for(item, number) for number, item in enumerate(items, start=1))
    return [pin for pin in pins if pin is not None]


class View:
    """The part of the world a drawing shows, and how it maps to SVG units."""

    def __init__(self, pins, width, height, min_latitude_span=MIN_LATITUDE_SPAN):
        self.width, self.height = width, height
        latitudes = [pin.latitude for pin in pins]
        longitudes = [pin.longitude for pin in pins]
        middle_latitude = (min(latitudes) + max(latitudes)) / 2
        middle_longitude = (min(longitudes) + max(longitudes)) / 2
        self.cos_latitude = max(math.cos(math.radians(middle_latitude)), 0.2)
        # Spans in degrees of latitude, longitudes already shrunk by cos(latitude).
        tall = (max(latitudes) - min(latitudes)) * (1 + 2 * PADDING)
        wide = (max(longitudes) - min(longitudes)) * self.cos_latitude * (1 + 2 * PADDING)
        tall = max(tall, min_latitude_span, wide * height / width)
        wide = tall * width / height
        self.scale = height / tall  # SVG units per degree of latitude
        self.north = middle_latitude + tall / 2
        self.south = middle_latitude - tall / 2
        half_longitudes = wide / self.cos_latitude / 2
        self.west = middle_longitude - half_longitudes
        self.east = middle_longitude + half_longitudes

    def project(self, longitude, latitude):
        x = (longitude - self.west) * self.cos_latitude * self.scale
        y = (self.north - latitude) * self.scale
        return x, y

    def overlaps(self, bbox):
        west, south, east, north = bbox
        return (
            west <= self.east and east >= self.west and south <= self.north and north >= self.south
        )


class Drawing:
    """The SVG of some pins over the state outlines around them."""

    def __init__(self, pins, label, numbered=True):
        self.label = label
        # A result on its own page has no list to match: its pin has no number.
        self.numbered = numbered
        if numbered:
            self.view = View(pins, WIDTH, HEIGHT)
        else:
            self.view = View(pins, WIDTH, SINGLE_HEIGHT, SINGLE_MIN_LATITUDE_SPAN)
        self.pins = [
            ProjectedPin(pin, *self.view.project(pin.longitude, pin.latitude)) for pin in pins
        ]
        self.spots = overlapping_together(self.pins)
        # Name → outline rings in SVG units, clipped and thinned; only states in view.
        self.states = {}
        self.state_ids = []
        for state in us_states():
            if not self.view.overlaps(state.bbox):
                continue
            self.state_ids.append(state.id)
            rings = [self._drawn_ring(ring) for ring in state.rings]
            rings = [ring for ring in rings if len(ring) >= 3]
            if rings:
                self.states[state.name] = rings
        # County lines only where one place is shown: around a list they would be clutter.
        self.counties = []
        if not numbered:
            for state_id in self.state_ids:
                for line in county_lines(state_id):
                    self.counties += self._drawn_line(line)

    def _drawn_ring(self, ring):
        projected = [self.view.project(lon, lat) for lon, lat in ring]
        return _thin(
            _clip(
                projected,
                -CLIP_MARGIN,
                -CLIP_MARGIN,
                self.view.width + CLIP_MARGIN,
                self.view.height + CLIP_MARGIN,
            )
        )

    def _drawn_line(self, line):
        projected = [self.view.project(lon, lat) for lon, lat in line]
        runs = _runs_in_view(
            projected,
            -CLIP_MARGIN,
            -CLIP_MARGIN,
            self.view.width + CLIP_MARGIN,
            self.view.height + CLIP_MARGIN,
        )
        return [thinned for thinned in map(_thin, runs) if len(thinned) >= 2]

    def svg(self):
        outlines = "".join(f'<path d="{_path(rings)}"/>' for rings in self.states.values())
        if self.counties:
            lines = "".join(
                "M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in run) for run in self.counties
            )
            outlines += f'<path class="map-counties" d="{lines}"/>'
        # The lowest numbers drawn last, so they lie on top where markers touch.
        pins = "".join(self._pin(spot) for spot in reversed(self.spots))
        width, height = self.view.width, self.view.height
        return mark_safe(  # noqa: S308 (every text in it is escaped above)
            f'<svg class="map-svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(self.label)}" xmlns="http://www.w3.org/2000/svg">'
            f'<rect class="map-water" width="{width}" height="{height}"/>'
            f'<g class="map-states">{outlines}</g>{pins}</svg>'
        )

    def _pin(self, spot):
        if len(spot.pins) > 1:
            return self._group(spot)
        x, y = f"{spot.x:.0f}", f"{spot.y:.0f}"
        pin = spot.pins[0]
        name = escape(pin.name)
        if not self.numbered:
            return f'<g class="map-pin"><title>{name}</title><circle cx="{x}" cy="{y}" r="6"/></g>'
        return (
            f'<g class="map-pin"><title>{pin.number}. {name}</title>'
            f'<circle cx="{x}" cy="{y}" r="{PIN_RADIUS}"/>'
            f'<text x="{x}" y="{y}" dy="0.35em">{pin.number}</text></g>'
        )

    def _group(self, spot):
        """One marker for pins that would overlap: "3 here", its title naming them."""
        here = how_many_here(len(spot.pins))
        names = _(", ").join(f"{pin.number}. {pin.name}" for pin in spot.pins)
        left, top = spot.x - GROUP_WIDTH / 2, spot.y - GROUP_HEIGHT / 2
        return (
            f'<g class="map-pin map-pin-group"><title>{escape(here)}: {escape(names)}</title>'
            f'<rect x="{left:.0f}" y="{top:.0f}" width="{GROUP_WIDTH}" height="{GROUP_HEIGHT}" '
            f'rx="{GROUP_HEIGHT / 2:.0f}"/>'
            f'<text x="{spot.x:.0f}" y="{spot.y:.0f}" dy="0.35em">{escape(here)}</text></g>'
        )


def _path(rings):
    return "".join("M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in ring) + "Z" for ring in rings)


def _thin(points):
    """Leaves out points that would not show: closer than THINNING to the last kept."""
    if not points:
        return points
    kept = [points[0]]
    for x, y in points[1:]:
        last_x, last_y = kept[-1]
        if abs(x - last_x) + abs(y - last_y) >= THINNING:
            kept.append((x, y))
    return kept


def _runs_in_view(points, left, top, right, bottom):
    """The parts of a line inside a rectangle, each with the point beyond either end so it
    reaches the edge (the SVG's own edge hides the rest)."""

    def inside(point):
        return left <= point[0] <= right and top <= point[1] <= bottom

    runs, run = [], []
    for index, point in enumerate(points):
        near = (
            inside(point)
            or (index > 0 and inside(points[index - 1]))
            or (index + 1 < len(points) and inside(points[index + 1]))
        )
        if near:
            run.append(point)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _clip(points, left, top, right, bottom):
    """The part of a closed ring inside a rectangle (Sutherland–Hodgman, edge by edge)."""
    edges = (
        (lambda p: p[0] >= left, lambda a, b: _cross_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _cross_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _cross_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _cross_y(a, b, bottom)),
    )
    for inside, crossing in edges:
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(crossing(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(crossing(previous, point))
            previous = point
        points = clipped
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y
