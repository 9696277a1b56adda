"""The results map drawn on the server (directory/maps.py): what shows without JavaScript.

It projects the pins and the US state outlines into one SVG, numbers the pins as the list
numbers the results, leaves out results with no public place, and stays small.
"""

import gzip
import json
import re
from html import unescape

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import RequestFactory

from directory.maps import Drawing, Pin, us_states
from recovery_site.headers import map_tiles_origin
from tests.factories import (
    DENVER,
    make_clinician,
    make_helpline,
    make_meeting,
    make_place,
    make_sober_living_home,
    make_treatment_program,
)

CHICAGO_LOOP = Pin(1, "Loop", "/loop/", 41.8781, -87.6298)
NAPERVILLE = {
    "address_line1": "400 S Eagle St",
    "city": "Naperville",
    "region": "IL",
    "postal_code": "60540",
    "latitude": "41.771700",
    "longitude": "-88.148100",
}
DENVER_PIN = Pin(2, "Denver", "/denver/", 39.7480, -104.9990)


def projected_bbox(rings):
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def render_map(items, **context):
    request = RequestFactory().get("/search/")
    request.htmx = False
    return render_to_string(
        "includes/results_map.html", {"map_listings": items, **context}, request=request
    )


def svg_pins(html):
    """(number, name) of each pin of the SVG, in the order of the numbers."""
    pins = re.findall(r"<title>(\d+)\. ([^<]*)</title>", html)
    return sorted(((int(number), unescape(name)) for number, name in pins))


def map_data(html):
    found = re.search(r'data-map="([^"]*)"', html)
    return json.loads(unescape(found.group(1)))


def test_the_census_outlines_are_read_once_with_every_state():
    states = {state.name for state in us_states()}
    assert {"Illinois", "Colorado", "Alaska", "Hawaii", "District of Columbia"} <= states
    assert us_states() is us_states()


def test_a_point_in_chicago_lands_inside_the_illinois_outline():
    drawing = Drawing([CHICAGO_LOOP], label="Map")
    [spot] = drawing.pins
    west, north, east, south = projected_bbox(drawing.states["Illinois"])
    assert west <= spot.x <= east and north <= spot.y <= south
    # Lake Michigan is east of Chicago: the pin is near Illinois's eastern edge in the view.
    assert east - spot.x < (east - west) / 4
    # The neighbours are drawn, far states are not.
    assert {"Indiana", "Wisconsin"} <= set(drawing.states)
    assert "Colorado" not in drawing.states


def test_pins_far_apart_are_each_inside_their_state():
    drawing = Drawing([CHICAGO_LOOP, DENVER_PIN], label="Map")
    for spot, state in zip(drawing.pins, ("Illinois", "Colorado"), strict=True):
        west, north, east, south = projected_bbox(drawing.states[state])
        assert west <= spot.x <= east and north <= spot.y <= south
    # Chicago is east of Denver, and north of it.
    chicago, denver = drawing.pins
    assert chicago.x > denver.x and chicago.y < denver.y


def test_outlines_are_clipped_to_the_view():
    drawing = Drawing([CHICAGO_LOOP], label="Map")
    for rings in drawing.states.values():
        west, north, east, south = projected_bbox(rings)
        assert west >= -10 and north >= -10 and east <= 490 and south <= 370


def test_the_svg_says_what_it_shows_and_stays_small():
    city = Drawing([CHICAGO_LOOP], label="Map of the results on this page").svg()
    assert 'role="img"' in city
    assert 'aria-label="Map of the results on this page"' in city
    assert len(city.encode()) < 6_000
    # Pins from coast to coast draw nearly every state, thinned to what shows.
    coasts = [
        Pin(1, "San Francisco", "/a/", 37.79, -122.43),
        Pin(2, "New York", "/b/", 40.71, -74.0),
        Pin(3, "Miami", "/c/", 25.76, -80.19),
        Pin(4, "Seattle", "/d/", 47.61, -122.33),
    ]
    national = Drawing(coasts, label="Map").svg()
    print(
        f"SVG map: a city {len(city.encode())} bytes; the whole country {len(national)} bytes, "
        f"{len(gzip.compress(national.encode()))} compressed"
    )
    assert len(national.encode()) < 40_000
    assert len(gzip.compress(national.encode())) < 12_000


def test_names_are_escaped():
    svg = Drawing([Pin(1, 'Help <b>"here"</b> & now', "/x/", 41.9, -87.6)], label="A <map>").svg()
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert 'aria-label="A &lt;map&gt;"' in svg


@pytest.mark.django_db
def test_pins_are_numbered_as_the_list_and_results_without_a_place_have_none():
    first = make_clinician(name="First Clinic")
    no_coordinates = make_treatment_program(
        name="Program Without Coordinates", latitude=None, longitude=None
    )
    helpline = make_helpline(name="Phone Only Line")
    sober_home = make_sober_living_home(name="Quiet House")  # approximate: only its town is public
    # Far enough from the first that their pins do not overlap (one marker, "2 here").
    fifth = make_treatment_program(name="Fifth Program", **DENVER)

    html = render_map([first, no_coordinates, helpline, sober_home, fifth])

    # Numbers are the places in the list: 2, 3 and 4 have no pin, the fifth is still 5.
    assert svg_pins(html) == [(1, "First Clinic"), (5, "Fifth Program")]
    data = map_data(html)
    assert [(pin["number"], pin["name"], pin["url"]) for pin in data["pins"]] == [
        (1, "First Clinic", first.get_absolute_url()),
        (5, "Fifth Program", fifth.get_absolute_url()),
    ]
    assert 'aria-label="Map of the results on this page: 2 pins over the state lines' in html
    assert '<a class="skip-map" href="#after-map">Skip map</a>' in html
    assert 'id="after-map"' in html
    # The sober home's stored coordinates never reach the page.
    assert str(sober_home.latitude) not in html


