"""Report a problem with a listing or a meeting: the forms, what is stored, and the notice a
pending "closed" or "did not happen" report puts on the page without costing a query."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from groups.models import MeetingStatus
from guides.templatetags.guides import guide_links
from moderation.models import ProblemType, Submission, SubmissionKind, SubmissionStatus
from resources.models import ListingStatus
from tests.factories import (
    make_clinician,
    make_meeting,
    make_place,
    make_report,
    make_sober_living_home,
    make_support_group,
)

pytestmark = pytest.mark.django_db

LISTING_NOTICE = "Someone told us this may have closed or moved. We’re checking."
MEETING_NOTICE = "Someone told us this meeting may not have happened"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def report_url(subject):
    name = "report_meeting" if hasattr(subject, "weekday") else "report_listing"
    return reverse(f"moderation:{name}", args=[subject.slug])


def test_listing_report_form_offers_the_listing_problems(client):
    listing = make_clinician(name="Dr. Ana Reyes")
    response = client.get(report_url(listing))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Report a problem with Dr. Ana Reyes</h1>" in html
    for label in (
        "It has closed or moved",
        "The phone number is wrong",
        "The address is wrong",
        "Something else",
    ):
        assert label in html
    assert "The meeting did not happen" not in html
    assert 'name="phone"' in html
    assert f'href="{listing.get_absolute_url()}">Dr. Ana Reyes</a>' in html


def test_meeting_report_form_offers_the_meeting_problems(client):
    meeting = make_meeting(name="Tuesday Hope")
    html = client.get(report_url(meeting)).content.decode()
    assert "Report a problem with Tuesday Hope" in html
    assert "The meeting did not happen" in html
    assert "The phone number is wrong" not in html
    assert 'name="phone"' not in html


def test_a_listing_report_is_stored_with_its_corrections(client):
    listing = make_clinician()
    response = client.post(
        report_url(listing),
        {
            "problem_type": "wrong_phone",
            "phone": "312-555-0199",
            "details": "Called twice, a fax answered.",
            "contact_email": "",
            "homepage": "",
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/thanks/{submission.reference}/"
    assert submission.kind == SubmissionKind.REPORT
    assert submission.listing_id == listing.pk and submission.meeting is None
    assert submission.problem_type == ProblemType.WRONG_PHONE
    assert submission.phone == "312-555-0199"
    assert submission.details == "Called twice, a fax answered."
    assert submission.status == SubmissionStatus.OPEN


def test_a_meeting_report_is_stored(client):
    meeting = make_meeting()
    client.post(report_url(meeting), {"problem_type": "did_not_happen", "details": "Door locked."})
    submission = Submission.objects.get()
    assert submission.meeting_id == meeting.pk and submission.listing is None
    assert submission.problem_type == ProblemType.DID_NOT_HAPPEN


def test_a_meeting_cannot_be_reported_for_a_wrong_phone(client):
    response = client.post(report_url(make_meeting()), {"problem_type": "wrong_phone"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what is wrong."),
        ({"problem_type": "other"}, "Tell us what is wrong."),
        ({"problem_type": "other", "details": "x" * 2001}, "at most 2000 characters"),
        ({"problem_type": "wrong_phone", "phone": "12"}, "Enter a phone number"),
        ({"problem_type": "wrong_address", "postal_code": "606140"}, "Enter a 5-digit ZIP"),
        ({"problem_type": "wrong_address", "region": "I"}, "Enter the state as two letters"),
        ({"problem_type": "closed", "contact_email": "x" * 250 + "@a.bc"}, "at most 254"),
    ],
)
def test_bad_reports_are_explained_and_nothing_is_stored(client, data, message):
    response = client.post(report_url(make_clinician()), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "There is a problem with the form" in html
    assert not Submission.objects.exists()


def test_a_filled_honeypot_on_a_report_stores_nothing(client):
    response = client.post(
        report_url(make_clinician()), {"problem_type": "closed", "homepage": "buy now"}
    )
    assert response.status_code == 302
    assert not Submission.objects.exists()


def test_reports_share_the_hourly_limit_with_suggestions(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    listing, meeting = make_clinician(), make_meeting()
    assert client.post(report_url(listing), {"problem_type": "closed"}).status_code == 302
    assert client.post(report_url(meeting), {"problem_type": "closed"}).status_code == 302
    response = client.post(report_url(listing), {"problem_type": "other", "details": "x"})
    assert response.status_code == 429
    assert Submission.objects.count() == 2


def test_only_public_listings_and_meetings_can_be_reported(client):
    draft = make_clinician(status=ListingStatus.DRAFT)
    gone = make_meeting(status=MeetingStatus.INACTIVE)
    assert client.get(report_url(draft)).status_code == 404
    assert client.post(report_url(draft), {"problem_type": "closed"}).status_code == 404
    assert client.get(report_url(gone)).status_code == 404
    assert client.get("/listings/no-such-listing/report/").status_code == 404
    assert not Submission.objects.exists()


# The notice on the page while a report waits for a curator


def test_an_open_closed_report_puts_a_notice_on_the_listing_page(client):
    listing = make_sober_living_home()
    assert LISTING_NOTICE not in client.get(listing.get_absolute_url()).content.decode()
    make_report(listing=listing, problem_type=ProblemType.CLOSED)
    assert LISTING_NOTICE in client.get(listing.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "problem", [ProblemType.WRONG_PHONE, ProblemType.WRONG_ADDRESS, ProblemType.OTHER]
)
def test_other_problems_put_no_notice_on_the_page(client, problem):
    listing = make_clinician()
    make_report(listing=listing, problem_type=problem)
    assert LISTING_NOTICE not in client.get(listing.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", [SubmissionStatus.APPROVED, SubmissionStatus.REJECTED])
def test_a_decided_report_puts_no_notice_on_the_page(client, status):
    listing = make_clinician()
    report = make_report(listing=listing, problem_type=ProblemType.CLOSED)
    Submission.objects.filter(pk=report.pk).update(
        status=status, decided_at="2026-11-20T10:00:00Z", rejection_reason="Still open."
    )
    assert LISTING_NOTICE not in client.get(listing.get_absolute_url()).content.decode()


def test_a_report_on_another_listing_puts_no_notice_here(client):
    listing = make_clinician()
    make_report(listing=make_clinician(), problem_type=ProblemType.CLOSED)
    assert LISTING_NOTICE not in client.get(listing.get_absolute_url()).content.decode()


@pytest.mark.parametrize("problem", [ProblemType.DID_NOT_HAPPEN, ProblemType.CLOSED])
def test_an_open_did_not_happen_report_puts_a_notice_on_the_meeting_page(client, problem):
    meeting = make_meeting()
    other = make_meeting(group=meeting.group)
    make_report(meeting=meeting, problem_type=problem)
    assert MEETING_NOTICE in client.get(meeting.get_absolute_url()).content.decode()
    assert MEETING_NOTICE not in client.get(other.get_absolute_url()).content.decode()


def test_a_wrong_address_report_puts_no_notice_on_the_meeting_page(client):
    meeting = make_meeting()
    make_report(meeting=meeting, problem_type=ProblemType.WRONG_ADDRESS)
    assert MEETING_NOTICE not in client.get(meeting.get_absolute_url()).content.decode()


def test_the_notice_costs_the_listing_page_no_query(client, django_assert_num_queries):
    listing = make_clinician()
    for _ in range(3):
        make_report(listing=listing, problem_type=ProblemType.CLOSED)
    # 1. the listing, its kind's table, its organization and whether a report is pending
    # 2. its terms
    # 3. its opening hours
    with django_assert_num_queries(3):
        html = client.get(listing.get_absolute_url()).content.decode()
    assert html.count(LISTING_NOTICE) == 1


def test_the_notice_costs_the_group_page_no_query(client, django_assert_num_queries):
    group = make_support_group()
    make_meeting(group=group, place=make_place(), types=["O"])
    make_report(listing=group, problem_type=ProblemType.CLOSED)
    # 1. the group with its fellowship and pending report; 2. terms; 3. hours;
    # 4. meetings with places; 5. meeting types
    with django_assert_num_queries(5):
        html = client.get(group.get_absolute_url()).content.decode()
    assert LISTING_NOTICE in html


def test_the_notice_costs_the_meeting_page_no_query(client, django_assert_num_queries):
    meeting = make_meeting(place=make_place(), types=["O", "W"])
    make_report(meeting=meeting, problem_type=ProblemType.DID_NOT_HAPPEN)
    guide_links()  # kept for every page until anything public changes
    # 1. the meeting with its group, fellowship, place and pending report; 2. its types
    with django_assert_num_queries(2):
        html = client.get(meeting.get_absolute_url()).content.decode()
    assert MEETING_NOTICE in html


def test_the_report_link_is_on_every_listing_and_meeting_page(client):
    listing, meeting = make_clinician(), make_meeting()
    listing_html = client.get(listing.get_absolute_url()).content.decode()
    meeting_html = client.get(meeting.get_absolute_url()).content.decode()
    assert re.search(rf'<a href="{report_url(listing)}">Report a problem', listing_html)
    assert re.search(rf'<a href="{report_url(meeting)}">Report a problem', meeting_html)
    # Browsing the pages sets no cookie; only the form does.
    assert not client.get(listing.get_absolute_url()).cookies
    assert set(client.get(report_url(listing)).cookies) == {"csrftoken"}


def test_the_form_pages_take_one_query(client, django_assert_num_queries):
    listing, meeting = make_clinician(), make_meeting()
    # The fellowships for the suggestion form's list
    with django_assert_num_queries(1):
        client.get("/suggest/")
    # The listing, or the meeting with its group
    with django_assert_num_queries(1):
        client.get(report_url(listing))
    with django_assert_num_queries(1):
        client.get(report_url(meeting))
