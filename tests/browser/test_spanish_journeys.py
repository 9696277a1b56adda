"""Issue 17's journeys in Spanish, walked in real Chromium on a phone (390×844) and a laptop
(1280×800): search "buprenorfina" near a town, a Spanish-speaking meeting near a ZIP code, a
listing, and the crisis strip. At each step: what is in the first screen, axe-core at 0
violations, no English left on the page (tests/test_spanish_pages.py's check: the visible
text less what curators wrote, which is marked lang="en"), and, after each test, no cookie
and no request to another host (tests/browser/conftest.py's open_page)."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from groups.models import Attendance, Fellowship
from resources.models import ListingText
from tests.browser.helpers import PHONE, assert_no_axe_violations
from tests.browser.layout_data import buprenorphine_prescribers
from tests.factories import CHICAGO, make_meeting, make_place, make_support_group
from tests.test_spanish_pages import PROPER_NAMES, english_left

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
SCREENS = {"phone": (PHONE, 844), "laptop": (LAPTOP, 800)}


def in_first_screen(locator, height):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def assert_all_spanish(page, names):
    """No English on the page but names: of listings, places, towns and fellowships (proper
    names, which WCAG 3.1.2 lets stand in their own language unmarked)."""
    assert page.locator("html").get_attribute("lang") == "es"
    fellowships = Fellowship.objects.values_list("name", "short_name")
    names = [*names, *(name for pair in fellowships for name in pair if name), *PROPER_NAMES]
    found = english_left(page.content(), names)
    assert not found, "English left on " + page.url + ":\n" + "\n".join(found)
    # Longer Spanish words still fit the screen: nothing to scroll sideways (WCAG 1.4.10).
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("screen", SCREENS)
def test_buprenorfina_near_a_town_finds_the_prescribers_in_spanish(open_page, screen):
    context, height = SCREENS[screen]
    page = open_page(**context)
    prescribers = buprenorphine_prescribers()
    names = [prescriber.name for prescriber in prescribers] + [str(v) for v in CHICAGO.values()]

    page.goto("/es/")
    # The crisis line, in Spanish, is in the first screen of the first page.
    crisis = page.locator(".crisis-now")
    assert in_first_screen(crisis, height)
    expect(crisis).to_contain_text("oprima 2 para español")
    assert_all_spanish(page, names)

    form = page.get_by_role("search", name="Buscar ayuda")
    form.get_by_label("¿Qué busca?").fill("buprenorfina")
    form.get_by_label("¿Dónde?").fill("Chicago, IL")
    form.get_by_role("button", name="Buscar").click(no_wait_after=True)
    page.wait_for_url(re.compile(r"/es/search/\?"), timeout=15_000)

    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("2 resultados para “buprenorfina” cerca de Chicago")
    first = page.locator("ol.result-list > li").first
    assert first.locator("h3").inner_text() in names
    assert in_first_screen(first.locator("h3"), height)
    assert_all_spanish(page, names)
    assert_no_axe_violations(page)

    # The listing, in Spanish, with what the curator wrote in English marked as English.
    first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/es/listings/"))
    assert page.locator("h1").inner_text() in names
    assert page.locator("main [lang='en']").count() >= 1
    assert_all_spanish(page, names)
    assert_no_axe_violations(page)


def test_a_listing_shows_its_spanish_summary_when_a_curator_wrote_one(open_page):
    page = open_page(**PHONE)
    prescriber, _other = buprenorphine_prescribers()
    ListingText.objects.create(
        listing=prescriber,
        language="es",
        summary="Tratamiento con buprenorfina en el consultorio para adolescentes y adultos.",
    )
    names = [prescriber.name, *(str(v) for v in CHICAGO.values())]

    page.goto(f"/es{prescriber.get_absolute_url()}")
    summary = page.get_by_text("Tratamiento con buprenorfina en el consultorio")
    expect(summary).to_be_visible()
    # The English summary is not shown beside the Spanish one.
    expect(page.get_by_text("Office-based buprenorphine treatment")).to_have_count(0)
    # The call button is in the first screen, in Spanish.
    call = page.locator("main ul.actions a[href^='tel:']").first
    assert in_first_screen(call, 844)
    assert_all_spanish(page, names)
    assert_no_axe_violations(page)

    # The same page in English, one tap away, as the curator wrote it.
    page.locator("a[hreflang='en']").first.click()
    page.wait_for_url(re.compile(r"^[^?]*//[^/]+/listings/"))
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_text("Office-based buprenorphine treatment")).to_be_visible()


@pytest.mark.parametrize("screen", SCREENS)
def test_a_spanish_speaking_meeting_near_a_zip_code(open_page, screen):
    context, height = SCREENS[screen]
    page = open_page(**context)
    group = make_support_group(name="Grupo Nueva Esperanza")
    spanish = make_meeting(
        group=group,
        name="Grupo Nueva Esperanza",
        weekday=3,
        start_time=time(19, 30),
        place=make_place(name="Salón San Lucas"),
        types=["O", "S"],
    )
    make_meeting(
        group=make_support_group(name="Lincoln Park Group"),
        name="Wednesday Night Hope",
        weekday=3,
        start_time=time(19),
        types=["O"],
    )
    names = [spanish.name, "Salón San Lucas", *(str(v) for v in CHICAGO.values())]

    page.goto("/es/meetings/?near=60614&day=any&types=S")
    results = page.locator("ol.result-list > li")
    expect(results).to_have_count(1)
    first = results.first
    expect(first).to_contain_text("Grupo Nueva Esperanza")
    # The day and time in Spanish: "miércoles" and the time of day.
    expect(first).to_contain_text(re.compile(r"[Mm]iércoles"))
    assert in_first_screen(first.locator("h3"), height)
    assert_all_spanish(page, names)
    assert_no_axe_violations(page)

    first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/es/meetings/[^/?]+/$"))
    expect(page.locator("h1")).to_have_text("Grupo Nueva Esperanza")
    assert_all_spanish(page, names)
    assert_no_axe_violations(page)


def test_the_language_link_keeps_the_visitor_on_the_same_page(open_page):
    page = open_page(**PHONE)
    make_meeting(attendance=Attendance.ONLINE, conference_url="https://meet.example.org/j/2")
    page.goto("/meetings/?day=any")
    assert page.locator("html").get_attribute("lang") == "en"
    link = page.locator("a[hreflang='es']").first
    expect(link).to_have_attribute("lang", "es")
    link.click()
    page.wait_for_url(re.compile(r"/es/meetings/\?day=any$"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert_no_axe_violations(page)
