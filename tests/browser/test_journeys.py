"""Issue 15's journeys, walked on a phone (390×844) and a laptop (1280×800), asserting what
the person sees in the first screen at each step. ("finder" walks the meeting journey in
test_meetings.py.)"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, query_of
from tests.browser.layout_data import buprenorphine_prescribers, detox_programs, family_support

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
SCREENS = {"phone": (PHONE, 844), "laptop": (LAPTOP, 800)}


def in_first_screen(locator, height):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def search_from_home(page, what, where):
    page.goto("/")
    form = page.get_by_role("search", name="Search for help")
    form.get_by_label("What are you looking for?").fill(what)
    form.get_by_label("Where?").fill(where)
    form.get_by_role("button", name="Search").click(no_wait_after=True)
    page.wait_for_url(re.compile(r"/search/\?"), timeout=15_000)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_person_in_crisis_finds_detox_near_a_town_and_calls_it(open_page, screen):
    context, height = SCREENS[screen]
    page = open_page(**context)
    programs = detox_programs(3)

    # The crisis line is there from the first screen of the first page.
    page.goto("/")
    assert in_first_screen(page.locator(".crisis-now a[href='tel:988']"), height)

    search_from_home(page, "detox", "Chicago, IL")
    heading = page.locator("#results-heading")
    expect(heading).to_be_focused()
    assert heading.inner_text().startswith("3 results for “detox” near Chicago")
    first = page.locator("ol.result-list > li").first
    nearest = first.locator("h3").inner_text()
    assert nearest in {program.name for program in programs}
    call = first.locator('a[href^="tel:"]')
    assert in_first_screen(call, height)
    assert re.fullmatch(r"tel:\+177355501\d\d", call.get_attribute("href"))
    assert first.locator(".open-status").inner_text().startswith(("Open now", "Closed now"))

    # Or, to know more first: the listing, whose Call is in its first screen too.
    first.get_by_role("link", name=nearest, exact=True).click()
    page.wait_for_url(re.compile(r"/listings/"))
    assert page.locator("h1").inner_text() == nearest
    call = page.locator("main ul.actions").get_by_role("link", name=re.compile(r"^Call "))
    assert in_first_screen(call, height)
    assert call.get_attribute("href").startswith("tel:+1773555")
    directions = page.locator("main ul.actions").get_by_role("link", name="Directions")
    assert in_first_screen(directions, height)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_parent_finds_family_support_and_buprenorphine_that_takes_medicaid(open_page, screen):
    context, height = SCREENS[screen]
    page = open_page(**context)
    circle = family_support()
    takes_medicaid, private_only = buprenorphine_prescribers()

    # Help for the parent: the home page's card for family and friends.
    page.goto("/")
    page.get_by_role("link", name="Help for family and friends").click()
    page.wait_for_url("**/browse/family-and-friends/")
    first = page.locator("ol.result-list > li").first
    assert first.locator("h3").inner_text() == circle.name
    assert in_first_screen(first.locator("h3"), height)

    # Help for their child: buprenorphine near home, from a doctor who takes Medicaid.
    search_from_home(page, "buprenorphine", "60614")
    names = page.locator("ol.result-list > li h3")
    expect(names).to_have_count(2)
    assert sorted(names.all_inner_texts()) == sorted([takes_medicaid.name, private_only.name])

    filters = page.locator("details#filters")
    if screen == "phone":
        # On a phone the filters wait after the results, one tap away.
        assert filters.get_attribute("open") is None
        page.get_by_role("link", name="Filters").click()
    expect(filters).to_have_attribute("open", "")
    filters.locator("details.filter-group > summary", has_text="Payment").click()
    page.get_by_role("checkbox", name=re.compile(r"^Medicaid\b")).check()
    page.wait_for_url(lambda url: "payment=medicaid" in url)
    expect(names).to_have_count(1)
    assert names.inner_text() == takes_medicaid.name
    assert query_of(page.url)["payment"] == ["medicaid"]
    expect(page.locator("#filters-on")).to_have_text("Filters (1 on)")

    # The count (a live region) says what changed.
    assert page.locator("#result-count").inner_text().startswith("1 result for “buprenorphine”")
    card = page.locator("ol.result-list > li").first
    card.get_by_role("link", name=takes_medicaid.name, exact=True).click()
    page.wait_for_url(f"**{takes_medicaid.get_absolute_url()}")
    call = page.locator("main ul.actions").get_by_role("link", name="Call 312-555-0142")
    assert in_first_screen(call, height)
    assert call.get_attribute("href") == "tel:+13125550142"
