"""The curators' admin: every model can be listed, added and edited; vocabulary terms are
chosen per vocabulary without losing any; bad input is explained and nothing is written;
changelists cost the same number of queries however many rows they show."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, Fellowship, Meeting, Place, SupportGroup
from resources.models import (
    Clinician,
    ClinicianRole,
    CommunityResource,
    Helpline,
    Listing,
    ListingKind,
    ListingStatus,
    Organization,
    SoberLivingHome,
    Term,
    TreatmentProgram,
)
from resources.vocabularies import Vocabulary
from tests import factories

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def display_name(obj):
    return obj.label if isinstance(obj, Term) else obj.name


def codes(listing):
    return set(listing.terms.values_list("vocabulary", "code"))


def term_pks(vocabulary, *term_codes):
    return [factories.term(vocabulary, code).pk for code in term_codes]


def _posted_value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return None if value is None else str(value)


def _fields_data(form):
    data = {}
    for bound in form:
        value = _posted_value(bound.value())
        if value is not None:
            data[bound.html_name] = value
    return data


def form_data(response):
    """What the admin page would post back untouched: its form, inlines and management forms."""
    data = _fields_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(_fields_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_fields_data(form))
    return data


def assert_saved(response):
    """The admin redirects after a successful save; otherwise show why it did not."""
    if response.status_code != 302:
        context = response.context
        errors = context["errors"] if context and "errors" in context else response.content[:500]
        pytest.fail(f"The admin did not save: {errors!r}")


# --- Every registered model: changelist, add page and change page ------------------------

# (model, a factory making one object of it, whether curators may add one here)
EVERY_MODEL = [
    pytest.param(Clinician, factories.make_clinician, True, id="clinician"),
    pytest.param(TreatmentProgram, factories.make_treatment_program, True, id="program"),
    pytest.param(SoberLivingHome, factories.make_sober_living_home, True, id="sober-home"),
    pytest.param(Helpline, factories.make_helpline, True, id="helpline"),
    pytest.param(CommunityResource, factories.make_community_resource, True, id="community"),
    pytest.param(SupportGroup, factories.make_support_group, True, id="group"),
    pytest.param(Listing, factories.make_sober_living_home, False, id="listing"),
    pytest.param(Organization, factories.make_organization, True, id="organization"),
    pytest.param(Term, lambda: factories.term(Vocabulary.LANGUAGE, "so"), False, id="term"),
    pytest.param(Fellowship, lambda: factories.fellowship("SMART"), True, id="fellowship"),
    pytest.param(Place, factories.make_place, True, id="place"),
    pytest.param(Meeting, factories.make_meeting, True, id="meeting"),
]


@pytest.mark.parametrize(("model", "make", "can_add"), EVERY_MODEL)
def test_changelist_lists_the_object(admin_client, model, make, can_add):
    obj = make()

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert obj.pk in [row.pk for row in response.context["cl"].result_list]
    assert display_name(obj) in response.text


@pytest.mark.parametrize(("model", "make", "can_add"), EVERY_MODEL)
def test_change_page_shows_the_object(admin_client, model, make, can_add):
    obj = make()

    response = admin_client.get(admin_url(model, "change", obj.pk), follow=True)

    assert response.status_code == 200
    assert response.context["original"].pk == obj.pk
    assert display_name(obj) in response.text


@pytest.mark.parametrize(("model", "make", "can_add"), EVERY_MODEL)
def test_add_page_is_offered_only_where_adding_makes_sense(admin_client, model, make, can_add):
    response = admin_client.get(admin_url(model, "add"))

    if can_add:
        assert response.status_code == 200
        assert response.context["add"] is True
        assert 'name="name"' in response.text
    else:
        assert response.status_code == 403
        changelist = admin_client.get(admin_url(model, "changelist"))
        assert admin_url(model, "add") not in changelist.text


# --- Vocabulary terms: one field per vocabulary, stored in one relation -------------------


def test_listing_form_has_one_field_per_vocabulary_and_no_raw_terms(admin_client):
    response = admin_client.get(admin_url(TreatmentProgram, "add"))

    fields = response.context["adminform"].form.fields
    assert "terms" not in fields
    for vocabulary in TreatmentProgram.vocabularies:
        assert {term.vocabulary for term in fields[vocabulary.value].queryset} == {vocabulary}
        assert fields[vocabulary.value].label == vocabulary.label
    assert "What it offers" in response.text
    [detox] = term_pks(Vocabulary.LEVEL_OF_CARE, "detox")
    assert f'name="level_of_care" value="{detox}"' in response.text
    assert "Withdrawal management (detox)" in response.text
    # A clinician is not a program: no level of care to choose.
    clinician_form = admin_client.get(admin_url(Clinician, "add")).context["adminform"].form
    assert "level_of_care" not in clinician_form.fields


def test_adding_a_clinician_stores_the_chosen_terms(admin_client):
    url = admin_url(Clinician, "add")
    data = form_data(admin_client.get(url))
    data.update(
        name="Dr. Ana Ruiz",
        slug="dr-ana-ruiz",
        role=ClinicianRole.ADDICTION_MEDICINE,
        status=ListingStatus.PUBLISHED,
        latitude="41.924800",
        longitude="-87.641400",
        language=term_pks(Vocabulary.LANGUAGE, "en", "es"),
        payment=term_pks(Vocabulary.PAYMENT, "medicaid"),
        medication=term_pks(Vocabulary.MEDICATION, "buprenorphine", "naltrexone"),
    )

    assert_saved(admin_client.post(url, data))

    clinician = Clinician.objects.get(slug="dr-ana-ruiz")
    assert clinician.kind == ListingKind.CLINICIAN
    assert clinician.role == ClinicianRole.ADDICTION_MEDICINE
    assert codes(clinician) == {
        (Vocabulary.LANGUAGE, "en"),
        (Vocabulary.LANGUAGE, "es"),
        (Vocabulary.PAYMENT, "medicaid"),
        (Vocabulary.MEDICATION, "buprenorphine"),
        (Vocabulary.MEDICATION, "naltrexone"),
    }


def test_adding_a_treatment_program_stores_terms_and_opening_hours(admin_client):
    url = admin_url(TreatmentProgram, "add")
    data = form_data(admin_client.get(url))
    data.update(
        {
            "name": "Lakeview Recovery Clinic",
            "slug": "lakeview-recovery-clinic",
            "is_opioid_treatment_program": "on",
            "level_of_care": term_pks(
                Vocabulary.LEVEL_OF_CARE, "outpatient", "intensive-outpatient"
            ),
            "accreditation": term_pks(Vocabulary.ACCREDITATION, "carf"),
            "therapy_approach": term_pks(Vocabulary.THERAPY_APPROACH, "cbt"),
            "substance": term_pks(Vocabulary.SUBSTANCE, "opioids"),
            "opening_hours-TOTAL_FORMS": "1",
            "opening_hours-0-weekday": "1",
            "opening_hours-0-opens": "09:00",
            "opening_hours-0-closes": "17:00",
        }
    )

    assert_saved(admin_client.post(url, data))

    program = TreatmentProgram.objects.get(slug="lakeview-recovery-clinic")
    assert program.kind == ListingKind.TREATMENT_PROGRAM
    assert program.is_opioid_treatment_program is True
    assert codes(program) == {
        (Vocabulary.LEVEL_OF_CARE, "outpatient"),
        (Vocabulary.LEVEL_OF_CARE, "intensive-outpatient"),
        (Vocabulary.ACCREDITATION, "carf"),
        (Vocabulary.THERAPY_APPROACH, "cbt"),
        (Vocabulary.SUBSTANCE, "opioids"),
    }
    assert [str(hours) for hours in program.opening_hours.all()] == ["Monday 09:00–17:00"]


def test_editing_a_listing_keeps_retired_terms_and_terms_of_other_vocabularies(admin_client):
    # Level of care is not a clinician vocabulary (an importer may have set it): no field shows it.
    clinician = factories.make_clinician(
        terms={
            Vocabulary.LANGUAGE: ["en", "es"],
            Vocabulary.MEDICATION: ["naltrexone"],
            Vocabulary.LEVEL_OF_CARE: ["outpatient"],
        }
    )
    Term.objects.filter(vocabulary=Vocabulary.LANGUAGE, code="es").update(is_active=False)
    url = admin_url(Clinician, "change", clinician.pk)

    page = admin_client.get(url)
    assert "Spanish (retired)" in page.text
    data = form_data(page)
    assert data["language"] == [str(pk) for pk in term_pks(Vocabulary.LANGUAGE, "en", "es")]
    data["payment"] = term_pks(Vocabulary.PAYMENT, "free")
    data["summary"] = "Now also free of charge."
    assert_saved(admin_client.post(url, data))

    clinician.refresh_from_db()
    assert clinician.summary == "Now also free of charge."
    assert codes(clinician) == {
        (Vocabulary.LANGUAGE, "en"),
        (Vocabulary.LANGUAGE, "es"),
        (Vocabulary.MEDICATION, "naltrexone"),
        (Vocabulary.LEVEL_OF_CARE, "outpatient"),
        (Vocabulary.PAYMENT, "free"),
    }


def test_unticking_a_term_removes_only_that_term(admin_client):
    group = factories.make_support_group(
        terms={Vocabulary.LANGUAGE: ["en", "es"], Vocabulary.SUBSTANCE: ["alcohol"]}
    )
    factories.make_meeting(group=group, name="Tuesday Night Step Study")
    url = admin_url(SupportGroup, "change", group.pk)
    data = form_data(admin_client.get(url))
    data["language"] = term_pks(Vocabulary.LANGUAGE, "en")

    assert_saved(admin_client.post(url, data))

    assert codes(group) == {(Vocabulary.LANGUAGE, "en"), (Vocabulary.SUBSTANCE, "alcohol")}
    # The meetings inline was posted back as it was shown and is unchanged.
    assert list(group.meetings.values_list("name", flat=True)) == ["Tuesday Night Step Study"]


def test_a_retired_term_is_not_offered_to_listings_that_lack_it(admin_client):
    Term.objects.filter(vocabulary=Vocabulary.LANGUAGE, code="pl").update(is_active=False)
    clinician = factories.make_clinician(terms={Vocabulary.LANGUAGE: ["en"]})
    url = admin_url(Clinician, "change", clinician.pk)
    page = admin_client.get(url)
    assert "Polish" not in page.text
    data = form_data(page)
    data["language"] = term_pks(Vocabulary.LANGUAGE, "en", "pl")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert codes(clinician) == {(Vocabulary.LANGUAGE, "en")}


# --- Invalid input is explained and nothing is written ------------------------------------


def test_too_many_available_beds_are_refused(admin_client):
    url = admin_url(SoberLivingHome, "add")
    data = form_data(admin_client.get(url))
    data.update(
        name="Maple House",
        slug="maple-house",
        serves="women",
        beds_total="6",
        beds_available="8",
        beds_updated_on="2026-10-01",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Available beds cannot be more than the beds in total." in response.text
    assert not Listing.objects.exists()


def test_published_in_person_listing_without_coordinates_is_refused(admin_client):
    clinician = factories.make_clinician()
    url = admin_url(Clinician, "change", clinician.pk)
    data = form_data(admin_client.get(url))
    data.update(latitude="", longitude="", address_line1="", name="Renamed")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert (
        "A published in-person listing needs its street address, or its latitude and longitude."
        in response.text
    )
    clinician.refresh_from_db()
    assert clinician.name != "Renamed"
    assert clinician.has_coordinates


def test_meeting_ending_before_it_starts_is_refused(admin_client):
    group = factories.make_support_group()
    url = admin_url(Meeting, "add")
    data = form_data(admin_client.get(url))
    data.update(
        group=group.pk,
        name="Early Birds",
        slug="early-birds",
        weekday="2",
        start_time="07:00",
        end_time="06:00",
        time_zone="America/Chicago",
        attendance=Attendance.IN_PERSON,
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.text
    assert not Meeting.objects.exists()


def test_meeting_inline_refuses_a_meeting_ending_before_it_starts(admin_client):
    group = factories.make_support_group()
    url = admin_url(SupportGroup, "change", group.pk)
    data = form_data(admin_client.get(url))
    data.update(
        {
            "meetings-TOTAL_FORMS": "1",
            "meetings-0-name": "Late Night",
            "meetings-0-slug": "late-night",
            "meetings-0-weekday": "5",
            "meetings-0-start_time": "22:00",
            "meetings-0-end_time": "21:00",
            "meetings-0-time_zone": "America/Chicago",
            "meetings-0-attendance": Attendance.IN_PERSON,
            "meetings-0-status": "active",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.text
    assert not Meeting.objects.exists()


# --- Meetings and their types ------------------------------------------------------------


def test_adding_a_meeting_stores_its_types(admin_client):
    group = factories.make_support_group()
    url = admin_url(Meeting, "add")
    data = form_data(admin_client.get(url))
    data.update(
        group=group.pk,
        name="Sunday Big Book",
        slug="sunday-big-book",
        weekday="0",
        start_time="10:00",
        end_time="11:00",
        time_zone="America/Chicago",
        attendance=Attendance.IN_PERSON,
        types=term_pks(Vocabulary.MEETING_TYPE, "O", "B"),
    )

    assert_saved(admin_client.post(url, data))

    meeting = Meeting.objects.get(slug="sunday-big-book")
    assert meeting.group == group
    assert set(meeting.types.values_list("code", flat=True)) == {"O", "B"}


def test_meeting_form_offers_active_meeting_types_only(admin_client):
    Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE, code="B").update(is_active=False)
    kept = factories.make_meeting(types=["B"])

    add_form = admin_client.get(admin_url(Meeting, "add")).context["adminform"].form
    change_form = admin_client.get(admin_url(Meeting, "change", kept.pk)).context["adminform"].form

    offered = {term.vocabulary for term in add_form.fields["types"].queryset}
    assert offered == {Vocabulary.MEETING_TYPE}
    assert "B" not in {term.code for term in add_form.fields["types"].queryset}
    assert "B" in {term.code for term in change_form.fields["types"].queryset}


def test_support_group_page_shows_its_meetings_inline(admin_client):
    meeting = factories.make_meeting(name="Thursday Women's Meeting")

    response = admin_client.get(admin_url(SupportGroup, "change", meeting.group.pk))

    [meetings_inline] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Meeting
    ]
    assert [form.instance for form in meetings_inline.formset.forms] == [meeting]
    assert admin_url(Meeting, "change", meeting.pk) in response.text


# --- The base Listing admin: one list across all kinds ------------------------------------


def test_listing_changelist_rows_open_the_typed_admin(admin_client):
    clinician = factories.make_clinician()
    home = factories.make_sober_living_home()
    group = factories.make_support_group()

    response = admin_client.get(admin_url(Listing, "changelist"))

    assert admin_url(Clinician, "change", clinician.pk) in response.text
    assert admin_url(SoberLivingHome, "change", home.pk) in response.text
    assert admin_url(SupportGroup, "change", group.pk) in response.text
    assert admin_url(Listing, "change", clinician.pk) not in response.text


def test_listing_changelist_filters_by_kind_and_status(admin_client):
    clinician = factories.make_clinician()
    draft = factories.make_clinician(status=ListingStatus.DRAFT)
    group = factories.make_support_group()
    url = admin_url(Listing, "changelist")

    by_kind = admin_client.get(url, {"kind__exact": ListingKind.CLINICIAN})
    by_status = admin_client.get(url, {"status__exact": ListingStatus.DRAFT})

    assert {row.pk for row in by_kind.context["cl"].result_list} == {clinician.pk, draft.pk}
    assert group.name not in by_kind.text
    assert [row.pk for row in by_status.context["cl"].result_list] == [draft.pk]


def test_listing_change_page_forwards_to_the_typed_admin(admin_client):
    helpline = factories.make_helpline()

    response = admin_client.get(admin_url(Listing, "change", helpline.pk))

    assert response.status_code == 302
    assert response.url == admin_url(Helpline, "change", helpline.pk)


def test_mark_verified_today_action_updates_the_chosen_listings(admin_client):
    stale = factories.make_clinician(last_verified_on=date(2020, 1, 1))
    other = factories.make_clinician(last_verified_on=date(2020, 1, 1))

    response = admin_client.post(
        admin_url(Clinician, "changelist"),
        {"action": "mark_verified_today", "_selected_action": [stale.pk]},
        follow=True,
    )

    assert "1 listing marked as verified today." in response.text
    stale.refresh_from_db()
    other.refresh_from_db()
    assert stale.last_verified_on > date(2020, 1, 1)
    assert other.last_verified_on == date(2020, 1, 1)


# --- Vocabulary terms are seeded from code: only retiring is done here --------------------


def test_term_change_page_edits_only_is_active(admin_client):
    spanish = factories.term(Vocabulary.LANGUAGE, "es")
    url = admin_url(Term, "change", spanish.pk)

    page = admin_client.get(url)
    assert set(page.context["adminform"].form.fields) == {"is_active"}
    assert_saved(admin_client.post(url, {"label": "Español", "code": "x"}))

    spanish.refresh_from_db()
    assert (spanish.label, spanish.code, spanish.is_active) == ("Spanish", "es", False)


def test_terms_can_be_retired_from_the_changelist(admin_client):
    url = admin_url(Term, "changelist") + "?vocabulary__exact=level_of_care"
    formset = admin_client.get(url).context["cl"].formset
    data = {"_save": "Save", **_fields_data(formset.management_form)}
    for form in formset.forms:
        data.update(_fields_data(form))
    detox = factories.term(Vocabulary.LEVEL_OF_CARE, "detox")
    [detox_form] = [form for form in formset.forms if form.instance == detox]
    del data[detox_form["is_active"].html_name]

    assert_saved(admin_client.post(url, data))

    retired = Term.objects.filter(vocabulary=Vocabulary.LEVEL_OF_CARE, is_active=False)
    assert list(retired) == [detox]


def test_terms_cannot_be_deleted(admin_client):
    spanish = factories.term(Vocabulary.LANGUAGE, "es")

    response = admin_client.post(admin_url(Term, "delete", spanish.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Term.objects.filter(pk=spanish.pk).exists()


# --- Changelists: a fixed number of queries, however many rows ----------------------------


def rich_listing(make, **fields):
    """A listing with everything a changelist row could be tempted to fetch on its own."""

    def make_rows():
        return make(
            organization=factories.make_organization(),
            terms={Vocabulary.LANGUAGE: ["en", "es"], Vocabulary.MEDICATION: ["naltrexone"]},
            **fields,
        )

    return make_rows


GROWING_CHANGELISTS = [
    pytest.param(Clinician, rich_listing(factories.make_clinician), id="clinician"),
    pytest.param(TreatmentProgram, rich_listing(factories.make_treatment_program), id="program"),
    pytest.param(SoberLivingHome, rich_listing(factories.make_sober_living_home), id="home"),
    pytest.param(Helpline, rich_listing(factories.make_helpline), id="helpline"),
    pytest.param(CommunityResource, rich_listing(factories.make_community_resource), id="comm"),
    pytest.param(SupportGroup, rich_listing(factories.make_support_group), id="group"),
    pytest.param(Listing, rich_listing(factories.make_support_group), id="listing"),
    pytest.param(Organization, factories.make_organization, id="organization"),
    pytest.param(Place, factories.make_place, id="place"),
    pytest.param(
        Meeting,
        lambda: factories.make_meeting(place=factories.make_place(), types=["O", "B"]),
        id="meeting",
    ),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(("model", "make_row"), GROWING_CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model, make_row):
    url = admin_url(model, "changelist")
    rows = [make_row() for _ in range(3)]
    admin_client.get(url)  # Warm per-process caches (content types, sessions).
    few, _ = count_queries(admin_client, url)

    rows += [make_row() for _ in range(27)]
    many, response = count_queries(admin_client, url)

    assert len(response.context["cl"].result_list) == 30
    assert all(row.name in response.text for row in rows)
    assert many == few


def test_listing_changelist_query_count(admin_client, django_assert_num_queries):
    for make in (factories.make_clinician, factories.make_helpline, factories.make_support_group):
        make(organization=factories.make_organization())
    admin_client.get(admin_url(Listing, "changelist"))

    # 1 session, 2 user, 3 the count, 4 the page of listings joined to their organizations.
    # Nothing that reads the whole table: the state filter's choices are the fixed list of
    # states, there is no date hierarchy and no second "(N total)" count.
    with django_assert_num_queries(4):
        response = admin_client.get(admin_url(Listing, "changelist"))

    assert len(response.context["cl"].result_list) == 3


@pytest.mark.parametrize("model", [Term, Fellowship])
def test_seeded_changelists_run_a_few_queries(admin_client, django_assert_max_num_queries, model):
    # These tables hold dozens of seeded rows; a query per row would blow far past the bound.
    groups = [factories.make_support_group(fellowship=f) for f in Fellowship.objects.all()[:3]]
    factories.make_meeting(group=groups[0], types=["O"])

    with django_assert_max_num_queries(8):
        response = admin_client.get(admin_url(model, "changelist"))

    assert len(response.context["cl"].result_list) == model.objects.count() > 10


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("0-6", {"Checked last month"}),
        ("6-12", {"Checked nine months ago"}),
        ("12+", {"Checked two years ago"}),
        ("never", {"Never checked"}),
    ],
)
def test_changelists_filter_by_verification_age(admin_client, band, expected):
    today = timezone.localdate()
    factories.make_clinician(name="Checked last month", last_verified_on=today - timedelta(30))
    factories.make_clinician(
        name="Checked nine months ago", last_verified_on=today - timedelta(270)
    )
    factories.make_clinician(name="Checked two years ago", last_verified_on=today - timedelta(730))
    factories.make_clinician(name="Never checked", last_verified_on=None)

    response = admin_client.get(admin_url(Listing, "changelist"), {"verified": band})

    names = ("Checked last month", "Checked nine months ago", "Checked two years ago")
    shown = {name for name in (*names, "Never checked") if name in response.text}
    assert shown == expected


def test_changelists_flag_listings_not_verified_for_a_year(admin_client):
    today = timezone.localdate()
    factories.make_clinician(name="Old one", last_verified_on=today - timedelta(400))
    factories.make_clinician(name="New one", last_verified_on=today - timedelta(10))

    response = admin_client.get(admin_url(Clinician, "changelist"))

    assert response.text.count("over a year ago: check it") == 1


# --- Curators' filters, search and autocomplete --------------------------------------------


def test_changelists_filter_by_state(admin_client):
    in_illinois = factories.make_clinician(name="Chicago clinic")
    in_colorado = factories.make_clinician(name="Denver clinic", city="Denver", region="CO")

    for model in (Clinician, Listing):
        response = admin_client.get(admin_url(model, "changelist"), {"region": "CO"})
        assert [row.pk for row in response.context["cl"].result_list] == [in_colorado.pk]
        assert in_illinois.name not in response.text


def test_meetings_filter_by_their_groups_state(admin_client):
    chicago = factories.make_meeting(name="Lakeview Monday")
    denver_group = factories.make_support_group(city="Denver", region="CO")
    denver = factories.make_meeting(name="Capitol Hill Tuesday", group=denver_group)

    response = admin_client.get(admin_url(Meeting, "changelist"), {"region": "CO"})

    assert [row.pk for row in response.context["cl"].result_list] == [denver.pk]
    assert chicago.name not in response.text
    # The choices are the states themselves, not a scan of the table.
    assert "Wyoming" in response.text


def test_changelist_search_finds_listings_by_organization_name(admin_client):
    organization = factories.make_organization(name="Lakeside Health")
    mine = factories.make_treatment_program(organization=organization)
    factories.make_treatment_program()

    response = admin_client.get(admin_url(TreatmentProgram, "changelist"), {"q": "lakeside"})

    assert [row.pk for row in response.context["cl"].result_list] == [mine.pk]


@pytest.mark.parametrize("model", [Clinician, Listing, SupportGroup])
def test_changelist_search_needs_every_word_in_a_name_slug_town_or_organization(
    admin_client, model
):
    make = factories.make_support_group if model is SupportGroup else factories.make_clinician
    organization = factories.make_organization(name="Lakeside Health")
    by_organization = make(name="Northside Counseling", organization=organization)
    by_name = make(name="Lakeside Counseling")
    by_town = make(name="Northside Counseling", city="Lakeside")
    by_slug = make(name="Riverside", slug="lakeside-annex")
    make(name="Lakeside only")  # "Lakeside", but not "counseling"

    def found(q):
        response = admin_client.get(admin_url(model, "changelist"), {"q": q})
        return {row.pk for row in response.context["cl"].result_list}

    assert found("lakeside counseling") == {by_organization.pk, by_name.pk, by_town.pk}
    assert found('"lakeside-annex"') == {by_slug.pk}
    assert found("LAKESIDE riverside") == {by_slug.pk}


@pytest.mark.postgresql
def test_changelist_search_is_answered_from_trigram_indexes(rf, admin_user):
    from django.contrib.admin import site

    request = rf.get("/", {"q": "lakeside"})
    request.user = admin_user
    found, _duplicates = site._registry[Listing].get_search_results(
        request, Listing.objects.all(), "lakeside"
    )
    with connection.cursor() as cursor:
        # On a test database this small a scan is cheapest; ask what serves the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = found.explain()

    for index in ("listing_name_upper_trgm", "listing_slug_upper_trgm", "listing_city_upper_trgm"):
        assert index in plan


@pytest.mark.parametrize(
    ("model", "field", "make", "typed"),
    [
        (Clinician, "organization", factories.make_organization, "Organization"),
        (SupportGroup, "fellowship", lambda **kw: factories.fellowship("NA"), "Narcotics"),
        (Meeting, "place", factories.make_place, "Hall"),
        (Meeting, "group", factories.make_support_group, "Group"),
    ],
)
def test_relations_are_chosen_by_autocomplete(admin_client, model, field, make, typed):
    target = make()
    add_page = admin_client.get(admin_url(model, "add"))
    assert f'data-field-name="{field}"' in add_page.text

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": typed,
        },
    )

    assert response.status_code == 200
    assert str(target.pk) in {result["id"] for result in response.json()["results"]}


FILTERED = {"status__exact": "published", "verified": "0-6", "region": "IL"}


@pytest.mark.parametrize(
    ("model", "make_row", "filters"),
    [
        pytest.param(Listing, rich_listing(factories.make_helpline), FILTERED, id="listing"),
        pytest.param(
            Listing,
            rich_listing(factories.make_clinician),
            {**FILTERED, "kind__exact": "clinician"},
            id="listing-kind",
        ),
        pytest.param(
            SupportGroup, rich_listing(factories.make_support_group), FILTERED, id="group"
        ),
        pytest.param(Clinician, rich_listing(factories.make_clinician), FILTERED, id="clinician"),
    ],
)
def test_filtered_changelists_queries_do_not_grow_with_rows(admin_client, model, make_row, filters):
    url = admin_url(model, "changelist") + "?" + "&".join(f"{k}={v}" for k, v in filters.items())
    today = timezone.localdate()
    for _ in range(2):
        make_row()
    Listing.objects.update(last_verified_on=today)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)

    for _ in range(20):
        make_row()
    Listing.objects.update(last_verified_on=today)
    many, response = count_queries(admin_client, url)

    assert len(response.context["cl"].result_list) == 22
    assert many == few


@pytest.mark.postgresql
def test_changelist_search_finds_the_matches_before_ordering_them_by_name(rf, admin_user):
    """Left to plan the page whole, PostgreSQL may walk the name index from A and test every
    listing until it has a page of matches: 280 ms at 200,000 listings for "lakeside", whose
    names are all at L (docs/performance.md). The matches are found first."""
    from django.contrib.admin import site

    factories.make_clinician(name="Lakeside Counseling")
    request = rf.get("/", {"q": "lakeside"})
    request.user = admin_user
    found, _duplicates = site._registry[Listing].get_search_results(
        request, Listing.objects.all(), "lakeside"
    )
    plan = found.order_by("name", "-pk")[:100].explain()

    assert "CTE found" in plan  # worked out on its own, whatever the outer order
    assert [listing.name for listing in found] == ["Lakeside Counseling"]
