"""The demo data (fixtures/demo/) and the load_demo command that loads it.

The data is loaded once for the module, inside a transaction that is rolled back at the
end, so other test modules still start from an empty database.
"""

import json
import re
import shutil
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from demo.demo_data import DEFAULT_DATA_DIR
from groups.models import Attendance, Fellowship, Meeting, MeetingStatus, Place, SupportGroup
from resources.models import (
    Clinician,
    ClinicianRole,
    CommunityResource,
    CommunityResourceType,
    Helpline,
    HelplineType,
    Listing,
    ListingStatus,
    OpeningHours,
    Organization,
    ServiceScope,
    SoberHomeCertification,
    SoberHomeServes,
    SoberLivingHome,
    TreatmentProgram,
    Weekday,
)
from resources.vocabularies import Vocabulary

# Each metro area: its IANA zone, state and a box around the city limits (lat, lat, lon, lon).
METROS = {
    "Chicago": ("America/Chicago", "IL", (41.64, 42.03, -87.94, -87.52)),
    "Denver": ("America/Denver", "CO", (39.61, 39.91, -105.11, -104.60)),
    "Atlanta": ("America/New_York", "GA", (33.64, 33.89, -84.55, -84.29)),
    "Seattle": ("America/Los_Angeles", "WA", (47.49, 47.74, -122.44, -122.24)),
    "Philadelphia": ("America/New_York", "PA", (39.87, 40.14, -75.28, -74.95)),
    "Phoenix": ("America/Phoenix", "AZ", (33.29, 33.92, -112.34, -111.92)),
}
SAMHSA = "samhsa-national-helpline"
LIFELINE = "988-suicide-and-crisis-lifeline"
FICTIONAL_PHONE = re.compile(r"^(1-)?\d{3}-555-01\d\d$")
EXAMPLE_DOMAINS = ("example.org", "example.com")
REAL_DOMAINS = {SAMHSA: "samhsa.gov", LIFELINE: "988lifeline.org"}


def on_example_domain(host):
    return any(host == domain or host.endswith(f".{domain}") for domain in EXAMPLE_DOMAINS)


