"""Change history: every curated model keeps who changed what and when; admin edits, bulk
actions and imports all write it, and an old version can be restored from the admin."""

import json
from datetime import date, time
from pathlib import Path

import pytest
from django.urls import reverse

from exchange.meeting_guide.importer import import_feed
from groups.models import Fellowship, Meeting, MeetingStatus, Place, SupportGroup
from resources.models import (
    Clinician,
    CommunityResource,
    Helpline,
    Listing,
    ListingStatus,
    Organization,
    SoberLivingHome,
    Term,
    TreatmentProgram,
)
from resources.models.history import one_history_row, record_history
from resources.vocabularies import Vocabulary
from tests import factories
from tests.helpers import change_page_data, form_values

pytestmark = pytest.mark.django_db

GOOD_FEED = Path(__file__).parent / "data" / "meeting_guide" / "good.json"


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def term_codes(record):
    """The vocabulary codes a history row kept with the listing."""
    return set(
        Term.objects.filter(pk__in=record.terms.values("term_id")).values_list("code", flat=True)
    )


def changed_fields(record):
    return {change.field for change in record.diff_against(record.prev_record).changes}


# --- Every curated model keeps its history ------------------------------------------------

CURATED = [
    pytest.param(factories.make_clinician, id="clinician"),
    pytest.param(factories.make_treatment_program, id="program"),
    pytest.param(factories.make_sober_living_home, id="sober-home"),
    pytest.param(factories.make_helpline, id="helpline"),
    pytest.param(factories.make_community_resource, id="community"),
    pytest.param(factories.make_support_group, id="group"),
    pytest.param(factories.make_organization, id="organization"),
    pytest.param(factories.make_place, id="place"),
    pytest.param(factories.make_meeting, id="meeting"),
    pytest.param(lambda: factories.fellowship("NA"), id="fellowship"),
    pytest.param(lambda: factories.term(Vocabulary.LANGUAGE, "es"), id="term"),
    pytest.param(
        lambda: factories.make_opening_hours(factories.make_clinician()),
        id="opening-hours",
    ),
]


@pytest.mark.parametrize("make", CURATED)
def test_every_save_of_a_curated_model_writes_a_history_row_with_its_reason(make, admin_user):
    obj = make()
    before = obj.history.count()
    obj._change_reason = "Checked with the provider"
    obj._history_user = admin_user

    obj.save()

    assert obj.history.count() == before + 1
    latest = obj.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Checked with the provider"
    assert latest.history_user == admin_user
    assert latest.instance.pk == obj.pk


def test_typed_listings_keep_their_inherited_fields_and_no_search_text():
    home = factories.make_sober_living_home(name="Maple House", beds_total=6)

    [created] = home.history.all()

    assert created.history_type == "+"
    assert (created.name, created.city, created.beds_total) == ("Maple House", "Chicago", 6)
    assert created.kind == "sober_living_home"
    assert not hasattr(created, "search_document")


def test_the_bare_listing_has_no_history_of_its_own():
    # Every listing is saved as its kind, whose history holds the inherited fields too.
    assert not hasattr(Listing, "history")
    assert Clinician.history.model._meta.get_field("status")


def test_a_change_of_terms_is_recorded_once_on_the_listings_own_kind():
    clinician = factories.make_clinician(terms={Vocabulary.LANGUAGE: ["en"]})
    spanish = factories.term(Vocabulary.LANGUAGE, "es")
    counts = {model: model.history.count() for model in (Clinician, TreatmentProgram)}

    clinician.terms.add(spanish)

    assert Clinician.history.count() == counts[Clinician] + 1
    assert TreatmentProgram.history.count() == counts[TreatmentProgram]
    assert term_codes(clinician.history.first()) == {"en", "es"}
    assert changed_fields(clinician.history.first()) == {"terms"}


def test_terms_changed_through_the_bare_listing_or_the_term_are_recorded():
    group = factories.make_support_group()
    spanish = factories.term(Vocabulary.LANGUAGE, "es")
    wheelchair = factories.term(Vocabulary.ACCESSIBILITY, "wheelchair")

    Listing.objects.get(pk=group.pk).terms.add(spanish)
    wheelchair.listings.add(group)

    assert [term_codes(row) for row in group.history.all()[:2]] == [
        {"es", "wheelchair"},
        {"es"},
    ]


