"""Issue 15's meeting journey in real Chromium, on a phone and a laptop: an in-person AA
meeting tonight near a ZIP with few meetings, an online SMART meeting, and adding one to a
calendar. And the finder's first screen: the first meeting in sight after a search.

The finder reads the clock; like the other finder tests these read it at a fixed moment
(Tuesday noon in Chicago), set on ``django.utils.timezone.now``, which the live server's
thread shares.
"""

import re
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Attendance
from tests.browser.helpers import PHONE, assert_no_axe_violations
from tests.factories import fellowship, make_meeting, make_place, make_support_group

pytestmark = pytest.mark.browser

NOON_TUESDAY = datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("America/Chicago"))
TUESDAY, WEDNESDAY = 2, 3
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
SCREENS = {"phone": PHONE, "laptop": LAPTOP}
# Aurora, Illinois: about 35 miles from the 60614 ZIP's centre.
AURORA = {
    "address_line1": "1 E Galena Blvd",
    "city": "Aurora",
    "region": "IL",
    "postal_code": "60505",
    "latitude": Decimal("41.757000"),
    "longitude": Decimal("-88.314000"),
}


@pytest.fixture(autouse=True)
def tuesday_noon(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOON_TUESDAY)


@pytest.fixture(autouse=True)
def warm_server(db, client):
    """The first finder page a process serves reads the ZIP table and compiles templates,
    which on a busy machine can outlast the browser's fail-fast timeout: serve one first."""
    client.get("/meetings/?near=60614")


@pytest.fixture
def few_meetings(db):
    """Near 60614 tonight: one AA meeting; farther out, one more; online, SMART and AA."""
    aa = make_support_group(name="Lincoln Park AA")
    make_meeting(
        name="Lincoln Park Tonight",
        group=aa,
        weekday=TUESDAY,
        start_time=time(19),
        place=make_place(name="Church hall"),
        types=["O"],
    )
    make_meeting(
        name="Aurora Tonight",
        group=make_support_group(name="Aurora AA"),
        weekday=TUESDAY,
        start_time=time(19, 30),
        place=make_place(name="Aurora hall", **AURORA),
    )
    make_meeting(name="Lincoln Park Wednesday", group=aa, weekday=WEDNESDAY)
    smart = make_support_group(name="SMART Online", fellowship=fellowship("SMART"))
    make_meeting(
        name="SMART Evening Online",
        group=smart,
        weekday=TUESDAY,
        start_time=time(18),
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/j/smart",
    )


def in_first_screen(page, locator):
    """True when the element is wholly inside the viewport as the page is now."""
    box = locator.bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def results_heading(page, text):
    """The results heading once it says ``text`` (its count is a live region inside it)."""
    return page.locator("#results-heading", has_text=text)


def first_meeting(page):
    return page.locator(".result-list > li").first


@pytest.mark.parametrize("screen", SCREENS)
def test_an_aa_meeting_tonight_near_a_zip_with_few_then_smart_online_into_a_calendar(
    open_page, few_meetings, screen
):
    page = open_page(**SCREENS[screen])
    page.goto("/meetings/")
    page.get_by_label("Near").fill("60614")
    page.get_by_role("button", name="Find meetings").click()
    page.wait_for_url(re.compile(r"near=60614"))
    heading = results_heading(page, re.compile("1 meeting later today near"))
    heading.wait_for()
    # htmx moves the focus once the answer has settled, a moment after the count shows.
    expect(page.locator("#results-heading")).to_be_focused()

    # The one meeting near, in the first screen, in person, with directions to it.
    first = first_meeting(page)
    assert "Lincoln Park Tonight" in first.inner_text()
    assert in_first_screen(page, first), first.bounding_box()
    directions = first.get_by_role("link", name=re.compile("^Directions"))
    assert directions.get_attribute("href").startswith("https://maps.apple.com/?daddr=")
    assert_no_axe_violations(page)

    # Few found: a wider radius, with how many it finds, in one click.
    wider = page.get_by_role("link", name="Within 50 miles: 2 meetings")
    assert wider.is_visible()
    wider.click()
    page.wait_for_url(re.compile(r"radius=50"), wait_until="domcontentloaded")
    page.get_by_role("link", name="Aurora Tonight", exact=True).wait_for()

    # Still few: online meetings anywhere, in one more click.
    online = page.get_by_role("link", name=re.compile(r"^Online, anywhere: \d+ meeting"))
    online.click()
    page.wait_for_url(re.compile(r"attendance=online"), wait_until="domcontentloaded")
    smart = page.get_by_role("link", name="SMART Evening Online", exact=True)
    smart.wait_for()
    row = page.locator(".result-list > li", has=smart)
    join = row.get_by_role("link", name=re.compile("^Join"))
    assert join.get_attribute("href") == "https://meet.example.org/j/smart"
    assert in_first_screen(page, first_meeting(page))
    assert_no_axe_violations(page)

    # Add it to a calendar: a file every calendar reads, with its time zone.
    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("^Add to calendar")).click()
    body = download_info.value.path().read_bytes()
    calendar = icalendar.Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "SMART Evening Online"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == event["DTSTART"].params["TZID"] == "America/Chicago"


