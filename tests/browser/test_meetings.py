"""The meeting finder and a meeting page in real Chromium: accessibility, local time, no JS."""

import re
from datetime import time

import pytest

from groups.models import Attendance
from tests.browser.helpers import assert_no_axe_violations
from tests.factories import make_meeting, make_place, make_support_group

pytestmark = pytest.mark.browser


@pytest.fixture
def meetings(db):
    group = make_support_group(name="Lincoln Park Group")
    in_person = make_meeting(
        group=group,
        name="Tuesday Night Hope",
        weekday=2,
        place=make_place(name="St. Luke's hall"),
        types=["O", "SP"],
        notes="Side door on Elm St.",
    )
    online = make_meeting(
        group=group,
        name="Online Big Book",
        weekday=3,
        start_time=time(19),
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/j/1",
        conference_phone="312-555-0199",
        types=["C"],
    )
    make_meeting(group=group, name="First Sunday", weekday=0, frequency="monthly", week_of_month=1)
    return in_person, online


def test_finder_has_no_axe_violations(page, meetings):
    page.goto("/meetings/?day=any")
    assert page.get_by_role("link", name="Tuesday Night Hope", exact=True).is_visible()
    assert_no_axe_violations(page)


def test_finder_on_a_phone_has_no_axe_violations(phone_page, meetings):
    phone_page.goto("/meetings/?day=any&attendance=online")
    assert phone_page.get_by_role("link", name="Online Big Book", exact=True).is_visible()
    assert_no_axe_violations(phone_page)


def test_meeting_page_has_no_axe_violations(page, meetings):
    in_person, _online = meetings
    page.goto(in_person.get_absolute_url())
    assert page.get_by_role("heading", level=1, name="Tuesday Night Hope").is_visible()
    assert_no_axe_violations(page)


def test_online_meeting_shows_the_visitors_own_time(open_page, meetings):
    page = open_page(timezone_id="Europe/London")
    page.goto("/meetings/?day=any&attendance=online")
    your_time = page.locator(".your-time")
    # 7 PM in Chicago is 1 AM the next day in London (GMT in winter, 12 AM BST in summer).
    assert re.fullmatch(r" \(your time: Thursday, 1:00 AM GMT\)|.*BST\)", your_time.text_content())
    assert your_time.is_visible()


def test_no_local_time_added_when_the_visitor_shares_the_zone(open_page, meetings):
    page = open_page(timezone_id="America/Chicago")
    page.goto("/meetings/?day=any&attendance=online")
    page.wait_for_load_state("load")
    assert page.locator(".your-time").is_hidden()


def test_finder_works_without_javascript(page_without_js, meetings):
    page = page_without_js
    page.goto("/meetings/?day=any")
    page.get_by_label("Meeting or group name (optional)").fill("online")
    page.get_by_role("button", name="Find meetings").click()
    page.wait_for_url(re.compile(r"q=online"))
    assert page.get_by_role("link", name="Online Big Book", exact=True).is_visible()
    assert page.get_by_role("link", name="Tuesday Night Hope", exact=True).count() == 0
    # A chip removes the filter with a plain link.
    page.get_by_role("link", name="Remove Any day").click()
    assert "day=" not in page.url