def test_one_history_row_puts_a_save_and_its_terms_in_one_row():
    clinician = factories.make_clinician(terms={Vocabulary.LANGUAGE: ["en"]})
    before = clinician.history.count()

    clinician.name = "Dr. Lee"
    clinician.save()
    with one_history_row(clinician):
        clinician.terms.set(Term.objects.filter(vocabulary=Vocabulary.LANGUAGE, code="es"))

    assert clinician.history.count() == before + 1
    latest = clinician.history.first()
    assert (latest.name, term_codes(latest)) == ("Dr. Lee", {"es"})
    assert changed_fields(latest) == {"name", "terms"}


def test_meeting_types_are_kept_with_each_meeting_row():
    meeting = factories.make_meeting(types=["O"])

    meeting.types.add(factories.term(Vocabulary.MEETING_TYPE, "D"))

    latest = meeting.history.first()
    kept = Term.objects.filter(pk__in=latest.types.values("term_id"))
    assert set(kept.values_list("code", flat=True)) == {"O", "D"}


def test_record_history_writes_rows_for_bulk_written_objects(admin_user):
    listing = factories.make_treatment_program(terms={Vocabulary.LEVEL_OF_CARE: ["detox"]})
    places = Place.objects.bulk_create([Place(name="Hall A", city="Chicago")])
    listing.status = ListingStatus.ARCHIVED
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.ARCHIVED)

    record_history(places, "+", "Bulk test", user=admin_user)
    record_history([listing], "~", "Bulk test", user=admin_user)

    [place_row] = places[0].history.all()
    assert (place_row.history_type, place_row.name, place_row.history_user) == (
        "+",
        "Hall A",
        admin_user,
    )
    latest = listing.history.first()
    assert (latest.status, latest.history_change_reason) == ("archived", "Bulk test")
    assert term_codes(latest) == {"detox"}


# --- Admin edits ---------------------------------------------------------------------------


def test_an_admin_edit_writes_one_row_naming_the_curator_and_what_changed(admin_client, admin_user):
    clinician = factories.make_clinician(name="Dr. Old", terms={Vocabulary.LANGUAGE: ["en"]})
    url = admin_url(Clinician, "change", clinician.pk)
    data = change_page_data(admin_client.get(url))
    data["name"] = "Dr. New"
    data["language"] = [str(factories.term(Vocabulary.LANGUAGE, "es").pk)]
    before = clinician.history.count()

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert clinician.history.count() == before + 1
    latest = clinician.history.first()
    assert latest.history_user == admin_user
    assert latest.history_type == "~"
    assert (latest.name, term_codes(latest)) == ("Dr. New", {"es"})
    assert changed_fields(latest) == {"name", "terms"}


