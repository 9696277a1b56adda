"""Freshness: old listings are marked on their page and, past a set age, leave search."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from resources.models import Listing
from tests.factories import days_ago, make_clinician

pytestmark = pytest.mark.django_db


def test_listings_past_the_stale_age_leave_search_and_browse_but_keep_their_page(client):
    fresh = make_clinician(name="Fresh Counseling", last_verified_on=days_ago(30))
    stale = make_clinician(name="Stale Counseling", last_verified_on=days_ago(731))
    never = make_clinician(name="Never Checked Counseling", last_verified_on=None)

    search = client.get(reverse("directory:search"), {"q": "counseling"}).content.decode()
    browse = client.get(
        reverse("directory:browse", args=["doctors-and-therapists"])
    ).content.decode()
    api = client.get("/api/v1/listings/", {"q": "counseling"}).json()

    for html in (search, browse):
        assert fresh.name in html
        assert never.name in html
        assert stale.name not in html
    assert {row["slug"] for row in api["results"]} == {fresh.slug, never.slug}
    stale_page = client.get(stale.get_absolute_url()).content.decode()
    assert "This information may be out of date." in stale_page


def test_the_stale_age_is_a_setting(client, settings):
    settings.STALE_AFTER_DAYS = 90
    recent = make_clinician(last_verified_on=days_ago(60))
    older = make_clinician(last_verified_on=days_ago(120))

    assert set(Listing.objects.searchable()) == {recent.listing_ptr}
    assert older.listing_ptr not in Listing.objects.searchable()


def test_reverifying_brings_a_listing_back_into_search(client):
    stale = make_clinician(name="Back Again Clinic", last_verified_on=days_ago(800))
    assert stale.name not in client.get("/search/", {"q": "back again"}).content.decode()

    stale.last_verified_on = timezone.localdate()
    stale.save()

    assert stale.name in client.get("/search/", {"q": "back again"}).content.decode()


def test_pages_say_a_listing_may_be_out_of_date_after_a_year(client):
    checked = make_clinician(last_verified_on=days_ago(200))
    old = make_clinician(last_verified_on=days_ago(400))

    assert "may be out of date" not in client.get(checked.get_absolute_url()).content.decode()
    assert "may be out of date" in client.get(old.get_absolute_url()).content.decode()


def test_stale_listings_command_lists_what_needs_checking_oldest_first():
    make_clinician(name="Checked Last Month", last_verified_on=days_ago(30))
    make_clinician(name="Checked Two Years Ago", last_verified_on=days_ago(800))
    make_clinician(name="Checked Last Year", last_verified_on=days_ago(400))
    never = make_clinician(name="Never Checked", last_verified_on=None)
    make_clinician(name="Old Draft", last_verified_on=days_ago(900), status="draft")
    out, err = StringIO(), StringIO()

    call_command("stale_listings", stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    assert [line.split("\t")[2] for line in lines] == [
        "Never Checked",
        "Checked Two Years Ago",
        "Checked Last Year",
    ]
    assert lines[0].startswith("never\t")
    assert lines[0].endswith(f"/admin/resources/listing/{never.pk}/change/")
    assert "3 published listing(s)" in err.getvalue()


def test_stale_listings_takes_an_age_in_days():
    make_clinician(name="Checked Last Year", last_verified_on=days_ago(400))
    make_clinician(name="Checked Two Years Ago", last_verified_on=days_ago(800))
    out = StringIO()

    call_command("stale_listings", "--older-than", "730", stdout=out, stderr=StringIO())

    assert [line.split("\t")[2] for line in out.getvalue().splitlines()] == [
        "Checked Two Years Ago"
    ]
    with pytest.raises(CommandError, match="0 or more days"):
        call_command("stale_listings", "--older-than", "-1", stderr=StringIO())
