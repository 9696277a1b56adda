"""Visitors confirm a listing's number in a real browser: Yes leads to a one-button page, and
back on the listing the date shows; No opens the report form with "The phone number is
wrong" ticked, and the report lands in the moderation queue. axe-core finds nothing on the
pages, on a phone and on a laptop. And a listing's contact answers "are you taking new
clients?" through a curator's link, which works once.

The listing page sets no cookie; the confirmation and report pages set the CSRF one, and
only that one: each test checks it, then clears it for the harness's "no cookie" check.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from moderation.models import ProblemType, Submission, SubmissionStatus, VisitorConfirmation
from resources.models import NewClientsLink
from tests.browser.helpers import PHONE, assert_no_axe_violations
from tests.factories import make_clinician, make_meeting, make_treatment_program

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def forget_the_csrf_cookie(page):
    assert {cookie["name"] for cookie in page.context.cookies()} <= {"csrftoken"}
    page.context.clear_cookies()


@pytest.mark.parametrize("size", [PHONE, {"viewport": {"width": 1280, "height": 800}}])
def test_confirming_a_number_shows_the_date_on_the_listing(open_page, size):
    page = open_page(**size)
    listing = make_clinician(name="Dr. Ana Reyes", phone="312-555-0142")
    page.goto(listing.get_absolute_url())
    box = page.locator("#visitor-confirmation")
    assert box.get_by_role("heading").inner_text() == "Did this number work?"
    assert page.context.cookies() == []
    assert_no_axe_violations(page)

    box.get_by_role("link", name="Yes, the number worked").click()
    assert page.locator("h1").inner_text() == "Did the number for Dr. Ana Reyes work?"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Yes, the number worked").click()
    page.wait_for_url(f"**{listing.get_absolute_url()}#visitor-confirmation")

    confirmed = page.locator("#visitor-confirmation .confirmed")
    assert confirmed.inner_text() == "Phone confirmed by a visitor today."
    # The box is scrolled to, so the visitor sees their answer counted.
    box_top = confirmed.bounding_box()["y"]
    assert 0 <= box_top < size["viewport"]["height"]
    assert VisitorConfirmation.objects.get(listing=listing).yes == 1
    forget_the_csrf_cookie(page)
    assert_no_axe_violations(page)


def test_a_no_lands_in_the_queue(page_without_js):
    page = page_without_js
    listing = make_clinician(name="Dr. Ana Reyes")
    page.goto(listing.get_absolute_url())
    page.get_by_role("link", name="No, the number did not work").click()

    assert page.get_by_label("The phone number is wrong").is_checked()
    page.get_by_label("Details").fill("It says the number is disconnected.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/thanks/**")

    report = Submission.objects.get()
    assert (report.status, report.problem_type, report.listing_id) == (
        SubmissionStatus.OPEN,
        ProblemType.WRONG_PHONE,
        listing.pk,
    )
    assert report.reference in page.locator(".reference").inner_text()
    forget_the_csrf_cookie(page)


def test_a_meeting_confirmed_by_a_visitor(page):
    meeting = make_meeting(name="Tuesday Hope")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Yes, it happened").click()
    page.get_by_role("button", name="Yes, it happened").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}#visitor-confirmation")
    text = page.locator("#visitor-confirmation .confirmed").inner_text()
    assert text == "Meeting confirmed by a visitor today."
    forget_the_csrf_cookie(page)
    assert_no_axe_violations(page)


def test_the_contact_answers_through_the_link_once(page):
    program = make_treatment_program(name="Lakeside Program")
    link = NewClientsLink.objects.create(listing=program)
    url = reverse("moderation:new_clients", args=[link.token])
    page.goto(url)
    assert page.locator("h1").inner_text() == "Is Lakeside Program taking new clients?"
    assert_no_axe_violations(page)
    page.get_by_label("Waiting list for new clients").check()
    page.get_by_role("button", name="Send answer").click()
    page.wait_for_load_state()

    assert "Waiting list for new clients" in page.locator(".lead").inner_text()
    page.get_by_role("link", name="See your listing").click()
    assert (
        "Waiting list for new clients: confirmed by the service"
        in page.locator(".new-clients").inner_text()
    )
    response = page.goto(url)
    assert response.status == 410
    assert page.locator("h1").inner_text() == "This link has already been used"
    assert_no_axe_violations(page)
    forget_the_csrf_cookie(page)
