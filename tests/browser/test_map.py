"""The results map in a real browser: numbered pins that match the list, no request to any
other host unless the operator set a tile server and the visitor asked for street tiles,
an SVG drawn by the server when JavaScript is off, and no accessibility problem.
"""

import gzip
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from recovery_site.headers import map_tiles_origin
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import PHONE, PageRecord, assert_no_axe_violations
from tests.factories import (
    EDGEWATER,
    make_clinician,
    make_helpline,
    make_meeting,
    make_place,
    make_treatment_program,
)

pytestmark = pytest.mark.browser

SEARCH = "/search/?near=60614&sort=distance"


def one_pixel_png():
    """A PNG of one transparent pixel: all a test tile needs to be."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def three_places_and_a_helpline():
    """Three places near Lincoln Park, nearest first, and a helpline (listed, no pin)."""
    return [
        make_clinician(name="Clark Street Counseling"),
        make_treatment_program(
            name="Lakeview Recovery Center",
            address_line1="3200 N Broadway",
            latitude="41.940000",
            longitude="-87.645000",
        ),
        make_treatment_program(name="Edgewater Outpatient", **EDGEWATER),
        # Farthest, and phone only: listed fourth, with no pin.
        make_helpline(name="Illinois Helpline", latitude="42.010000", longitude="-87.670000"),
    ]


@pytest.fixture(autouse=True)
def warm_server(client):
    """The first page a process serves compiles its templates and imports its views, which
    on a busy machine can outlast the browser's fail-fast timeout: serve one first."""
    client.get(SEARCH)


def wait_for_the_map(page, pins):
    # Leaflet is loaded once the map is near the screen: on a phone it is below the list.
    page.locator("#results-map").scroll_into_view_if_needed()
    page.locator(".map-leaflet .map-marker").nth(pins - 1).wait_for()
    page.locator(".map-leaflet path.map-state").nth(0).wait_for(state="attached")


def pins(page):
    return page.locator(".map-leaflet .map-marker")


def rows(page):
    return page.locator("ol.result-list > li")


def test_pins_and_rows_share_numbers_and_mark_each_other(page):
    places = three_places_and_a_helpline()[:3]
    page.goto(SEARCH)
    wait_for_the_map(page, 3)

    assert pins(page).count() == 3
    assert rows(page).nth(3).locator("h3").inner_text() == "Illinois Helpline"
    for number, listing in enumerate(places, start=1):
        pin = page.locator(f'.map-marker[data-number="{number}"]')
        assert pin.inner_text() == str(number)
        assert pin.get_attribute("aria-label") == f"{number}. {listing.name}"
        assert pin.get_attribute("tabindex") == "0"
        assert rows(page).nth(number - 1).locator("h3").inner_text().endswith(listing.name)
        # The row shows the same number as its pin.
        # The row shows its place in the list, which is its pin's number.
        shown = page.evaluate(
            "(h3) => getComputedStyle(h3, '::before').content",
            rows(page).nth(number - 1).locator("h3").element_handle(),
        )
        assert "counter(result)" in shown

    # Hovering a pin marks its row; hovering a row marks its pin.
    page.locator('.map-marker[data-number="2"]').hover()
    assert "map-linked" in rows(page).nth(1).get_attribute("class")
    assert "map-linked" not in rows(page).nth(0).get_attribute("class")
    rows(page).nth(2).locator("h3").hover()
    assert "is-linked" in page.locator('.map-marker[data-number="3"]').get_attribute("class")
    assert "is-linked" not in page.locator('.map-marker[data-number="2"]').get_attribute("class")

    # Focusing a row's link marks its pin; focusing a pin marks its row.
    rows(page).nth(0).get_by_role("link", name=places[0].name, exact=True).focus()
    assert "is-linked" in page.locator('.map-marker[data-number="1"]').get_attribute("class")
    page.locator('.map-marker[data-number="3"]').focus()
    assert "map-linked" in rows(page).nth(2).get_attribute("class")
    # The mouse passing over row 3 and leaving it (or the page scrolling under a still mouse)
    # leaves the focused pin and its row marked.
    rows(page).nth(2).locator("h3").hover()
    page.mouse.move(1, 1)
    assert page.evaluate("() => document.activeElement.dataset.number") == "3"
    assert "map-linked" in rows(page).nth(2).get_attribute("class")
    assert "is-linked" in page.locator('.map-marker[data-number="3"]').get_attribute("class")

    # Pressing a pin (Enter, as a keyboard user would) takes you to its result.
    page.keyboard.press("Enter")
    link = rows(page).nth(2).get_by_role("link", name=places[2].name, exact=True)
    assert page.evaluate("(a) => document.activeElement === a", link.element_handle())
    box = rows(page).nth(2).bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]