def test_adding_in_the_admin_writes_a_created_row_with_the_terms(admin_client, admin_user):
    url = admin_url(Helpline, "add")
    data = change_page_data(admin_client.get(url))
    data.update(
        name="Warm Line",
        slug="warm-line",
        helpline_type="hotline",
        scope="national",
        status=ListingStatus.DRAFT,
        phone="312-555-0199",
        language=[str(factories.term(Vocabulary.LANGUAGE, "en").pk)],
    )
    data.pop("offers_in_person", None)
    data["offers_phone"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    [created] = Helpline.objects.get(slug="warm-line").history.all()
    assert (created.history_type, created.history_user) == ("+", admin_user)
    assert term_codes(created) == {"en"}


def test_an_admin_edit_of_a_meeting_records_its_types_in_one_row(admin_client, admin_user):
    meeting = factories.make_meeting(types=["O"])
    url = admin_url(Meeting, "change", meeting.pk)
    data = change_page_data(admin_client.get(url))
    data["types"] = [str(factories.term(Vocabulary.MEETING_TYPE, "C").pk)]
    before = meeting.history.count()

    assert admin_client.post(url, data).status_code == 302

    assert meeting.history.count() == before + 1
    latest = meeting.history.first()
    assert latest.history_user == admin_user
    assert set(
        Term.objects.filter(pk__in=latest.types.values("term_id")).values_list("code", flat=True)
    ) == {"C"}


def test_saving_unchanged_terms_writes_only_the_save(admin_client):
    home = factories.make_sober_living_home(terms={Vocabulary.LANGUAGE: ["en"]})
    url = admin_url(SoberLivingHome, "change", home.pk)
    before = home.history.count()

    assert admin_client.post(url, change_page_data(admin_client.get(url))).status_code == 302

    assert home.history.count() == before + 1
    assert term_codes(home.history.first()) == {"en"}


def test_the_history_page_shows_who_changed_what(admin_client, admin_user):
    program = factories.make_treatment_program(name="Old name")
    program._history_user = admin_user
    program._change_reason = "Called the front desk"
    program.name = "New name"
    program.save()

    response = admin_client.get(admin_url(TreatmentProgram, "history", program.pk))

    assert response.status_code == 200
    assert "Called the front desk" in response.text
    assert admin_user.username in response.text
    assert "Old name" in response.text and "New name" in response.text


def test_the_all_kinds_history_link_opens_the_typed_history(admin_client):
    group = factories.make_support_group()

    response = admin_client.get(admin_url(Listing, "history", group.pk))

    assert response.status_code == 302
    assert response.url == admin_url(SupportGroup, "history", group.pk)


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Organization, factories.make_organization),
        (Place, factories.make_place),
        (Meeting, factories.make_meeting),
        (Fellowship, lambda: factories.fellowship("SMART")),
        (Term, lambda: factories.term(Vocabulary.LANGUAGE, "es")),
        (CommunityResource, factories.make_community_resource),
    ],
)
def test_every_curated_admin_has_a_history_page(admin_client, model, make):
    obj = make()
    obj.save()

    response = admin_client.get(admin_url(model, "history", obj.pk))

    assert response.status_code == 200
    record = obj.history.first()
    assert (
        reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
            args=[obj.pk, record.history_id],
        )
        in response.text
    )


# --- Reverting from the admin ---------------------------------------------------------------


def test_a_listing_is_reverted_to_an_earlier_version_through_the_admin(admin_client, admin_user):
    clinician = factories.make_clinician(
        name="Dr. Ana Ruiz", phone="312-555-0101", terms={Vocabulary.LANGUAGE: ["en", "es"]}
    )
    good_version = clinician.history.first()
    clinician.name, clinician.phone = "Dr. Ana Ruis", "312-555-0999"
    clinician.save()
    clinician.terms.set(Term.objects.filter(vocabulary=Vocabulary.LANGUAGE, code="fr"))

    history = admin_client.get(admin_url(Clinician, "history", clinician.pk))
    revert_url = admin_url(Clinician, "simple_history", clinician.pk, good_version.history_id)
    assert revert_url in history.text
    page = admin_client.get(revert_url)
    assert page.status_code == 200
    data = form_values(page.context["adminform"].form)
    assert data["name"] == "Dr. Ana Ruiz"
    response = admin_client.post(revert_url, data)

    assert response.status_code == 302
    clinician.refresh_from_db()
    assert (clinician.name, clinician.phone) == ("Dr. Ana Ruiz", "312-555-0101")
    assert set(clinician.terms.values_list("code", flat=True)) == {"en", "es"}
    latest = clinician.history.first()
    assert latest.history_user == admin_user
    assert (latest.name, term_codes(latest)) == ("Dr. Ana Ruiz", {"en", "es"})


def test_a_meeting_is_reverted_with_its_types(admin_client):
    meeting = factories.make_meeting(types=["O", "D"], name="Big Book")
    old = meeting.history.first()
    meeting.name = "Renamed"
    meeting.save()
    meeting.types.clear()
    revert_url = admin_url(Meeting, "simple_history", meeting.pk, old.history_id)

    data = form_values(admin_client.get(revert_url).context["adminform"].form)
    assert admin_client.post(revert_url, data).status_code == 302

    meeting.refresh_from_db()
    assert meeting.name == "Big Book"
    assert set(meeting.types.values_list("code", flat=True)) == {"O", "D"}


def test_reverting_cannot_break_the_workflow(admin_client):
    listing = factories.make_community_resource(status=ListingStatus.DRAFT)
    draft_version = listing.history.first()
    listing.status = ListingStatus.PUBLISHED
    listing.save()
    revert_url = admin_url(
        CommunityResource, "simple_history", listing.pk, draft_version.history_id
    )

    data = form_values(admin_client.get(revert_url).context["adminform"].form)
    response = admin_client.post(revert_url, data)

    assert response.status_code == 200
    assert "cannot become draft" in response.text
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


