"""Suggest a resource and report a problem in a real browser: axe-core finds nothing on the
forms, the form with errors, the thank-you page or the "try again later" page; the forms work
without JavaScript and the keyboard never lands in the robots' hidden field.

These pages set one cookie, the CSRF token, and only they do: each test checks that it is the
only cookie, then clears it so the harness's "no cookie" check holds for everything else.
"""

import re

import pytest
from django.core.cache import cache

from moderation.models import REFERENCE_PATTERN, ProblemType, Submission
from tests.browser.helpers import assert_no_axe_violations
from tests.factories import make_clinician, make_meeting, make_report

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def forget_the_csrf_cookie(page):
    assert {cookie["name"] for cookie in page.context.cookies()} <= {"csrftoken"}
    page.context.clear_cookies()


def test_suggest_page(page):
    page.goto("/suggest/")
    assert page.locator("h1").inner_text() == "Suggest a resource"
    assert_no_axe_violations(page)
    forget_the_csrf_cookie(page)


def test_a_suggestion_without_javascript_reaches_the_thank_you_page(page_without_js):
    page = page_without_js
    page.goto("/suggest/")
    page.get_by_label("Treatment program").check()
    page.get_by_label("Name").fill("Lakeside Recovery Clinic")
    page.get_by_label("Phone number").fill("312-555-0142")
    page.get_by_label("City or town").fill("Chicago")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_url("**/thanks/**")

    submission = Submission.objects.get()
    assert page.url.endswith(f"/thanks/{submission.reference}/")
    assert page.locator(".reference").inner_text() == submission.reference
    assert submission.name == "Lakeside Recovery Clinic"
    # axe-core needs JavaScript: the thank-you page is checked in the report test below.
    forget_the_csrf_cookie(page)


def test_report_form_with_errors(page):
    listing = make_clinician(name="Dr. Ana Reyes")
    page.goto(f"/listings/{listing.slug}/report/")
    assert_no_axe_violations(page)
    page.get_by_label("Something else").check()
    page.get_by_label("ZIP code").fill("123")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()

    summary = page.locator(".error-summary")
    assert "There are 2 problems with the form" in summary.inner_text()
    assert page.locator("#id_details").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)
    # The summary's links take the keyboard to the field.
    summary.get_by_role("link", name="Tell us what is wrong.").click()
    assert page.evaluate("document.activeElement.id") == "id_details"
    assert not Submission.objects.exists()
    forget_the_csrf_cookie(page)


def test_meeting_report_reaches_the_thank_you_page(page):
    meeting = make_meeting(name="Tuesday Hope")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Report a problem with this meeting").click()
    page.get_by_label("The meeting did not happen").check()
    page.get_by_label("Details").fill("The door was locked at 7.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/thanks/**")

    assert re.search(rf"/thanks/{REFERENCE_PATTERN}/$", page.url)
    assert Submission.objects.get().problem_type == ProblemType.DID_NOT_HAPPEN
    assert_no_axe_violations(page)
    forget_the_csrf_cookie(page)
    # The meeting's page now says someone reported it.
    page.goto(meeting.get_absolute_url())
    assert "may not be happening" in page.locator(".notice").first.inner_text()
    assert_no_axe_violations(page)


def test_the_keyboard_never_reaches_the_hidden_field(page):
    page.goto("/suggest/")
    page.locator("#id_name").focus()
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.name || document.activeElement.id"))
    assert "homepage" not in seen
    assert "contact_email" in seen
    forget_the_csrf_cookie(page)


def test_too_many_submissions_page(page, settings):
    settings.SUBMISSIONS_PER_HOUR = 0
    response = page.goto("/suggest/")
    assert response.status == 429
    assert "Please try again later" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)


def test_listing_page_with_a_pending_closed_report(page):
    listing = make_clinician()
    make_report(listing=listing, problem_type=ProblemType.CLOSED)
    page.goto(listing.get_absolute_url())
    assert "We’re checking" in page.locator(".notice").inner_text()
    assert_no_axe_violations(page)
