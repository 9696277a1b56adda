"""My support plan in a real browser: saved from a card, kept in this browser only, never
sent anywhere, printed on one page, shared through the link's fragment, cleared at once.
And the guides' pages pass axe-core."""

import base64
import json
import re
from datetime import time
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, assert_no_axe_violations
from tests.factories import make_clinician, make_meeting, make_place, make_support_group

pytestmark = pytest.mark.browser

# A word no page of the site contains, so a request carrying it carries the plan.
SECRET = "Quillfeather"


def watch_requests(context):
    """Every request the context makes, as (url, body) pairs, from now on."""
    seen = []
    context.on("request", lambda request: seen.append((request.url, request.post_data or "")))
    return seen


def carrying_the_plan(requests, *words):
    return [url for url, body in requests if any(word in url or word in body for word in words)]


def pdf_pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def save_from_a_card(page, name):
    page.goto("/search/")
    card = page.locator("li.result", has_text=name)
    button = card.locator("button.save-to-plan")
    expect(button).to_contain_text("Save to my plan")
    button.click()
    expect(button).to_contain_text("Saved. Remove from my plan")


def add_person(page, name, phone):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Phone", exact=True).fill(phone)
    page.get_by_role("button", name="Add this person").click()
    expect(page.locator("#plan-people")).to_contain_text(name)


def test_a_listing_saved_from_a_card_stays_in_this_browser_only(open_page):
    make_clinician(name=f"Dr. {SECRET}", phone="(312) 555-0142")
    page = open_page()
    requests = watch_requests(page.context)
    save_from_a_card(page, SECRET)

    # A new tab of the same browser has it.
    second = page.context.new_page()
    second.goto("/plan/")
    saved = second.locator("#plan-saved")
    expect(saved).to_contain_text(f"Dr. {SECRET}")
    expect(saved).to_contain_text("(312) 555-0142")
    expect(second.locator("#plan-blank")).to_be_hidden()
    second.close()

    # Another browser (another context: no shared storage) does not.
    other = open_page()
    other.goto("/plan/")
    expect(other.locator("#plan-saved-empty")).to_be_visible()
    expect(other.locator("#plan-saved")).not_to_contain_text(SECRET)

    # Nothing left the browser with the plan in it, and no cookie was set (the fixture
    # checks the cookies and every other host after the test).
    assert carrying_the_plan(requests, SECRET) == []
    assert page.context.cookies() == []


def test_a_meeting_saved_from_its_page_goes_into_a_calendar_file(page):
    meeting = make_meeting(
        name=f"{SECRET} Serenity Group",
        group=make_support_group(),
        place=make_place(),
        weekday=2,
        start_time=time(18, 30),
        end_time=time(19, 30),
        time_zone="America/Chicago",
    )
    requests = watch_requests(page.context)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Save to my plan").click()
    page.goto("/plan/")
    page.get_by_label("I’m going to this meeting").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Add my meetings to a calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "my-meetings.ics"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = icalendar.Calendar.from_ical(raw)
    [event] = calendar.walk("VEVENT")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Chicago"
    assert str(event["SUMMARY"]) == f"{SECRET} Serenity Group"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, start.isoweekday() % 7) == (18, 30, 2)
    assert str(start.tzinfo) in {"America/Chicago", "CST", "CDT"} or start.utcoffset() is not None
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["BYDAY"] == ["TU"]
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert carrying_the_plan(requests, SECRET) == []


def test_the_plan_prints_on_one_page(page):
    make_clinician(name=f"Dr. {SECRET}", phone="(312) 555-0142")
    save_from_a_card(page, SECRET)
    page.goto("/plan/")
    add_person(page, "Sam (sponsor)", "312-555-0100")
    add_person(page, "My sister", "312-555-0111")
    page.get_by_label("My warning signs").fill("Skipping meetings. Not sleeping.")
    page.get_by_label("What I will do when I notice them").fill("Call Sam. Go to a meeting.")
    page.get_by_label("Why recovery matters to me").fill("My kids. My health.")
    pdf = page.pdf(format="Letter")
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print my plan")).to_be_hidden()
    expect(page.locator('[data-plan-printed="signs"]')).to_have_text(
        "Skipping meetings. Not sleeping."
    )
    crisis = page.locator("#plan-app .plan-crisis")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("Call or text 988")
    expect(crisis).to_contain_text("1-800-662-4357")


