"""Printing a search, a listing, the meeting finder and a meeting: the results with their phone
numbers and addresses, no form, buttons, map or navigation, on as few pages as possible.

Chromium prints to PDF (``page.pdf()``, which uses the print stylesheet); the pages are
counted from the PDF's page objects, and what shows is read with the print media emulated.
"""

import re

import pytest

from tests.browser.layout_data import detox_programs
from tests.factories import make_meeting, make_support_group

pytestmark = pytest.mark.browser

# One page object per printed page in Chromium's PDFs ("/Type /Pages" is the tree's root).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")
# Shown on screen, never on paper.
SCREEN_ONLY = (
    ".search-bar",
    ".filters-column",
    ".site-header nav",
    ".site-footer",
    ".results-map",
    ".pagination",
    ".crisis-more",
)


def printed(page):
    pdf = page.pdf(format="Letter", print_background=False)
    return len(PDF_PAGE.findall(pdf))


def visible(page, selector):
    return any(element.is_visible() for element in page.locator(selector).all())


def test_eight_results_print_on_at_most_two_pages_with_their_numbers_and_addresses(page):
    programs = detox_programs(8)
    page.goto("/search/?q=detox&near=60614")
    assert page.locator("ol.result-list > li").count() == 8

    pages = printed(page)
    print(f"\nA search with 8 results prints on {pages} page(s).")
    assert 1 <= pages <= 2

    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        assert not visible(page, selector), selector
    assert not visible(page, "main button")
    for program in programs:
        card = page.locator("ol.result-list > li", has_text=program.name)
        assert card.is_visible()
        assert program.phone in card.inner_text()
        assert program.address_line1 in card.inner_text()
    # The crisis numbers are on paper too: 988, then the helpline and 911 the stylesheet adds.
    crisis = page.locator(".crisis-now")
    assert "988" in crisis.inner_text()
    added = crisis.evaluate("element => getComputedStyle(element, '::after').content")
    assert "1-800-662-4357" in added and "911" in added


def test_a_listing_prints_on_one_page_with_its_website_written_out(page):
    program = detox_programs(1)[0]
    program.website = "https://northside-withdrawal.example.org/"
    program.description = "Open to adults. Bring a photo ID and a list of your medications."
    program.save()
    page.goto(program.get_absolute_url())

    assert printed(page) == 1
    page.emulate_media(media="print")
    main = page.locator("main").inner_text()
    assert "773-555-0110" in main
    assert "2400 N Clark St" in main
    assert "northside-withdrawal.example.org" in main
    assert not visible(page, ".site-header nav")
    assert not visible(page, ".report")


def test_the_meeting_finder_and_a_meeting_print_without_their_form(page):
    group = make_support_group(name="Lincoln Park Group")
    meeting = make_meeting(group=group, name="Tuesday Night Step")
    page.goto("/meetings/?day=any")
    assert printed(page) <= 2
    page.emulate_media(media="print")
    assert not visible(page, "main form select")
    assert not visible(page, "main button")
    assert page.get_by_text("Tuesday Night Step").first.is_visible()

    page.emulate_media(media="screen")
    page.goto(meeting.get_absolute_url())
    assert printed(page) <= 2
    page.emulate_media(media="print")
    assert "2400 N Clark St" in page.locator("main").inner_text()
    assert not visible(page, ".site-header nav")
