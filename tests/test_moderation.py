"""The moderation queue in the admin, end to end as a curator: the queue, the side-by-side
comparison, approving (the change applied, kept in the history, the listing verified) and
rejecting (with a reason), and never deciding anything twice."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Meeting, MeetingStatus, Place, SupportGroup
from moderation.models import ProblemType, Submission, SubmissionStatus
from resources.models import (
    Clinician,
    ClinicianRole,
    Helpline,
    ListingKind,
    ListingStatus,
    SoberLivingHome,
    TreatmentProgram,
)
from tests.factories import (
    fellowship,
    make_clinician,
    make_curator,
    make_meeting,
    make_place,
    make_report,
    make_sober_living_home,
    make_suggestion,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_submission_changelist")


@pytest.fixture
def curator():
    return make_curator(username="casey")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def review_url(submission):
    return reverse("admin:moderation_submission_change", args=[submission.pk])


def approve(client, submission):
    return client.post(reverse("admin:moderation_submission_approve", args=[submission.pk]))


def reject(client, submission, reason):
    return client.post(
        reverse("admin:moderation_submission_reject", args=[submission.pk]), {"reason": reason}
    )


def latest_history(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_id").first()


def decided(submission):
    submission.refresh_from_db()
    return submission


# The queue


def test_the_queue_lists_open_submissions_first(curator_client, curator):
    old_open = make_report(problem_type=ProblemType.OTHER, details="x")
    rejected = make_report(problem_type=ProblemType.CLOSED)
    Submission.objects.filter(pk=rejected.pk).update(
        status=SubmissionStatus.REJECTED, decided_at=timezone.now(), rejection_reason="No."
    )
    new_open = make_suggestion()

    html = curator_client.get(QUEUE).content.decode()
    positions = [html.index(s.reference) for s in (new_open, old_open, rejected)]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status__exact=open", ["open"], ["rejected"]),
        ("kind__exact=suggestion", ["suggestion"], ["open", "rejected"]),
        ("problem_type__exact=closed", ["rejected"], ["open", "suggestion"]),
    ],
)
def test_the_queue_filters_by_status_kind_and_problem(curator_client, query, shown, hidden):
    submissions = {
        "open": make_report(problem_type=ProblemType.WRONG_PHONE),
        "rejected": make_report(problem_type=ProblemType.CLOSED),
        "suggestion": make_suggestion(),
    }
    Submission.objects.filter(pk=submissions["rejected"].pk).update(
        status=SubmissionStatus.REJECTED, decided_at=timezone.now(), rejection_reason="No."
    )
    html = curator_client.get(f"{QUEUE}?{query}").content.decode()
    for name in shown:
        assert submissions[name].reference in html
    for name in hidden:
        assert submissions[name].reference not in html


def test_the_queue_takes_the_same_queries_for_many_rows(curator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_report()
    make_report(meeting=make_meeting(), problem_type=ProblemType.DID_NOT_HAPPEN)
    with CaptureQueriesContext(connection) as few:
        curator_client.get(QUEUE)
    for _ in range(10):
        make_report()
        make_report(meeting=make_meeting(), problem_type=ProblemType.DID_NOT_HAPPEN)
        make_suggestion()
    with CaptureQueriesContext(connection) as many:
        html = curator_client.get(QUEUE).content.decode()
    assert len(many) == len(few)
    assert html.count("<tr") >= 32


def test_submissions_cannot_be_added_or_deleted_in_the_admin(curator_client, admin_client):
    submission = make_report()
    for client in (curator_client, admin_client):
        assert client.get(reverse("admin:moderation_submission_add")).status_code == 403
        delete = reverse("admin:moderation_submission_delete", args=[submission.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()


# The comparison


def test_a_wrong_phone_report_shows_current_against_proposed(curator_client):
    listing = make_clinician(name="Dr. Lee", phone="312-555-0100")
    report = make_report(
        listing=listing,
        problem_type=ProblemType.WRONG_PHONE,
        phone="312-555-0199",
        details="A fax answered.",
        contact_email="reporter@example.net",
    )
    html = curator_client.get(review_url(report)).content.decode()

    phone_row = re.search(
        r'<tr class="changed">\s*<th scope="row">Listing: phone</th>.*?</tr>', html, re.S
    ).group(0)
    assert "<td>312-555-0100</td>" in phone_row
    assert "<td>312-555-0199</td>" in phone_row
    assert "<td>Changed</td>" in phone_row
    name_row = re.search(r'<tr>\s*<th scope="row">Listing: name</th>.*?</tr>', html, re.S).group(0)
    assert "<td>Same</td>" in name_row
    assert "A fax answered." in html
    assert "reporter@example.net" in html
    assert "Approve " + report.reference in html
    assert "Reject " + report.reference in html


def test_a_suggestion_shows_every_proposed_value_as_new(curator_client):
    suggestion = make_suggestion(name="Harbor Light", website="https://harbor.example.org/")
    html = curator_client.get(review_url(suggestion)).content.decode()
    assert re.search(
        r'<tr class="changed">\s*<th scope="row">New listing: Name</th>\s*'
        r"<td>—</td>\s*<td>Harbor Light</td>",
        html,
    )
    assert "https://harbor.example.org/" in html
    assert "New listing: Status" in html and "<td>Draft</td>" in html


# Approving


def test_approving_a_closed_report_archives_the_listing_with_history(curator_client, curator):
    listing = make_sober_living_home(last_verified_on=date(2025, 1, 1))
    report = make_report(listing=listing, problem_type=ProblemType.CLOSED)

    response = approve(curator_client, report)

    assert response.status_code == 302 and response["Location"] == QUEUE
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ARCHIVED
    assert listing.last_verified_on == timezone.localdate()
    report = decided(report)
    assert report.status == SubmissionStatus.APPROVED
    assert report.decided_by == curator
    assert report.decided_at is not None
    history = latest_history(listing)
    assert history.status == ListingStatus.ARCHIVED
    assert history.history_change_reason == f"Approved {report.reference} (It has closed or moved)"
    assert history.history_user == curator
    assert isinstance(listing, SoberLivingHome)
    # Archived: its page is gone, so nobody is sent to a closed home.
    assert curator_client.get(listing.get_absolute_url()).status_code == 404


def test_approving_a_wrong_phone_report_applies_the_new_number(curator_client):
    listing = make_clinician(phone="312-555-0100")
    report = make_report(
        listing=listing, problem_type=ProblemType.WRONG_PHONE, phone="312-555-0199"
    )
    approve(curator_client, report)
    listing.refresh_from_db()
    assert listing.phone == "312-555-0199"
    assert listing.status == ListingStatus.PUBLISHED
    assert latest_history(listing).phone == "312-555-0199"
    assert Clinician.history.filter(id=listing.pk).count() == 2


def test_approving_a_wrong_address_report_applies_what_was_given(curator_client):
    listing = make_clinician()
    report = make_report(
        listing=listing,
        problem_type=ProblemType.WRONG_ADDRESS,
        address_line1="1 W Madison St",
        postal_code="60602",
    )
    html = curator_client.get(review_url(report)).content.decode()
    assert "check the listing&#x27;s latitude and longitude" in html

    approve(curator_client, report)
    listing.refresh_from_db()
    assert (listing.address_line1, listing.city, listing.postal_code) == (
        "1 W Madison St",
        "Chicago",
        "60602",
    )


def test_approving_an_other_report_only_records_the_check(curator_client):
    listing = make_clinician(phone="312-555-0100", last_verified_on=date(2025, 5, 5))
    report = make_report(
        listing=listing, problem_type=ProblemType.OTHER, details="Hours wrong", phone="999-555-0000"
    )
    approve(curator_client, report)
    listing.refresh_from_db()
    assert listing.phone == "312-555-0100"
    assert listing.last_verified_on == timezone.localdate()
    assert decided(report).status == SubmissionStatus.APPROVED


def test_approving_did_not_happen_closes_the_meeting_for_now(curator_client, curator):
    meeting = make_meeting()
    report = make_report(meeting=meeting, problem_type=ProblemType.DID_NOT_HAPPEN)
    approve(curator_client, report)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.TEMPORARILY_CLOSED
    history = Meeting.history.filter(id=meeting.pk).order_by("-history_id").first()
    assert history.status == MeetingStatus.TEMPORARILY_CLOSED
    assert history.history_change_reason.startswith(f"Approved {report.reference}")
    assert history.history_user == curator
    group = SupportGroup.objects.get(pk=meeting.group_id)
    assert group.last_verified_on == timezone.localdate()
    # Its page stays, saying it is temporarily closed; the "may not be happening" notice goes.
    html = curator_client.get(meeting.get_absolute_url()).content.decode()
    assert "Temporarily closed" in html
    assert "may not have happened" not in html


def test_approving_a_closed_meeting_report_marks_it_no_longer_meeting(curator_client):
    meeting = make_meeting()
    approve(curator_client, make_report(meeting=meeting, problem_type=ProblemType.CLOSED))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INACTIVE


def test_approving_a_meeting_address_changes_its_place(curator_client):
    place = make_place(name="St. Luke's hall")
    meeting = make_meeting(place=place)
    report = make_report(
        meeting=meeting, problem_type=ProblemType.WRONG_ADDRESS, address_line1="500 W Belmont Ave"
    )
    html = curator_client.get(review_url(report)).content.decode()
    assert "Meeting place: address line 1" in html
    assert "every meeting held there" in html
    approve(curator_client, report)
    place.refresh_from_db()
    assert place.address_line1 == "500 W Belmont Ave"
    assert Place.history.filter(id=place.pk).order_by("-history_id").first().address_line1 == (
        "500 W Belmont Ave"
    )


def test_approving_a_suggestion_creates_a_draft_and_opens_it(curator_client, curator):
    suggestion = make_suggestion(
        listing_kind=ListingKind.TREATMENT_PROGRAM,
        name="Harbor Light Center",
        website="https://harbor.example.org/",
        offers="Detox and outpatient care.",
    )
    response = approve(curator_client, suggestion)

    program = TreatmentProgram.objects.get(name="Harbor Light Center")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:resources_treatmentprogram_change", args=[program.pk]
    )
    assert program.status == ListingStatus.DRAFT
    assert program.slug == "harbor-light-center"
    assert program.phone == "312-555-0177"
    assert program.website == "https://harbor.example.org/"
    assert program.description == "Detox and outpatient care."
    assert program.source == f"Public suggestion {suggestion.reference}"
    assert program.last_verified_on is None
    suggestion = decided(suggestion)
    assert suggestion.status == SubmissionStatus.APPROVED
    assert suggestion.created_listing_id == program.pk
    history = TreatmentProgram.history.get(id=program.pk)
    assert history.history_type == "+"
    assert history.history_change_reason == f"Approved {suggestion.reference} (suggestion)"
    assert history.history_user == curator
    page = curator_client.get(response["Location"])
    assert page.status_code == 200
    assert f"Approved {suggestion.reference}" in page.content.decode()


@pytest.mark.parametrize(
    ("kind", "model", "check"),
    [
        (ListingKind.CLINICIAN, Clinician, lambda listing: listing.role == ClinicianRole.THERAPIST),
        (ListingKind.HELPLINE, Helpline, lambda listing: listing.offers_phone),
        (
            ListingKind.SOBER_LIVING_HOME,
            SoberLivingHome,
            lambda listing: listing.location_precision == "approximate",
        ),
        (
            ListingKind.SUPPORT_GROUP,
            SupportGroup,
            lambda listing: listing.fellowship.short_name == "NA",
        ),
    ],
)
def test_approving_a_suggestion_creates_a_listing_of_the_suggested_kind(
    curator_client, kind, model, check
):
    suggestion = make_suggestion(listing_kind=kind, name="Same Name", fellowship=fellowship("NA"))
    make_clinician(slug="same-name")
    approve(curator_client, suggestion)
    listing = model.objects.get(name="Same Name")
    assert listing.slug == "same-name-2"
    assert check(listing)


def test_a_decided_submission_cannot_be_approved_again(curator_client):
    listing = make_clinician(phone="312-555-0100")
    report = make_report(
        listing=listing, problem_type=ProblemType.WRONG_PHONE, phone="312-555-0199"
    )
    approve(curator_client, report)
    first_decision = decided(report).decided_at
    listing.phone = "312-555-0111"
    listing.save()

    response = approve(curator_client, report)

    assert response.status_code == 302
    messages = curator_client.get(response["Location"]).content.decode()
    assert "Someone has already decided this submission." in messages
    listing.refresh_from_db()
    assert listing.phone == "312-555-0111"
    assert decided(report).decided_at == first_decision
    assert reject(curator_client, report, "Changed my mind").status_code == 302
    assert decided(report).status == SubmissionStatus.APPROVED


def test_an_approved_suggestion_is_not_created_twice(curator_client):
    suggestion = make_suggestion(name="Only Once")
    approve(curator_client, suggestion)
    approve(curator_client, suggestion)
    assert TreatmentProgram.objects.filter(name="Only Once").count() == 1


def test_decided_submissions_show_the_decision_and_no_buttons(curator_client, curator):
    report = make_report(problem_type=ProblemType.CLOSED)
    reject(curator_client, report, "Called them: still open.")
    html = curator_client.get(review_url(report)).content.decode()
    assert "Called them: still open." in html
    assert "by casey" in html
    assert "Approve " + report.reference not in html
    assert "What approving changes" not in html


def test_approve_and_reject_only_answer_post(curator_client):
    report = make_report()
    url = reverse("admin:moderation_submission_approve", args=[report.pk])
    assert curator_client.get(url).status_code == 405
    assert decided(report).status == SubmissionStatus.OPEN


# Rejecting


def test_rejecting_needs_a_reason(curator_client):
    listing = make_clinician(phone="312-555-0100")
    report = make_report(
        listing=listing, problem_type=ProblemType.WRONG_PHONE, phone="312-555-0199"
    )
    response = reject(curator_client, report, "   ")
    assert response.status_code == 400
    assert "Say why you reject it." in response.content.decode()
    assert decided(report).status == SubmissionStatus.OPEN

    too_long = reject(curator_client, report, "x" * 501)
    assert too_long.status_code == 400
    assert decided(report).status == SubmissionStatus.OPEN


def test_rejecting_records_the_reason_and_changes_nothing_else(curator_client, curator):
    listing = make_clinician(phone="312-555-0100", last_verified_on=date(2025, 5, 5))
    report = make_report(listing=listing, problem_type=ProblemType.CLOSED)
    history_rows = Clinician.history.filter(id=listing.pk).count()

    response = reject(curator_client, report, "Called them: still open.")

    assert response.status_code == 302 and response["Location"] == QUEUE
    report = decided(report)
    assert report.status == SubmissionStatus.REJECTED
    assert report.rejection_reason == "Called them: still open."
    assert report.decided_by == curator and report.decided_at is not None
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.last_verified_on == date(2025, 5, 5)
    assert Clinician.history.filter(id=listing.pk).count() == history_rows
    # The notice goes away with the decision.
    assert "We’re checking" not in curator_client.get(listing.get_absolute_url()).content.decode()


def test_rejecting_a_suggestion_creates_nothing(curator_client):
    suggestion = make_suggestion(name="Not Real")
    reject(curator_client, suggestion, "Could not find it.")
    assert not TreatmentProgram.objects.filter(name="Not Real").exists()
    assert decided(suggestion).created_listing is None