def row_counts():
    models = [
        Listing,
        Clinician,
        TreatmentProgram,
        SoberLivingHome,
        Helpline,
        CommunityResource,
        SupportGroup,
        Organization,
        Place,
        Meeting,
        OpeningHours,
        Listing.terms.through,
        Meeting.types.through,
    ]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo data once; roll it back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0, force=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    """The demo data, inside this test's own transaction."""


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the demo data files, and a helper to edit one of them."""
    folder = tmp_path / "demo"
    shutil.copytree(DEFAULT_DATA_DIR, folder)

    def edit(file_name, change):
        path = folder / file_name
        document = json.loads(path.read_text(encoding="utf-8"))
        change(document)
        path.write_text(json.dumps(document), encoding="utf-8")

    return folder, edit


def listing_record(document, slug):
    """(1-based position, record) of the listing with this slug in a data file."""
    for number, record in enumerate(document["listings"], 1):
        if record["slug"] == slug:
            return number, record
    raise AssertionError(f"{slug} is not in the file")


# --- what the demo holds ----------------------------------------------------------------


def test_enough_listings_and_meetings_of_every_model(loaded):
    assert Listing.objects.count() >= 200
    assert Meeting.objects.count() >= 300
    for model in (
        Clinician,
        TreatmentProgram,
        SoberLivingHome,
        Helpline,
        CommunityResource,
        SupportGroup,
    ):
        assert model.objects.count() >= 10, model
    assert Organization.objects.count() >= 10
    assert Place.objects.count() >= 20
    assert OpeningHours.objects.count() >= 200
    assert Listing.objects.filter(organization__isnull=False).count() >= 50


def test_every_role_type_and_scope_is_used(loaded):
    assert set(Clinician.objects.values_list("role", flat=True)) == set(ClinicianRole.values)
    assert set(CommunityResource.objects.values_list("resource_type", flat=True)) == set(
        CommunityResourceType.values
    )
    assert set(Helpline.objects.values_list("helpline_type", flat=True)) == set(HelplineType.values)
    assert set(Helpline.objects.values_list("scope", flat=True)) == set(ServiceScope.values)
    assert set(SoberLivingHome.objects.values_list("serves", flat=True)) == set(
        SoberHomeServes.values
    )
    certifications = set(SoberLivingHome.objects.values_list("certification", flat=True))
    assert len(certifications) >= 5
    assert certifications <= set(SoberHomeCertification.values)


def test_every_fellowship_has_a_group_with_meetings(loaded):
    assert Fellowship.objects.count() == 13
    for fellowship in Fellowship.objects.all():
        assert Meeting.objects.filter(group__fellowship=fellowship).exists(), fellowship


def test_meetings_cover_every_day_attendance_and_common_types(loaded):
    assert set(Meeting.objects.values_list("weekday", flat=True)) == set(Weekday.values)
    attendance = Counter(Meeting.objects.values_list("attendance", flat=True))
    assert set(attendance) == set(Attendance.values)
    assert attendance[Attendance.ONLINE] >= 20 and attendance[Attendance.HYBRID] >= 10
    used = Counter(Meeting.types.through.objects.values_list("term__code", flat=True))
    for code in ("O", "C", "W", "M", "S", "X", "BE", "LGBTQ", "D", "B", "ST", "Y", "SP"):
        assert used[code] >= 1, code
    assert set(Meeting.types.through.objects.values_list("term__vocabulary", flat=True)) == {
        Vocabulary.MEETING_TYPE
    }
    type_counts = Meeting.objects.annotate(n=Count("types"))
    assert not type_counts.filter(n__lt=2).exists()
    assert Meeting.objects.filter(status=MeetingStatus.TEMPORARILY_CLOSED).count() >= 3


def test_meetings_can_be_reached(loaded):
    for meeting in Meeting.objects.select_related("place", "group"):
        if meeting.is_online:
            assert meeting.conference_url or meeting.conference_phone, meeting.slug
            if meeting.conference_url:
                assert urlsplit(meeting.conference_url).scheme == "https"
                assert on_example_domain(urlsplit(meeting.conference_url).hostname)
        else:
            assert not meeting.conference_url and not meeting.conference_phone, meeting.slug
        if meeting.is_in_person:
            assert meeting.location.has_coordinates, meeting.slug
        if meeting.end_time:
            assert meeting.end_time > meeting.start_time
    assert Meeting.objects.filter(attendance=Attendance.IN_PERSON, place__isnull=True).exists()
    assert Meeting.objects.filter(attendance=Attendance.IN_PERSON, place__isnull=False).exists()


def test_metro_areas_have_coordinates_in_town_and_their_own_time_zone(loaded):
    zones = available_timezones()
    assert set(Meeting.objects.values_list("time_zone", flat=True)) <= zones
    located = [*Listing.objects.filter(latitude__isnull=False), *Place.objects.all()]
    for city, (zone, state, (south, north, west, east)) in METROS.items():
        here = [item for item in located if item.city == city]
        assert len(here) >= 25, city
        assert len({item.postal_code for item in here if item.postal_code}) >= 6, city
        for item in here:
            assert item.region == state
            if isinstance(item, Listing):  # listings answer "open now" in their own zone
                assert item.time_zone == zone, item.slug
            assert south < item.latitude < north and west < item.longitude < east, item
            assert item.latitude == item.latitude.quantize(Decimal("0.000001"))
    for meeting in Meeting.objects.select_related("place", "group"):
        if meeting.is_in_person:
            city = meeting.location.city
            assert meeting.time_zone == METROS[city][0], meeting.slug
    # Everything in person is in one of the metro areas.
    assert {item.city for item in located} <= set(METROS)


def test_published_listings_can_be_reached(loaded):
    for listing in Listing.objects.published():
        if listing.offers_in_person:
            assert listing.has_coordinates, listing.slug
        else:
            assert listing.offers_online or listing.offers_phone, listing.slug
        assert listing.summary and listing.source, listing.slug
        assert listing.last_verified_on is not None, listing.slug
    statuses = Counter(Listing.objects.values_list("status", flat=True))
    assert set(statuses) == set(ListingStatus.values)
    assert statuses[ListingStatus.PUBLISHED] >= 0.9 * sum(statuses.values())


def test_only_the_two_real_services_have_real_contact_details(loaded):
    real = Helpline.objects.filter(slug__in=[SAMHSA, LIFELINE])
    assert real.count() == 2
    for listing in Listing.objects.select_related("organization"):
        for number in (listing.phone, listing.sms):
            if number and listing.slug not in REAL_DOMAINS:
                assert FICTIONAL_PHONE.match(number), (listing.slug, number)
        if listing.email:
            assert on_example_domain(listing.email.rpartition("@")[2]), listing.slug
        urls = [listing.website, listing.source_url, getattr(listing.specific, "chat_url", "")]
        for url in filter(None, urls):
            host = urlsplit(url).hostname
            real_domain = REAL_DOMAINS.get(listing.slug)
            assert on_example_domain(host) or (real_domain and host.endswith(real_domain)), url
    for meeting in Meeting.objects.exclude(conference_phone=""):
        assert FICTIONAL_PHONE.match(meeting.conference_phone), meeting.slug
    for organization in Organization.objects.all():
        assert on_example_domain(urlsplit(organization.website).hostname), organization


def test_samhsa_helpline_and_988_are_listed_correctly(loaded):
    samhsa = Helpline.objects.get(slug=SAMHSA)
    assert samhsa.phone == "1-800-662-4357"
    assert samhsa.helpline_type == HelplineType.HOTLINE and samhsa.scope == ServiceScope.NATIONAL
    assert samhsa.open_24_7 and samhsa.status == ListingStatus.PUBLISHED
    codes = set(samhsa.terms.values_list("code", flat=True))
    assert {"en", "es", "free"} <= codes
    lifeline = Helpline.objects.get(slug=LIFELINE)
    assert (lifeline.phone, lifeline.sms) == ("988", "988")
    assert lifeline.chat_url == "https://988lifeline.org/chat/"
    assert lifeline.open_24_7 and lifeline.offers_online and lifeline.offers_phone


def test_people_are_named_by_first_name_and_initial_only(loaded):
    for clinician in Clinician.objects.all():
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z]\.", clinician.name), clinician.name
    credentials = set(Clinician.objects.values_list("credentials", flat=True))
    assert {"MD, FASAM", "LCSW, CADC"} <= credentials


def test_terms_come_only_from_each_kinds_vocabularies(loaded):
    listings = Listing.objects.with_kind_details().prefetch_related("terms")
    for listing in listings:
        allowed = type(listing.specific).vocabularies
        for term in listing.terms.all():
            assert term.vocabulary in allowed, (listing.slug, term.vocabulary)
        if listing.status == ListingStatus.PUBLISHED:
            vocabularies = {term.vocabulary for term in listing.terms.all()}
            assert Vocabulary.LANGUAGE in vocabularies, listing.slug
            if listing.kind != "support_group":
                assert Vocabulary.PAYMENT in vocabularies, listing.slug


def test_treatment_and_clinician_details(loaded):
    methadone = Listing.objects.filter(terms__vocabulary="medication", terms__code="methadone")
    assert methadone.exists()
    assert set(methadone.values_list("kind", flat=True)) == {"treatment_program"}
    assert all(
        program.is_opioid_treatment_program
        for program in TreatmentProgram.objects.filter(pk__in=methadone.values("pk"))
    )
    published_programs = TreatmentProgram.objects.published()
    for program in published_programs.prefetch_related("terms"):
        vocabularies = {term.vocabulary for term in program.terms.all()}
        assert {Vocabulary.LEVEL_OF_CARE, Vocabulary.ACCREDITATION} <= vocabularies, program.slug
    buprenorphine = Clinician.objects.filter(terms__code="buprenorphine")
    assert buprenorphine.count() >= 5
    assert Clinician.objects.filter(accepting_new_clients=False).count() >= 3
    assert Clinician.objects.filter(terms__vocabulary=Vocabulary.THERAPY_APPROACH).exists()
    assert Clinician.objects.filter(offers_in_person=False, offers_online=True).exists()


def test_sober_homes_mostly_show_only_their_town(loaded):
    homes = SoberLivingHome.objects.all()
    approximate = homes.filter(location_precision="approximate")
    assert approximate.count() >= 0.8 * homes.count()
    assert not approximate.exclude(address_line1="").exists()
    with_beds = homes.filter(beds_available__isnull=False)
    assert with_beds.count() >= 10
    assert not with_beds.filter(beds_updated_on__isnull=True).exists()
    assert homes.filter(weekly_cost__isnull=False).count() >= 20
    assert homes.filter(allows_medication=True).count() >= 10


def test_opening_hours_and_verification_dates_vary(loaded):
    # Support groups list meetings instead of opening hours; sober homes are homes.
    in_person = Listing.objects.published().filter(offers_in_person=True)
    in_person = in_person.exclude(kind__in=["support_group", "sober_living_home"])
    with_hours = in_person.filter(opening_hours__isnull=False).distinct().count()
    always_open = in_person.filter(open_24_7=True).count()
    assert always_open >= 5
    assert with_hours + always_open >= 0.85 * in_person.count()
    assert not Listing.objects.filter(open_24_7=True, opening_hours__isnull=False).exists()
    today = date.today()
    dates = list(Listing.objects.exclude(last_verified_on=None).values_list("last_verified_on"))
    ages = [(today - verified).days for (verified,) in dates]
    assert max(ages) <= 31 * 30
    assert sum(age <= 90 for age in ages) >= 50
    assert sum(age > 365 for age in ages) >= 30
    assert sum(age > 730 for age in ages) >= 5
    sources = Counter(Listing.objects.values_list("source", flat=True))
    assert "" not in sources and len(sources) >= 8


# --- loading ------------------------------------------------------------------------------


def test_loading_again_changes_nothing(loaded):
    before = row_counts()
    verified = dict(Listing.objects.values_list("slug", "updated_at"))
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    assert row_counts() == before
    assert dict(Listing.objects.values_list("slug", "updated_at")) == verified
    summary = out.getvalue()
    assert re.search(r"Meeting \d+ unchanged", summary)
    assert "created" not in summary and "updated" not in summary


def test_loading_again_puts_back_what_the_data_says(loaded):
    home = SoberLivingHome.objects.get(slug="lakeview-mens-recovery-house")
    home.name, home.email = "Renamed by hand", "someone@example.com"
    home.save()
    home.terms.clear()
    home.opening_hours.create(weekday=1, opens="09:00", closes="10:00")
    meeting = Meeting.objects.get(slug="lincoln-park-sunrise-monday")
    meeting.types.clear()

    out = StringIO()
    call_command("load_demo", force=True, stdout=out)

    home.refresh_from_db()
    assert (home.name, home.email) == ("Lakeview Men's Recovery House", "")
    assert home.terms.filter(vocabulary=Vocabulary.LANGUAGE, code="pl").exists()
    assert not home.opening_hours.exists()
    assert set(meeting.types.values_list("code", flat=True)) == {"O", "D", "X"}
    assert "SoberLivingHome 1 updated" in out.getvalue()


def test_a_bad_record_is_named_and_nothing_is_saved(loaded, data_copy):
    folder, edit = data_copy
    before = row_counts()
    positions = {}

    def rename_a_listing(document):  # a valid change in a file loaded before the bad one
        _, record = listing_record(document, "keisha-d-counselor-west-end")
        record["name"] = "Keisha D. (renamed)"

    def break_a_sober_home(document):
        positions["home"], record = listing_record(document, "ballard-mens-recovery-house")
        record["beds_available"] = record["beds_total"] + 5

    def break_a_meeting(document):
        positions["group"], group = listing_record(document, "capitol-hill-freedom-group")
        group["meetings"][2]["conference_url"] = ""

    edit("atlanta.json", rename_a_listing)
    edit("seattle.json", break_a_sober_home)
    edit("seattle.json", break_a_meeting)

    with pytest.raises(CommandError) as raised:
        call_command("load_demo", data_dir=folder, force=True, verbosity=0)

    message = str(raised.value)
    assert "2 problem(s); nothing was changed" in message
    assert (
        f"seattle.json: listing #{positions['home']} (slug 'ballard-mens-recovery-house'): "
        "beds_available: Available beds cannot be more than the beds in total."
    ) in message
    assert (
        f"seattle.json: listing #{positions['group']} (slug 'capitol-hill-freedom-group'), "
        "meeting #3 (slug 'freedom-group-tuesday'): conference_url:"
    ) in message
    assert row_counts() == before
    assert Clinician.objects.get(slug="keisha-d-counselor-west-end").name == "Keisha D."
    assert SoberLivingHome.objects.get(slug="ballard-mens-recovery-house").beds_available == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.update(favourite_colour="blue"), "Helpline has no field 'favourite_colour'"),
        (lambda r: r.update(terms={"level_of_care": ["detox"]}), "not 'level_of_care'"),
        (lambda r: r.update(terms={"language": ["klingon"]}), "'klingon' is not a language term"),
        (lambda r: r.update(helpline_type="pigeon"), "helpline_type: Value 'pigeon'"),
        (lambda r: r.update(hours={"Mon-Fri": "17:00-09:00"}), "closes before it opens"),
        (lambda r: r.update(hours={"Weekdays": "09:00-17:00"}), "is not a day range"),
        (lambda r: r.update(organization="nobody"), "no organization with slug 'nobody'"),
        (lambda r: r.update(last_verified_on="last spring"), "last_verified_on:"),
        (lambda r: r.update(phone=""), "phone: A hotline needs its phone number."),
    ],
)
def test_each_kind_of_mistake_is_explained(db, tmp_path, change, expected):
    before = row_counts()
    record = {
        "kind": "helpline",
        "slug": "test-line",
        "name": "Test line",
        "helpline_type": "hotline",
        "offers_in_person": False,
        "offers_phone": True,
        "phone": "312-555-0100",
    }
    change(record)
    document = {"listing_defaults": {"status": "published"}, "listings": [record]}
    (tmp_path / "test.json").write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(CommandError, match="test.json: listing #1 \\(slug 'test-line'\\)") as e:
        call_command("load_demo", data_dir=tmp_path, force=True, verbosity=0)

    assert expected in str(e.value)
    assert row_counts() == before


def test_duplicate_slugs_and_broken_json_are_reported(db, tmp_path):
    before = row_counts()
    line = {"kind": "helpline", "slug": "same", "name": "A", "helpline_type": "website"}
    (tmp_path / "a.json").write_text(json.dumps({"listings": [line]}), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"listings": [line]}), encoding="utf-8")
    with pytest.raises(CommandError, match="b.json: listing slug 'same' is also used in a.json"):
        call_command("load_demo", data_dir=tmp_path, force=True, verbosity=0)

    (tmp_path / "c.json").write_text('{"listings": [}', encoding="utf-8")
    with pytest.raises(CommandError, match="c.json: not valid JSON"):
        call_command("load_demo", data_dir=tmp_path, force=True, verbosity=0)
    assert row_counts() == before


def test_relative_dates_count_back_from_today(db, tmp_path):
    record = {
        "kind": "helpline",
        "slug": "dated",
        "name": "Dated",
        "helpline_type": "website",
        "last_verified_on": "400 days ago",
    }
    (tmp_path / "d.json").write_text(json.dumps({"listings": [record]}), encoding="utf-8")
    call_command("load_demo", data_dir=tmp_path, force=True, verbosity=0)
    listing = Helpline.objects.get(slug="dated")
    assert listing.last_verified_on == date.today() - timedelta(days=400)
    assert listing.status == ListingStatus.DRAFT  # no default given: the model's own


def test_refuses_to_run_without_debug(db, settings):
    before = row_counts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=true"):
        call_command("load_demo", verbosity=0)
    assert row_counts() == before


# --- History: the demo load is recorded like any other change ------------------------------

HISTORY_MODELS = [
    Clinician,
    TreatmentProgram,
    SoberLivingHome,
    Helpline,
    CommunityResource,
    SupportGroup,
    Organization,
    Place,
    Meeting,
    OpeningHours,
]


def history_counts():
    return {model.__name__: model.history.count() for model in HISTORY_MODELS}


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda model: model.__name__)
def test_every_demo_record_has_one_created_history_row(loaded, model):
    rows = model.history.all()

    assert rows.count() == model.objects.count() > 0
    assert set(rows.values_list("history_type", "history_change_reason")) == {("+", "Demo data")}


def test_demo_history_rows_keep_the_terms_and_meeting_types(loaded):
    home = SoberLivingHome.objects.get(slug="lakeview-mens-recovery-house")
    meeting = Meeting.objects.get(slug="lincoln-park-sunrise-monday")

    [home_row] = home.history.all()
    [meeting_row] = meeting.history.all()

    assert set(home_row.terms.values_list("term_id", flat=True)) == set(
        home.terms.values_list("pk", flat=True)
    )
    assert set(meeting_row.types.values_list("term_id", flat=True)) == set(
        meeting.types.values_list("pk", flat=True)
    )


def test_loading_again_writes_no_history_and_putting_back_writes_one_row(loaded):
    before = history_counts()
    call_command("load_demo", force=True, stdout=StringIO())
    assert history_counts() == before

    home = SoberLivingHome.objects.get(slug="lakeview-mens-recovery-house")
    home.name = "Renamed by hand"
    home.save()
    home.terms.clear()
    call_command("load_demo", force=True, stdout=StringIO())

    # Newest first: the loader's one row putting name and terms back, then the two hand edits.
    put_back, terms_cleared, renamed = home.history.all()[:3]
    assert (renamed.name, renamed.history_change_reason) == ("Renamed by hand", None)
    assert not terms_cleared.terms.exists()
    assert (put_back.name, put_back.history_change_reason) == (
        "Lakeview Men's Recovery House",
        "Demo data",
    )
    assert set(put_back.terms.values_list("term_id", flat=True)) == set(
        home.terms.values_list("pk", flat=True)
    )
    assert history_counts()["SoberLivingHome"] == before["SoberLivingHome"] + 3
