"""Submitters' details are kept no longer than needed: the daily purge
(``manage.py purge_submissions``) and a superuser's "Erase the submitter's details"."""

import html
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from moderation import review
from moderation.models import SUBMITTER_FIELDS, Submission, SubmissionStatus
from resources.models import Clinician
from tests.factories import make_clinician, make_curator, make_report, make_suggestion, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_submission_changelist")
EMAIL = "pat.private@example.net"
DETAILS = "I am Pat, call me on 773-555-0199 about the clinic on Elm St."


def purge(*args):
    out = io.StringIO()
    call_command("purge_submissions", *args, stdout=out)
    return out.getvalue()


def aged(submission, received_days_ago, decided_days_ago=None):
    """Move a submission back in time: received, and decided, that many days ago."""
    now = timezone.now()
    fields = {"created_at": now - timedelta(days=received_days_ago)}
    if decided_days_ago is not None:
        fields["decided_at"] = now - timedelta(days=decided_days_ago)
    Submission.objects.filter(pk=submission.pk).update(**fields)
    submission.refresh_from_db()
    return submission


def whole_database():
    """Every row of every table, history tables and the admin log included, as JSON."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def a_rejected_suggestion(curator):
    suggestion = make_suggestion(
        name="Pat's kitchen-table counseling",
        phone="773-555-0199",
        email="pat.clinic@example.net",
        contact_email=EMAIL,
        offers="Counseling at my home",
    )
    review.reject(suggestion, curator, "Not a public service.")
    return suggestion


# The daily purge


def test_purge_erases_what_submitters_wrote_once_decided_long_ago(settings):
    settings.SUBMISSION_RETENTION_DAYS = 180
    curator = make_curator(username="casey")
    old = a_rejected_suggestion(curator)
    aged(old, received_days_ago=400, decided_days_ago=181)
    recent = a_rejected_suggestion(curator)
    aged(recent, received_days_ago=400, decided_days_ago=179)

    output = purge()

    assert "Erased the submitter's details from 1 submission decided more than 180 days ago." in (
        output
    )
    old.refresh_from_db()
    assert all(getattr(old, name) == "" for name in SUBMITTER_FIELDS)
    assert old.erased_at is not None
    # The decision, the reference and who decided stay.
    assert old.status == SubmissionStatus.REJECTED
    assert old.rejection_reason == "Not a public service."
    assert old.decided_by == curator
    assert old.reference.startswith("RS-")
    assert old.listing_kind == "treatment_program"
    assert str(old) == f"{old.reference}: (details erased)"
    # Decided 179 days ago: kept as it was.
    recent.refresh_from_db()
    assert recent.contact_email == EMAIL
    assert recent.erased_at is None


def test_an_approved_report_keeps_its_subject_and_the_listing_history_it_made(settings):
    settings.SUBMISSION_RETENTION_DAYS = 30
    curator = make_curator()
    clinic = make_clinician(phone="312-555-0100")
    report = make_report(
        listing=clinic,
        problem_type="wrong_phone",
        phone="312-555-0111",
        details=DETAILS,
        contact_email=EMAIL,
    )
    review.approve(report, curator)
    aged(report, received_days_ago=60, decided_days_ago=31)

    purge()

    report.refresh_from_db()
    assert (report.details, report.contact_email, report.phone) == ("", "", "")
    assert report.listing_id == clinic.pk
    assert report.problem_type == "wrong_phone"
    assert report.status == SubmissionStatus.APPROVED
    # What the approval changed is the listing's own history, kept with the reference.
    change = Clinician.history.filter(id=clinic.pk).order_by("-history_id").first()
    assert change.phone == "312-555-0111"
    assert change.history_change_reason.startswith(f"Approved {report.reference}")


def test_after_the_purge_no_table_holds_what_the_submitter_wrote(settings):
    settings.SUBMISSION_RETENTION_DAYS = 30
    curator = make_curator()
    suggestion = a_rejected_suggestion(curator)
    report = make_report(details=DETAILS, contact_email=EMAIL)
    review.reject(report, curator, "Could not confirm.")
    for submission in (suggestion, report):
        aged(submission, received_days_ago=90, decided_days_ago=60)
    before = whole_database()
    assert EMAIL in before and "773-555-0199" in before and "Pat's kitchen-table" in before

    purge()

    after = whole_database()
    for written in (EMAIL, "773-555-0199", "Pat's kitchen-table", "pat.clinic@", DETAILS):
        assert written not in after


def test_open_submissions_stay_but_lose_the_follow_up_email(settings):
    settings.SUBMISSION_RETENTION_DAYS = 180
    stale = aged(make_report(details=DETAILS, contact_email=EMAIL), received_days_ago=181)
    fresh = aged(make_report(details=DETAILS, contact_email=EMAIL), received_days_ago=10)

    output = purge()

    assert "Removed the follow-up email from 1 open submission" in output
    stale.refresh_from_db()
    assert stale.contact_email == ""
    # Still to be decided: what it says is kept, and it is still in the queue.
    assert stale.details == DETAILS
    assert stale.status == SubmissionStatus.OPEN
    assert stale.erased_at is None
    assert Submission.objects.open().filter(pk=stale.pk).exists()
    fresh.refresh_from_db()
    assert fresh.contact_email == EMAIL


def test_purging_again_changes_nothing(settings):
    settings.SUBMISSION_RETENTION_DAYS = 30
    old = a_rejected_suggestion(make_curator())
    aged(old, received_days_ago=90, decided_days_ago=60)
    purge()
    old.refresh_from_db()
    first_erasure = old.erased_at

    output = purge()

    assert "from 0 submissions decided" in output
    assert "from 0 open submissions" in output
    old.refresh_from_db()
    assert old.erased_at == first_erasure


def test_dry_run_counts_and_changes_nothing(settings):
    settings.SUBMISSION_RETENTION_DAYS = 30
    old = a_rejected_suggestion(make_curator())
    aged(old, received_days_ago=90, decided_days_ago=60)
    stale = aged(make_report(contact_email=EMAIL), received_days_ago=40)

    output = purge("--dry-run")

    assert "Would erase the submitter's details from 1 submission" in output
    assert "Would remove the follow-up email from 1 open submission" in output
    assert "Dry run: nothing was changed." in output
    old.refresh_from_db()
    stale.refresh_from_db()
    assert old.contact_email == EMAIL and old.erased_at is None
    assert stale.contact_email == EMAIL


# Erasing now, in the admin, by a superuser


def erase(client, *submissions, confirm=True):
    data = {"action": "erase_submitter_details", "_selected_action": [s.pk for s in submissions]}
    if confirm:
        data["confirm"] = "yes"
    else:
        data["index"] = "0"
    return client.post(QUEUE, data, follow=confirm)


def test_a_superuser_is_asked_to_confirm_then_the_details_are_erased(admin_client, admin_user):
    curator = make_curator()
    decided = a_rejected_suggestion(curator)
    still_open = make_report(details=DETAILS, contact_email=EMAIL)

    asked = erase(admin_client, decided, still_open, confirm=False)

    assert asked.status_code == 200
    assert "It cannot be undone." in asked.text
    assert decided.reference in asked.text and still_open.reference in asked.text
    decided.refresh_from_db()
    assert decided.contact_email == EMAIL

    done = erase(admin_client, decided, still_open)

    assert "Erased the submitters' details from 2 submissions." in html.unescape(done.text)
    decided.refresh_from_db()
    still_open.refresh_from_db()
    for submission in (decided, still_open):
        assert all(getattr(submission, name) == "" for name in SUBMITTER_FIELDS)
        assert submission.erased_at is not None
    # The decision stays; the open one is closed, saying why, so nobody approves an empty one.
    assert decided.status == SubmissionStatus.REJECTED
    assert decided.rejection_reason == "Not a public service."
    assert decided.decided_by == curator
    assert still_open.status == SubmissionStatus.REJECTED
    assert still_open.decided_by == admin_user
    assert still_open.rejection_reason == "The submitter's details were erased before a decision."
    # The admin log says who erased them, and keeps nothing that was erased.
    entries = LogEntry.objects.filter(object_id__in=[str(decided.pk), str(still_open.pk)])
    assert entries.count() == 2
    assert {entry.user for entry in entries} == {admin_user}
    assert all("Pat" not in entry.object_repr for entry in entries)
    assert EMAIL not in whole_database()


def test_the_review_page_offers_erasing_to_superusers_only(client, admin_client):
    submission = make_report(contact_email=EMAIL)
    page = reverse("admin:moderation_submission_change", args=[submission.pk])
    curator_client = client
    curator_client.force_login(make_curator())

    assert 'value="erase_submitter_details"' in admin_client.get(page).text
    assert 'value="erase_submitter_details"' not in curator_client.get(page).text
    assert 'value="erase_submitter_details"' in admin_client.get(QUEUE).text
    assert 'value="erase_submitter_details"' not in curator_client.get(QUEUE).text


@pytest.mark.parametrize("confirm", [False, True])
def test_a_curator_who_is_not_a_superuser_cannot_erase(client, confirm):
    submission = make_report(details=DETAILS, contact_email=EMAIL)
    client.force_login(make_curator())

    response = erase(client, submission, confirm=confirm)

    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.contact_email == EMAIL
    assert submission.details == DETAILS
    assert submission.status == SubmissionStatus.OPEN


def test_staff_with_every_submission_permission_but_not_superuser_cannot_erase(client):
    from django.contrib.auth.models import Permission

    user = make_user()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="moderation"))
    submission = make_report(contact_email=EMAIL)
    client.force_login(user)

    assert erase(client, submission).status_code == 403
    submission.refresh_from_db()
    assert submission.contact_email == EMAIL


def test_an_erased_submission_reads_as_erased_in_the_queue(admin_client):
    suggestion = a_rejected_suggestion(make_curator())
    erase(admin_client, suggestion)
    suggestion.refresh_from_db()

    review_page = admin_client.get(
        reverse("admin:moderation_submission_change", args=[suggestion.pk])
    ).text
    queue = admin_client.get(QUEUE).text

    assert "Submitter’s details erased" in review_page
    assert "(details erased)" in queue
    assert "Pat" not in review_page and "Pat" not in queue
    # Nothing left to erase: no button.
    assert 'value="erase_submitter_details"' not in review_page


def test_the_privacy_page_says_how_long_details_are_kept(client, settings):
    settings.SUBMISSION_RETENTION_DAYS = 90
    page = client.get(reverse("directory:privacy")).text
    assert "is kept for 90 days" in page
    assert "If nobody has decided after 90 days, your email is erased" in page


@pytest.mark.parametrize("days", ["0", "half a year"])
def test_a_retention_that_is_not_a_number_of_days_stops_start_up(days):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).parents[1],
        env={**os.environ, "DEBUG": "true", "SUBMISSION_RETENTION_DAYS": days},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SUBMISSION_RETENTION_DAYS must be" in result.stderr