@pytest.fixture
def many_meetings(db):
    group = make_support_group(name="Lincoln Park AA")
    place = make_place(name="Church hall")
    for hour in range(13, 23):
        make_meeting(
            name=f"Meeting at {hour}:00",
            group=group,
            place=place,
            weekday=TUESDAY,
            start_time=time(hour),
            end_time=time(hour, 45),
            types=["O", "W"] if hour % 2 else ["C"],
        )


@pytest.mark.parametrize("screen", SCREENS)
def test_after_a_search_the_first_meeting_is_in_the_first_screen(open_page, many_meetings, screen):
    page = open_page(**SCREENS[screen])
    page.goto("/meetings/?near=60614")
    first = first_meeting(page)
    first.wait_for()
    page.wait_for_load_state("load")
    assert in_first_screen(page, first), first.bounding_box()
    # Keyboard and screen-reader users are taken there too.
    expect(page.locator("#results-heading")).to_be_focused()
    # On a laptop the map of these meetings is beside the list, in the first screen too; on a
    # phone it comes after the list.
    map_box, card = page.locator(".map-column .map-canvas").bounding_box(), first.bounding_box()
    if screen == "laptop":
        assert map_box["x"] >= card["x"] + card["width"]
        assert map_box["y"] <= card["y"] < map_box["y"] + map_box["height"], map_box
    else:
        assert map_box["y"] > card["y"] + card["height"]
    assert_no_axe_violations(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_quick_picks_and_type_counts(open_page, many_meetings, screen):
    page = open_page(**SCREENS[screen])
    page.goto("/meetings/?near=60614")
    page.get_by_role("link", name=re.compile(r"^Women \(5\)")).click()
    page.wait_for_url(re.compile(r"types=W"))
    results_heading(page, re.compile("^5 meetings later today")).wait_for()
    women = page.locator(".quick-pick.on", has_text="Women")
    assert women.is_visible()
    assert_no_axe_violations(page)
    women.click()
    results_heading(page, re.compile("^10 meetings later today")).wait_for()


def test_without_javascript_the_results_come_before_the_filters(open_page, many_meetings):
    page = open_page(java_script_enabled=False, **PHONE)
    page.goto("/meetings/?near=60614")
    html = page.content()
    assert html.index('id="results"') < html.index('id="filters"')
    assert first_meeting(page).is_visible()


def test_ticking_a_type_updates_the_list_of_types_and_keeps_the_focus(open_page, many_meetings):
    page = open_page(**LAPTOP)
    page.goto("/meetings/?near=60614")
    page.locator("summary", has_text="Meeting type").click()
    closed = page.get_by_role("checkbox", name=re.compile(r"^Closed"))
    assert page.get_by_role("checkbox", name=re.compile(r"^Women")).is_visible()
    closed.check()
    results_heading(page, re.compile("^5 meetings")).wait_for()
    # No meeting found now is for women: the type is gone; the box ticked keeps the focus.
    page.get_by_role("checkbox", name=re.compile(r"^Women")).wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == "f-types-C"
    assert_no_axe_violations(page)