@pytest.mark.django_db
def test_no_pin_at_all_means_no_map():
    html = render_map([make_helpline(), make_clinician(latitude=None, longitude=None)])
    assert "<svg" not in html and "data-map" not in html
    # The empty place stays, so a later search sent by htmx can fill it.
    assert 'id="results-map"' in html


@pytest.mark.django_db
def test_one_listing_or_meeting_gets_one_pin_without_a_number():
    listing = make_clinician(name="Solo Clinic", **DENVER)
    html = render_map(listing, map_label="Map of where it is")
    assert "<title>Solo Clinic</title>" in html and "<text" not in html
    # County lines around it; the page runs no script, so the SVG is the map.
    assert 'class="map-counties"' in html
    assert "data-map" not in html and "map.js" not in html
    assert 'aria-label="Map of where it is: one pin over the state lines"' in html

    meeting = make_meeting(name="Tuesday Night Group", place=make_place(**DENVER))
    assert "<title>Tuesday Night Group</title>" in render_map(meeting)
    online = make_meeting(attendance="online", conference_url="https://meet.example.org/1")
    assert "<svg" not in render_map(online)


@pytest.mark.django_db
def test_the_search_page_near_a_place_shows_the_map_numbered_as_its_list(client):
    near = make_clinician(name="Near Clinic")
    # About 29 miles west: on a map of the region its pin stands apart from the first.
    farther = make_treatment_program(name="Farther Program", **NAPERVILLE)
    html = client.get(
        "/search/", {"near": "60614", "sort": "distance", "radius": "50"}
    ).content.decode()
    names = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)
    assert names == [near.name, farther.name]
    assert svg_pins(html) == [(1, near.name), (2, farther.name)]


@pytest.mark.django_db
def test_the_map_loads_nothing_from_another_host(client):
    make_clinician()
    html = client.get("/search/", {"near": "60614"}).content.decode()
    data = map_data(html)
    assert data["tiles"] is None
    assert "Show street map" not in html
    assert all(url.startswith("/static/") for url in data["files"].values())


@pytest.mark.django_db
def test_street_tiles_are_offered_only_when_the_operator_sets_a_server(client, settings):
    make_clinician()
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Example tiles"
    html = client.get("/search/", {"near": "60614"}).content.decode()
    assert "Show street map — loads images from tiles.example.org" in html
    assert map_data(html)["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Example tiles",
    }


def test_the_tile_server_must_be_one_host_with_the_tile_numbers():
    assert map_tiles_origin("") == ""
    assert (
        map_tiles_origin("https://tiles.example.org/a/{z}/{x}/{y}.png")
        == "https://tiles.example.org"
    )
    for wrong in (
        "tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/tiles.png",
        "javascript:alert(1)//{z}{x}{y}",
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    ):
        with pytest.raises(ImproperlyConfigured):
            map_tiles_origin(wrong)


def test_without_a_tile_server_images_come_only_from_this_site(settings):
    assert settings.MAP_TILES_URL == ""
    assert settings.SECURE_CSP["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_listing_and_meeting_pages_show_their_one_pin(client):
    listing = make_clinician(name="Page Clinic")
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "<title>Page Clinic</title>" in html
    meeting = make_meeting(name="Page Meeting", place=make_place())
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<title>Page Meeting</title>" in html


def test_pins_that_would_overlap_are_one_marker_saying_how_many():
    same_door = [
        Pin(1, "Clark Street Counseling", "/a/", 41.9248, -87.6414),
        Pin(2, "Clark Street Recovery", "/b/", 41.9248, -87.6414),
        Pin(4, "Next Door <Clinic>", "/c/", 41.9249, -87.6415),
    ]
    svg = Drawing([*same_door, Pin(3, "Milwaukee", "/d/", 43.0389, -87.9065)], label="Map").svg()
    # One marker at the door, its title naming the three in the list's order; Milwaukee, 80
    # miles north, keeps its own numbered pin.
    assert svg.count('class="map-pin map-pin-group"') == 1
    assert (
        "<title>3 here: 1. Clark Street Counseling, 2. Clark Street Recovery, "
        "4. Next Door &lt;Clinic&gt;</title>"
    ) in svg
    assert ">3 here</text>" in svg
    assert svg_pins(svg) == [(3, "Milwaukee")]


@pytest.mark.django_db
def test_the_browsers_map_is_given_the_words_of_a_marker_of_several_pins():
    html = render_map([make_clinician(), make_clinician(), make_clinician(**DENVER)])
    assert map_data(html)["here"][2:] == ["2 here", "3 here"]
