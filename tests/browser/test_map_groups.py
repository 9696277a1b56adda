"""Results at one address share one marker on a phone: "2 here", big enough to tap (WCAG
2.5.8 asks 24 by 24 CSS px at least), opening the list of them."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations
from tests.factories import CHICAGO, EDGEWATER, make_clinician, make_treatment_program

pytestmark = pytest.mark.browser

SEARCH = "/search/?near=60614&sort=distance"


@pytest.fixture
def two_at_one_address(db):
    same_address = {**CHICAGO, "address_line1": "2400 N Clark St, Suite 2"}
    return [
        make_clinician(name="Clark Street Counseling"),
        make_treatment_program(name="Clark Street Recovery", **same_address),
        make_treatment_program(name="Edgewater Outpatient", **EDGEWATER),
    ]


def test_two_listings_at_one_address_give_one_marker_you_can_tap(
    phone_page, two_at_one_address, client
):
    client.get(SEARCH)  # the first page a process serves compiles its templates
    page = phone_page
    page.goto(SEARCH)
    page.locator("#results-map").scroll_into_view_if_needed()
    group = page.locator(".map-leaflet .map-marker-group")
    group.wait_for()

    markers = page.locator(".map-leaflet .map-marker")
    assert markers.count() == 2  # the two at one address, and Edgewater 3 miles north
    assert group.inner_text() == "2 here"
    assert group.get_attribute("aria-label") == (
        "2 here: 1. Clark Street Counseling, 2. Clark Street Recovery"
    )
    assert page.locator('.map-marker[data-number="3"]').is_visible()
    box = group.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert_no_axe_violations(page)

    group.tap()
    links = page.locator(".leaflet-popup .map-group-list a")
    links.first.wait_for()
    assert [links.nth(i).inner_text() for i in range(links.count())] == [
        "1. Clark Street Counseling",
        "2. Clark Street Recovery",
    ]
    assert links.nth(1).get_attribute("href") == two_at_one_address[1].get_absolute_url()
    assert group.get_attribute("aria-expanded") == "true"
    for index in range(links.count()):
        assert links.nth(index).bounding_box()["height"] >= 24
    assert_no_axe_violations(page)

    # Escape closes the list and gives the focus back to the marker.
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    assert group.evaluate("marker => marker === document.activeElement")
    assert group.get_attribute("aria-expanded") == "false"
