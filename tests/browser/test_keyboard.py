"""Someone using only a keyboard can skip to the content, reach the crisis numbers and see focus."""

import pytest

from tests.factories import make_clinician

pytestmark = pytest.mark.browser

# What the focused element is, in the words a test can compare.
FOCUSED = """() => {
  const element = document.activeElement;
  return {tag: element.tagName, id: element.id, text: element.textContent.trim(),
          href: element.getAttribute('href')};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab(page):
    page.keyboard.press("Tab")
    return focused(page)


def test_first_tab_lands_on_the_skip_link_which_then_shows(page):
    page.goto("/")
    skip_link = page.locator("a.skip-link")
    # Hidden off screen until focused.
    assert skip_link.bounding_box()["x"] < 0

    assert tab(page) == {
        "tag": "A",
        "id": "",
        "text": "Skip to main content",
        "href": "#main",
    }
    box = skip_link.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["width"] > 0 and box["height"] > 0
    assert skip_link.is_visible()


def test_the_skip_link_moves_focus_to_the_main_content(page):
    listing = make_clinician(name="Lakeview Recovery Clinic")
    page.goto(listing.get_absolute_url())
    tab(page)

    page.keyboard.press("Enter")

    assert focused(page)["id"] == "main"
    assert page.url.endswith("#main")
    # The next Tab goes on from inside main, past the header's links.
    next_stop = tab(page)
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert next_stop["text"] == "Home"  # the breadcrumb


def test_crisis_numbers_are_the_first_stops_after_the_skip_link(page):
    page.goto("/")
    stops = [tab(page) for _ in range(5)]
    # Then the crisis bar's "More help" (a disclosure with the SAMHSA helpline and 911).
    assert [stop["href"] for stop in stops] == ["#main", "tel:988", "sms:988", None, "/"]
    assert stops[3]["tag"] == "SUMMARY" and stops[3]["text"] == "More help"


def test_a_link_focused_by_keyboard_shows_a_clear_indicator(page):
    page.goto("/")
    style = """element => {
      const s = getComputedStyle(element);
      return {outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
              boxShadow: s.boxShadow, background: s.backgroundColor};
    }"""
    link = page.locator(".crisis-now a[href='tel:988']")
    before = link.evaluate(style)

    tab(page)
    tab(page)
    assert focused(page)["href"] == "tel:988"
    after = link.evaluate(style)

    # The outline stays (transparent) so Windows high-contrast modes still draw it;
    # everyone else sees the yellow background and the underline bar.
    assert after["outlineStyle"] != "none"
    assert after["outlineWidth"] == "3px"
    assert after["background"] != before["background"]
    assert after["boxShadow"] != "none"