def test_without_a_tile_server_nothing_leaves_the_site_and_no_street_map_is_offered(page):
    """The page fixture fails the test on any request to another host; here we also make
    sure the map really drew, zoomed in far enough to load county lines."""
    three_places_and_a_helpline()
    page.goto(SEARCH)
    wait_for_the_map(page, 3)
    assert page.get_by_role("button", name="Show street map").count() == 0
    # The county lines are fetched once the states are drawn and the map has zoomed: wait
    # for them (they came a moment after the states in one CI run) rather than count at once.
    page.locator(".map-leaflet path.map-county").first.wait_for(state="attached")
    assert page.locator(".map-leaflet path.map-county").count() > 0
    credit = page.locator(".leaflet-control-attribution")
    assert credit.is_visible()
    assert "State and county lines: US Census Bureau, via us-atlas" in credit.inner_text()


def test_the_street_map_is_offered_only_when_set_and_loads_tiles_only_after_the_click(
    browser, live_server, settings
):
    three_places_and_a_helpline()
    tiles = TileServer()
    try:
        tile_url = f"{tiles.origin}/{{z}}/{{x}}/{{y}}.png"
        settings.MAP_TILES_URL = tile_url
        settings.MAP_TILES_ATTRIBUTION = "Invented tiles for tests"
        settings.MAP_TILES_ORIGIN = map_tiles_origin(tile_url)
        settings.SECURE_CSP = {
            **settings.SECURE_CSP,
            "img-src": [*settings.SECURE_CSP["img-src"], settings.MAP_TILES_ORIGIN],
        }
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        record = PageRecord(page)
        page.goto(SEARCH)
        wait_for_the_map(page, 3)

        button = page.get_by_role(
            "button", name=f"Show street map — loads images from {urlsplit(tiles.origin).netloc}"
        )
        assert button.is_visible()
        assert button.get_attribute("aria-pressed") == "false"
        assert tiles.requests == []

        button.click()
        page.locator(".leaflet-tile-loaded").first.wait_for()
        assert button.get_attribute("aria-pressed") == "true"
        assert tiles.requests and all(path.endswith(".png") for path in tiles.requests)
        assert page.get_by_text("Invented tiles for tests").is_visible()

        site = urlsplit(live_server.url).netloc
        elsewhere = [
            url
            for url in record.requests
            if urlsplit(url).netloc not in (site, urlsplit(tiles.origin).netloc)
            and urlsplit(url).scheme not in ("data", "blob", "about")
        ]
        assert elsewhere == []
        assert record.errors == []
        assert context.cookies() == []
        context.close()
    finally:
        tiles.stop()


def test_a_search_sent_by_htmx_brings_its_own_pins(page):
    places = three_places_and_a_helpline()
    farther = make_clinician(
        name="Evanston Counseling", latitude="42.045000", longitude="-87.680000"
    )
    page.goto(SEARCH)
    wait_for_the_map(page, 4)
    assert pins(page).count() == 4

    # Within 5 miles: the fourth place (8 miles away) leaves the list and the map.
    with page.expect_response(lambda answer: "radius=5" in answer.url):
        page.select_option("#id_radius", "5")
    page.locator("ol.result-list > li", has_text=farther.name).wait_for(state="detached")
    expect(pins(page)).to_have_count(3)
    assert [pins(page).nth(i).get_attribute("aria-label") for i in range(3)] == [
        f"{number}. {listing.name}" for number, listing in enumerate(places[:3], start=1)
    ]
    assert page.locator(".map-leaflet").count() == 1