# --- Bulk actions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "reason", "field", "value"),
    [
        ("publish", "Bulk action: publish", "status", ListingStatus.PUBLISHED),
        ("mark_verified_today", "Bulk action: mark verified today", "last_verified_on", None),
    ],
)
def test_bulk_actions_write_one_row_per_listing_with_the_curator(
    admin_client, admin_user, action, reason, field, value
):
    drafts = [
        factories.make_clinician(status=ListingStatus.DRAFT, last_verified_on=date(2020, 1, 1))
        for _ in range(3)
    ]
    before = {listing.pk: listing.history.count() for listing in drafts}

    admin_client.post(
        admin_url(Clinician, "changelist"),
        {"action": action, "_selected_action": [listing.pk for listing in drafts]},
    )

    for listing in drafts:
        assert listing.history.count() == before[listing.pk] + 1
        latest = listing.history.first()
        assert (latest.history_user, latest.history_change_reason) == (admin_user, reason)
        assert changed_fields(latest) >= {field}
        if value:
            assert getattr(latest, field) == value


def test_the_all_kinds_bulk_action_writes_history_on_each_kind(admin_client, admin_user):
    listings = [
        factories.make_clinician(),
        factories.make_support_group(),
        factories.make_sober_living_home(),
        factories.make_helpline(),
    ]

    admin_client.post(
        admin_url(Listing, "changelist"),
        {"action": "archive", "_selected_action": [listing.pk for listing in listings]},
    )

    for listing in listings:
        latest = listing.history.first()
        assert latest.status == ListingStatus.ARCHIVED
        assert (latest.history_user, latest.history_change_reason) == (
            admin_user,
            "Bulk action: archive",
        )


# --- Imports -------------------------------------------------------------------------------


def test_the_meeting_guide_import_writes_history_for_everything_it_creates():
    report = import_feed(json.loads(GOOD_FEED.read_text()), fellowship="AA", source="Intergroup")

    meetings = Meeting.objects.filter(group__source="Intergroup")
    assert meetings.count() == report.created > 0
    reason = "Meeting Guide import from Intergroup"
    for meeting in meetings:
        [row] = meeting.history.all()
        assert (row.history_type, row.history_change_reason, row.name) == (
            "+",
            reason,
            meeting.name,
        )
        assert set(row.types.values_list("term_id", flat=True)) == set(
            meeting.types.values_list("pk", flat=True)
        )
    for group in SupportGroup.objects.filter(source="Intergroup"):
        [row] = group.history.all()
        assert (row.history_type, row.history_change_reason, row.slug) == ("+", reason, group.slug)
        assert row.pk and row.id == group.pk
    places = Place.objects.filter(meetings__group__source="Intergroup").distinct()
    assert places and all(place.history.get().history_type == "+" for place in places)


def test_a_second_import_writes_history_only_for_what_changed(admin_user):
    feed = json.loads(GOOD_FEED.read_text())
    import_feed(feed, fellowship="AA")
    first, *rest = feed
    moved = {**first, "time": "21:00", "end_time": "22:00"}
    unchanged_before = {m.slug: m.history.count() for m in Meeting.objects.all()}

    import_feed([moved, *rest[1:]], fellowship="AA", user=admin_user)

    for meeting in Meeting.objects.all():
        rows = meeting.history.count() - unchanged_before[meeting.slug]
        if meeting.slug == first["slug"]:
            latest = meeting.history.first()
            assert (rows, latest.history_type, latest.start_time) == (1, "~", time(21))
            assert latest.history_user == admin_user
        elif meeting.status == MeetingStatus.INACTIVE:
            assert rows == 1
            assert meeting.history.first().status == MeetingStatus.INACTIVE
        else:
            assert rows == 0, meeting.slug


def test_a_dry_run_writes_no_history():
    import_feed(json.loads(GOOD_FEED.read_text()), fellowship="AA", dry_run=True)

    assert not Meeting.history.exists()
    assert not SupportGroup.history.exists()