def test_the_plan_is_shared_through_the_links_fragment(open_page, live_server):
    make_clinician(name=f"Dr. {SECRET}")
    page = open_page()
    save_from_a_card(page, SECRET)
    page.goto("/plan/")
    add_person(page, "Ana Quillon", "312-555-0123")
    page.get_by_role("button", name="Make a link to share my plan").click()
    link = page.get_by_label("Link to your plan").input_value()
    assert link.startswith(f"{live_server.url}/plan/#plan=")
    assert SECRET not in link  # encoded, not spelled out

    friend = open_page(**PHONE)
    requests = watch_requests(friend.context)
    friend.goto(link)
    expect(friend.locator("#plan-saved")).to_contain_text(f"Dr. {SECRET}")
    expect(friend.locator("#plan-people")).to_contain_text("Ana Quillon")
    expect(friend.get_by_role("heading", name="This plan came from a link")).to_be_visible()
    # The fragment never reaches the server: the page was fetched as plain /plan/.
    assert all("#" not in url for url, _ in requests)
    assert carrying_the_plan(requests, SECRET, "Quillon", link.split("#plan=")[1][:20]) == []

    friend.get_by_role("button", name="Keep this plan on this device").click()
    friend.goto("/plan/")
    expect(friend.locator("#plan-people")).to_contain_text("Ana Quillon")


def test_clear_all_empties_the_plan_after_a_confirmation(page):
    make_clinician(name=f"Dr. {SECRET}")
    save_from_a_card(page, SECRET)
    page.goto("/plan/")
    add_person(page, "Sam", "312-555-0100")

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear my whole plan").click()
    expect(page.locator("#plan-people")).to_contain_text("Sam")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my whole plan").click()
    expect(page.get_by_role("status")).to_have_text("Your plan is cleared.")
    page.reload()
    expect(page.locator("#plan-saved-empty")).to_be_visible()
    expect(page.locator("#plan-people li")).to_have_count(0)
    assert page.evaluate("localStorage.length") == 0


def test_without_javascript_there_is_a_printable_blank_plan_and_no_save_button(page_without_js):
    make_clinician(name=f"Dr. {SECRET}")
    page_without_js.goto("/search/")
    expect(page_without_js.locator("li.result", has_text=SECRET)).to_be_visible()
    expect(page_without_js.get_by_role("button", name="Save to my plan")).to_have_count(0)
    page_without_js.goto("/plan/")
    expect(page_without_js.get_by_text("print this blank plan")).to_be_visible()
    expect(page_without_js.get_by_role("heading", name="People I can call")).to_be_visible()
    expect(page_without_js.locator("#plan-app")).to_be_hidden()
    assert pdf_pages(page_without_js.pdf(format="Letter")) == 1


def test_the_guides_and_the_plan_are_accessible(phone_page):
    for url in ("/guides/", "/guides/medication-for-opioid-use-disorder/", "/plan/"):
        phone_page.goto(url)
        assert_no_axe_violations(phone_page)
    add_person(phone_page, "Sam", "312-555-0100")
    phone_page.get_by_role("button", name="Make a link to share my plan").click()
    assert_no_axe_violations(phone_page)


def test_a_plan_with_a_saved_meeting_is_accessible(page):
    meeting = make_meeting(name="Hope at Noon", place=make_place())
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Save to my plan").click()
    page.goto("/plan/")
    expect(page.locator("#plan-saved")).to_contain_text("Hope at Noon")
    assert_no_axe_violations(page)


def test_results_swapped_in_by_a_search_get_their_save_buttons(page):
    make_clinician(name=f"Dr. {SECRET}")
    make_clinician(name="Dr. Other")
    page.goto("/search/")
    page.get_by_label("What are you looking for?").fill(SECRET)
    page.get_by_label("What are you looking for?").press("Enter")
    expect(page).to_have_url(re.compile(rf"q={SECRET}"))
    card = page.locator("li.result", has_text=SECRET)
    expect(card.locator("button.save-to-plan")).to_be_visible()
    card.locator("button.save-to-plan").click()
    expect(card.locator("button.save-to-plan")).to_contain_text("Saved. Remove from my plan")


def test_a_shared_link_shows_only_text_and_links_to_this_site(page):
    written = {
        "items": [
            {"kind": "listing", "name": "<img src=x onerror=alert(1)>", "url": "//evil.test/"},
            {"kind": "listing", "name": "Real place", "url": "/guides/"},
        ],
        "people": [{"name": "Sam", "phone": "javascript:alert(1)"}],
    }
    encoded = base64.urlsafe_b64encode(json.dumps(written).encode()).decode().rstrip("=")
    page.goto(f"/plan/#plan={encoded}")
    saved = page.locator("#plan-saved")
    expect(saved).to_contain_text("<img src=x onerror=alert(1)>")
    expect(saved.locator("img")).to_have_count(0)
    hrefs = saved.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs == ["/guides/"]
    assert page.locator("#plan-people a").get_attribute("href") == "tel:1"
