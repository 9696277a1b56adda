"""Visitors confirm a listing's number worked, or a meeting happened: Yes is counted by day and
shows on the page ("Phone confirmed by a visitor 3 days ago") and in the admin; No opens the
report form with its problem ticked and lands in the moderation queue. Only counts and dates
are kept; the listing and meeting pages still set no cookie."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from groups.models import MeetingStatus
from moderation.models import (
    ProblemType,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    VisitorConfirmation,
)
from tests.factories import days_ago, make_clinician, make_curator, make_meeting

pytestmark = pytest.mark.django_db

LISTING_YES = "Phone confirmed by a visitor"
MEETING_YES = "Meeting confirmed by a visitor"
CHECKED_BY_VISITORS = reverse("admin:moderation_listingcheckedbyvisitors_changelist")
MEETINGS_CHECKED_BY_VISITORS = reverse("admin:moderation_meetingcheckedbyvisitors_changelist")


def confirm_url(subject):
    about = "meeting" if hasattr(subject, "weekday") else "listing"
    return reverse(f"moderation:confirm_{about}", args=[subject.slug])


def page(client, subject):
    response = client.get(subject.get_absolute_url())
    assert response.status_code == 200
    return response


# The box on the pages, and no cookie


def test_listing_page_asks_whether_the_number_worked_and_sets_no_cookie(client):
    listing = make_clinician(name="Dr. Ana Reyes", phone="312-555-0142")
    response = page(client, listing)
    html = response.content.decode()
    assert "Did this number work?" in html
    assert f'href="{confirm_url(listing)}"' in html
    report = reverse("moderation:report_listing", args=[listing.slug])
    assert f'href="{report}?problem=wrong_phone"' in html
    # The box is links, not a form: the page needs no CSRF cookie.
    assert "csrfmiddlewaretoken" not in html
    assert response.cookies == {}
    assert LISTING_YES not in html


def test_meeting_page_asks_whether_the_meeting_happened_and_sets_no_cookie(client):
    meeting = make_meeting(name="Tuesday Hope")
    response = page(client, meeting)
    html = response.content.decode()
    assert "Did this meeting happen?" in html
    assert f'href="{confirm_url(meeting)}"' in html
    report = reverse("moderation:report_meeting", args=[meeting.slug])
    assert f'href="{report}?problem=did_not_happen"' in html
    assert "csrfmiddlewaretoken" not in html
    assert response.cookies == {}


def test_no_box_without_a_phone_number_or_for_a_meeting_not_held(client):
    listing = make_clinician(phone="", offers_phone=False)
    meeting = make_meeting(status=MeetingStatus.TEMPORARILY_CLOSED)
    assert "Did this number work?" not in page(client, listing).content.decode()
    assert "Did this meeting happen?" not in page(client, meeting).content.decode()
    assert client.get(confirm_url(listing)).status_code == 404
    assert client.get(confirm_url(meeting)).status_code == 404


# Yes


def test_the_confirmation_page_shows_the_number_and_its_one_button(client):
    listing = make_clinician(name="Dr. Ana Reyes", phone="312-555-0142")
    html = client.get(confirm_url(listing)).content.decode()
    assert "<h1>Did the number for Dr. Ana Reyes work?</h1>" in html
    assert "<strong>312-555-0142</strong>" in html
    assert "Yes, the number worked" in html
    assert not VisitorConfirmation.objects.exists()  # looking is not answering


def test_a_yes_is_counted_and_the_kept_page_shows_it(client):
    listing = make_clinician(phone="312-555-0142")
    assert LISTING_YES not in page(client, listing).content.decode()  # now kept in the cache

    response = client.post(confirm_url(listing))

    assert response.status_code == 302
    assert response["Location"] == f"{listing.get_absolute_url()}#visitor-confirmation"
    html = Client().get(listing.get_absolute_url()).content.decode()
    today = timezone.localdate().isoformat()
    assert f'{LISTING_YES} <time datetime="{today}">today</time>.' in html


def test_only_counts_and_dates_are_kept(client):
    listing = make_clinician()
    client.post(confirm_url(listing), REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Phone/1.0")
    Client().post(confirm_url(listing), REMOTE_ADDR="203.0.113.9")

    row = VisitorConfirmation.objects.get()
    stored = {field.attname for field in VisitorConfirmation._meta.concrete_fields}
    assert stored == {"id", "listing_id", "meeting_id", "day", "yes", "no"}
    assert (row.listing_id, row.meeting_id, row.day, row.yes, row.no) == (
        listing.pk,
        None,
        timezone.localdate(),
        2,
        0,
    )


def test_the_page_says_how_long_ago_the_last_yes_was(client):
    listing = make_clinician()
    VisitorConfirmation.objects.create(listing=listing, day=days_ago(10), yes=4)
    VisitorConfirmation.objects.create(listing=listing, day=days_ago(3), yes=1)
    VisitorConfirmation.objects.create(listing=listing, day=days_ago(1), no=2)
    html = page(client, listing).content.decode()
    assert f'{LISTING_YES} <time datetime="{days_ago(3).isoformat()}">3 days ago</time>.' in html


def test_a_meeting_yes_shows_on_the_meeting_page(client):
    meeting = make_meeting()
    client.post(confirm_url(meeting))
    assert VisitorConfirmation.objects.get(meeting=meeting).yes == 1
    assert f"{MEETING_YES} <time" in page(Client(), meeting).content.decode()


def test_the_yes_form_is_protected_from_other_websites():
    listing = make_clinician()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(confirm_url(listing))
    assert response.status_code == 403
    assert "We could not accept the form" in response.content.decode()
    assert not VisitorConfirmation.objects.exists()


def test_a_robot_filling_the_hidden_field_is_not_counted(client):
    listing = make_clinician()
    response = client.post(confirm_url(listing), {"homepage": "http://spam.example"})
    assert response.status_code == 302
    assert not VisitorConfirmation.objects.exists()


# The same rate limit as reports


def test_yes_shares_the_reports_rate_limit(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    listing = make_clinician()
    meeting = make_meeting()
    assert client.post(confirm_url(listing)).status_code == 302
    report = reverse("moderation:report_meeting", args=[meeting.slug])
    assert client.post(report, {"problem_type": "closed"}).status_code == 302

    refused = client.post(confirm_url(meeting))

    assert refused.status_code == 429
    assert "Please try again later" in refused.content.decode()
    assert refused["Retry-After"]
    assert client.get(confirm_url(listing)).status_code == 429
    assert VisitorConfirmation.objects.get().listing_id == listing.pk


# No


def ticked(html):
    """The values of the ticked radio buttons."""
    return re.findall(r'<input type="radio" name="problem_type" value="(\w+)"[^>]* checked>', html)


def test_no_opens_the_report_form_with_the_problem_ticked(client):
    listing = make_clinician()
    meeting = make_meeting()
    listing_form = client.get(
        reverse("moderation:report_listing", args=[listing.slug]), {"problem": "wrong_phone"}
    )
    meeting_form = client.get(
        reverse("moderation:report_meeting", args=[meeting.slug]), {"problem": "did_not_happen"}
    )
    assert ticked(listing_form.content.decode()) == ["wrong_phone"]
    assert ticked(meeting_form.content.decode()) == ["did_not_happen"]


def test_a_problem_that_does_not_fit_is_not_ticked(client):
    listing = make_clinician()
    html = client.get(
        reverse("moderation:report_listing", args=[listing.slug]), {"problem": "did_not_happen"}
    ).content.decode()
    assert ticked(html) == []


def test_a_no_lands_in_the_queue_and_is_counted(client, admin_client):
    listing = make_clinician(name="Dr. Ana Reyes")
    url = reverse("moderation:report_listing", args=[listing.slug])
    response = client.post(
        f"{url}?problem=wrong_phone",
        {"problem_type": "wrong_phone", "details": "Disconnected when I called."},
    )
    assert response.status_code == 302

    report = Submission.objects.get()
    assert (report.kind, report.status, report.problem_type, report.listing_id) == (
        SubmissionKind.REPORT,
        SubmissionStatus.OPEN,
        ProblemType.WRONG_PHONE,
        listing.pk,
    )
    assert VisitorConfirmation.objects.get(listing=listing).no == 1
    queue = admin_client.get(reverse("admin:moderation_submission_changelist"))
    assert report.reference in queue.content.decode()


def test_a_meeting_that_did_not_happen_is_counted_as_a_no(client):
    meeting = make_meeting()
    url = reverse("moderation:report_meeting", args=[meeting.slug])
    client.post(url, {"problem_type": "did_not_happen", "details": "Door locked."})
    row = VisitorConfirmation.objects.get(meeting=meeting)
    assert (row.yes, row.no) == (0, 1)


# The admin


def test_the_admin_lists_the_last_yes_and_the_counts(admin_client):
    confirmed = make_clinician(name="Confirmed Clinic")
    doubted = make_clinician(name="Doubted Clinic")
    make_clinician(name="Quiet Clinic")
    VisitorConfirmation.objects.create(listing=confirmed, day=days_ago(2), yes=3, no=1)
    VisitorConfirmation.objects.create(listing=confirmed, day=days_ago(40), yes=5)
    VisitorConfirmation.objects.create(listing=doubted, day=days_ago(1), no=2)

    html = admin_client.get(CHECKED_BY_VISITORS).content.decode()
    row = html.split("Confirmed Clinic")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0].split(">")[-1] for cell in row.split("<td")[1:]]
    assert date_format(days_ago(2)) in cells
    assert cells[-2:] == ["3", "1"]  # yes and no in the last 30 days

    only_yes = admin_client.get(CHECKED_BY_VISITORS, {"visitors": "yes"}).content.decode()
    assert "Confirmed Clinic" in only_yes
    assert "Doubted Clinic" not in only_yes
    only_no = admin_client.get(CHECKED_BY_VISITORS, {"visitors": "no"}).content.decode()
    assert "Doubted Clinic" in only_no
    assert "Confirmed Clinic" in only_no
    never = admin_client.get(CHECKED_BY_VISITORS, {"visitors": "never"}).content.decode()
    assert "Quiet Clinic" in never
    assert "Doubted Clinic" not in never


def test_curators_may_read_the_list_but_not_change_it(client):
    client.force_login(make_curator())
    listing = make_clinician(name="Confirmed Clinic")
    VisitorConfirmation.objects.create(listing=listing, day=days_ago(2), yes=1)
    response = client.get(CHECKED_BY_VISITORS)
    assert response.status_code == 200
    assert "Confirmed Clinic" in response.content.decode()
    assert "action-checkbox" not in response.content.decode()


def cells_of(html, name):
    row = html.split(name)[1].split("</tr>")[0]
    return [cell.split("</td>")[0].split(">")[-1] for cell in row.split("<td")[1:]]


def test_the_admin_lists_what_visitors_said_of_meetings(admin_client):
    happened = make_meeting(name="Happened Tuesday")
    doubted = make_meeting(name="Doubted Friday")
    make_meeting(name="Quiet Sunday")
    VisitorConfirmation.objects.create(meeting=happened, day=days_ago(3), yes=2)
    VisitorConfirmation.objects.create(meeting=doubted, day=days_ago(1), no=1)
    VisitorConfirmation.objects.create(meeting=doubted, day=days_ago(45), yes=4)

    html = admin_client.get(MEETINGS_CHECKED_BY_VISITORS).content.decode()
    assert date_format(days_ago(3)) in cells_of(html, "Happened Tuesday")
    assert cells_of(html, "Happened Tuesday")[-2:] == ["2", "0"]
    # The yes of 45 days ago is the last yes, but not counted in the last 30 days.
    assert date_format(days_ago(45)) in cells_of(html, "Doubted Friday")
    assert cells_of(html, "Doubted Friday")[-2:] == ["0", "1"]
    assert "Never" in cells_of(html, "Quiet Sunday")

    only_no = admin_client.get(MEETINGS_CHECKED_BY_VISITORS, {"visitors": "no"})
    assert "Doubted Friday" in only_no.content.decode()
    assert "Happened Tuesday" not in only_no.content.decode()
    never = admin_client.get(MEETINGS_CHECKED_BY_VISITORS, {"visitors": "never"})
    assert "Quiet Sunday" in never.content.decode()
    assert "Happened Tuesday" not in never.content.decode()


def test_curators_may_read_the_meetings_list_but_not_change_it(client):
    client.force_login(make_curator())
    meeting = make_meeting(name="Happened Tuesday")
    VisitorConfirmation.objects.create(meeting=meeting, day=days_ago(2), yes=1)
    response = client.get(MEETINGS_CHECKED_BY_VISITORS)
    assert response.status_code == 200
    assert "Happened Tuesday" in response.content.decode()
    assert "action-checkbox" not in response.content.decode()