def test_with_javascript_off_the_server_drawn_map_shows_the_same_pins(page_without_js):
    page = page_without_js
    places = three_places_and_a_helpline()[:3]
    page.goto(SEARCH)
    svg = page.get_by_role(
        "img",
        name="Map of the results on this page: 3 pins over the state lines, numbered as in",
    )
    assert svg.is_visible()
    # Drawn around the state lines, three places 4 miles apart would overlap: one marker.
    assert svg.locator("g.map-pin text").all_text_contents() == ["3 here"]
    names = ", ".join(f"{number}. {listing.name}" for number, listing in enumerate(places, 1))
    assert svg.locator("g.map-pin title").all_text_contents() == [f"3 here: {names}"]
    assert page.locator(".leaflet-container").count() == 0


def test_the_map_can_be_skipped(page):
    three_places_and_a_helpline()
    page.goto(SEARCH)
    wait_for_the_map(page, 3)
    page.locator(".skip-map").focus()
    assert page.get_by_role("link", name="Skip map").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "after-map"


@pytest.mark.parametrize("size", [PHONE, {}], ids=["phone", "laptop"])
def test_the_search_page_with_its_map_is_accessible(open_page, size):
    three_places_and_a_helpline()
    page = open_page(**size)
    page.goto(SEARCH)
    wait_for_the_map(page, 3)
    assert page.get_by_role("region", name="Map of the results on this page").is_visible()
    assert_no_axe_violations(page)


def test_a_listing_page_shows_its_one_pin_accessibly(page):
    listing = three_places_and_a_helpline()[1]
    page.goto(listing.get_absolute_url())
    # The server's map, with county lines; the page runs no map script.
    svg = page.get_by_role("img", name="Map of where it is: one pin over the state lines")
    assert svg.is_visible()
    assert svg.locator("g.map-pin title").all_text_contents() == [listing.name]
    assert svg.locator("path.map-counties").count() == 1
    assert page.locator(".leaflet-container").count() == 0
    assert_no_axe_violations(page)


def test_a_meeting_page_shows_where_it_meets_accessibly(phone_page):
    meeting = make_meeting(name="Lakeview Thursday Night", place=make_place(**EDGEWATER))
    phone_page.goto(meeting.get_absolute_url())
    assert phone_page.get_by_role("region", name="Map of where it is").is_visible()
    svg = phone_page.get_by_role("img", name="Map of where it is: one pin over the state lines")
    assert svg.locator("g.map-pin title").all_text_contents() == [meeting.name]
    assert_no_axe_violations(phone_page)


def test_the_search_page_with_its_map_stays_within_its_budget(page):
    """All a search near a place transfers, compressed as the production server sends it
    (WhiteNoise's gzip of static files): at most 150 KB with the map."""
    three_places_and_a_helpline()
    sizes = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, response))
    page.goto(SEARCH)
    wait_for_the_map(page, 3)
    page.wait_for_load_state("networkidle")
    compressed = {url: len(gzip.compress(response.body(), 9)) for url, response in sizes.items()}
    total = sum(compressed.values())
    print(
        f"\nSearch page with its map: {total / 1024:.1f} KB compressed in {len(compressed)} files"
    )
    for url, size in sorted(compressed.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:6.1f} KB  {urlsplit(url).path}")
    assert total <= 150 * 1024


class TileServer:
    """A tile server on 127.0.0.1: one transparent pixel for any /{z}/{x}/{y}.png."""

    def __init__(self):
        self.requests = []
        requests = self.requests
        tile = one_pixel_png()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
