"""Importing an HSDS 3.0 directory (issue 19): ``manage.py import_hsds`` and HSDS sources.

The data are Open Referral's official examples (``tests/data/hsds/``, CC BY-SA 4.0, commit
279fd2eb): the tabular package as it is, and the JSON objects served page by page from a real
HTTP server on 127.0.0.1 in a thread, as an HSDS API serves them.
"""

import copy
import csv
import io
import json
import shutil
import threading
from datetime import date, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from exchange.hsds.export import export
from exchange.hsds.mapping import default_mappings
from exchange.models import (
    ExternalRecord,
    HsdsTermMapping,
    Source,
    SourceFormat,
    target_problem,
)
from exchange.sync.runs import sync_source
from resources.models import (
    Clinician,
    CommunityResource,
    Listing,
    ListingStatus,
    Organization,
)
from tests.factories import (
    DENVER,
    fellowship,
    make_community_resource,
    make_curator,
    make_helpline,
    make_opening_hours,
    make_organization,
    make_sober_living_home,
    make_treatment_program,
    make_user,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "hsds"
PACKAGE = DATA / "csv"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
REASON = "HSDS import from Example 211"


def run(*args):
    out = io.StringIO()
    call_command("import_hsds", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def counselling():
    record = ExternalRecord.objects.get(
        source_label="Example 211", table="service", external_id=SERVICE_ID
    )
    return record.listing.specific


def assert_example_landed(listing):
    """What the official example service becomes, whichever way it came."""
    assert listing.name == "Community Counselling"
    assert listing.description.startswith("Counselling Services provided by trained")
    assert listing.website == "http://example.com/counselling"
    assert listing.email == "email@example.com"
    assert listing.phone == "+44 1234 234567 ext. 100"
    assert (listing.address_line1, listing.address_line2) == ("1-30 Main Street", "MyVillage")
    assert (listing.city, listing.region, listing.postal_code, listing.country) == (
        "MyCity",
        "MyState",
        "ABC 1234",
        "US",
    )
    # The example's latitude 100 and longitude 101 are out of range: left out, reported.
    assert listing.latitude is None and listing.longitude is None
    hours = [(p.weekday, p.opens, p.closes) for p in listing.opening_hours.all()]
    assert hours == [(4, time(10), time(18)), (5, time(10), time(18))]  # byday TH,FR
    assert listing.hours_notes.startswith("Some of our staff will be unavailable")
    assert listing.cost_notes.startswith("Non-NHS patients are expected to pay")
    assert listing.last_verified_on == date(2005, 1, 1)
    assert listing.organization.name == "Example Organization Inc."
    assert (
        ExternalRecord.objects.get(
            source_label="Example 211", table="organization", external_id=ORGANIZATION_ID
        ).organization
        == listing.organization
    )
    history = listing.history.get()
    assert (history.history_type, history.history_change_reason) == ("+", REASON)


def test_the_official_csv_package_lands_in_our_tables():
    out = run(PACKAGE, "--source", "Example 211")
    listing = counselling()
    assert_example_landed(listing)
    # No term of the example says what it is: the default kind, as a draft to review.
    assert isinstance(listing, CommunityResource) and listing.resource_type == "wellness"
    assert listing.status == ListingStatus.DRAFT
    assert "Imported listings: 1 created, 0 updated, 0 unchanged, 0 archived" in out
    assert "Organizations: 1 created, 0 updated." in out
    # What is not matched is reported by table and row.
    # The example's one attribute links to no service of the package: left out, reported.
    assert "attributes.csv row 2: links to 'f28dd44b-0c4d-479f-8e90-4c52219a8b3c'" in out
    assert "Not matched: language 'Urdu' (languages.csv row 2)." in out
    assert "Not matched: cost option 'Under 18s and Over 60s' (cost_options.csv row 2)." in out
    assert "locations.csv row 2 latitude '100' is out of range" in out
    assert "schedules.csv row 2: byweekno, bymonthday and byyearday" in out
    # What nothing here keeps is said once.
    assert "Warning: contact: not read (1 row)" in out
    assert "Warning: service eligibility_description: not read (1 row)" in out


def _linked(package, *service_ids):
    """The example's attribute (taxonomy term "code"/"name"), linked to these services:
    the example's own links to no service of the package."""
    with (package / "attributes.csv").open(encoding="utf-8", newline="") as handle:
        example = next(csv.DictReader(handle))
    rows = [
        {**example, "id": f"{index:08d}-0000-4000-8000-000000000000", "link_id": ident,
         "link_entity": "service"}
        for index, ident in enumerate(service_ids)
    ]  # fmt: skip
    _edit_rows(package / "attributes.csv", rows)


def test_a_reviewed_mapping_gives_the_kind_and_publishes(tmp_path):
    # The example's term: code "code", name "name", of the taxonomy "taxonomy".
    HsdsTermMapping.objects.create(
        taxonomy="Taxonomy", term="CODE", target="listing_kind", code="clinician:therapist"
    )
    package = tmp_path / "linked"
    shutil.copytree(PACKAGE, package)
    _linked(package, SERVICE_ID)
    run(package, "--source", "Example 211")
    listing = counselling()
    assert isinstance(listing, Clinician) and listing.role == "therapist"
    # Reachable in person at its street address: published.
    assert listing.status == ListingStatus.PUBLISHED


def test_a_second_import_changes_nothing():
    run(PACKAGE, "--source", "Example 211")
    out = run(PACKAGE, "--source", "Example 211")
    assert "Imported listings: 0 created, 0 updated, 1 unchanged, 0 archived" in out
    assert "Organizations: 0 created, 0 updated." in out
    assert Listing.objects.count() == 1 and Organization.objects.count() == 1
    assert counselling().history.count() == 1


def test_another_source_with_the_same_ids_keeps_its_own_listings():
    run(PACKAGE, "--source", "Example 211")
    first = counselling()
    stamp = first.updated_at
    out = run(PACKAGE, "--source", "Other 211")
    assert "1 created" in out
    assert Listing.objects.count() == 2
    first.refresh_from_db()
    assert first.updated_at == stamp and first.history.count() == 1
    other = ExternalRecord.objects.get(source_label="Other 211", external_id=SERVICE_ID).listing
    assert other.pk != first.pk and other.name == first.name


def test_a_curators_listings_are_never_changed(tmp_path):
    own = make_community_resource(name="Community Counselling", slug="community-counselling")
    run(PACKAGE, "--source", "Example 211")
    own.refresh_from_db()
    assert own.phone == "312-555-0100" and own.history.count() == 1
    imported = counselling()
    assert imported.pk != own.pk and imported.slug == "community-counselling-2"
    # A curator changes the imported listing: the next import leaves it as it is.
    imported.summary = "Checked by phone."
    imported._history_user = make_user()
    imported.save()
    shutil.copytree(PACKAGE, changed := tmp_path / "changed")
    _edit(changed / "services.csv", 0, email="new@example.com")
    out = run(changed, "--source", "Example 211")
    assert "was changed by a curator since the last import: left as it is" in out
    imported.refresh_from_db()
    assert imported.email == "email@example.com"


def _edit(path, index, **values):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    rows[index].update(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _second_service(path):
    """Add a second service to the package at ``path``."""
    with (path / "services.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    second = {**rows[0], "id": "11111111-2222-4333-8444-555555555555", "name": "Second Service"}
    _edit_rows(path / "services.csv", [*rows, second])
    return second


def _edit_rows(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_bad_row_imports_nothing_and_says_where(tmp_path):
    package = tmp_path / "bad"
    shutil.copytree(PACKAGE, package)
    _second_service(package)
    _edit(package / "services.csv", 1, name="")
    with pytest.raises(CommandError) as error:
        run(package, "--source", "Example 211")
    assert "services.csv row 3 (no name): no name" in str(error.value)
    assert "Nothing imported" in str(error.value)
    assert not Listing.objects.exists() and not Organization.objects.exists()
    assert not ExternalRecord.objects.exists()
    # --skip-invalid imports the good one and lists the bad one.
    out = run(package, "--source", "Example 211", "--skip-invalid")
    assert "1 created" in out and "Skipped services.csv row 3 (no name): no name" in out


def test_a_time_that_cannot_be_read_is_a_bad_row(tmp_path):
    package = tmp_path / "bad-time"
    shutil.copytree(PACKAGE, package)
    _edit(package / "schedules.csv", 0, opens_at="ten")
    with pytest.raises(CommandError, match=r"schedules.csv row 2: the time 'ten' cannot be read"):
        run(package, "--source", "Example 211")
    assert not Listing.objects.exists()


def test_a_zip_package_is_read_as_the_folder(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "package"), "zip", PACKAGE)
    out = run(archive, "--source", "Example 211")
    assert "1 created" in out
    assert_example_landed(counselling())


def test_a_mapping_names_something_of_ours():
    def problems(target, code):
        mapping = HsdsTermMapping(term="Detox", target=target, code=code)
        try:
            mapping.full_clean()
        except ValidationError as error:
            return error.message_dict["code"]
        return []

    assert problems("listing_kind", "clinician:therapist") == []
    assert problems("level_of_care", "detox") == []
    assert problems("listing_kind", "clinician") == [
        "Give clinician:DETAIL, DETAIL one of addiction_medicine, psychiatrist, psychologist, "
        "therapist, social_worker, peer_specialist."
    ]
    assert problems("listing_kind", "support_group") == [
        "'support_group' is not a kind of listing an HSDS import makes."
    ]
    assert problems("level_of_care", "spa") == ["No term 'spa' in the vocabulary 'level_of_care'."]


def test_the_reviewed_defaults_all_name_something_of_ours():
    for row in default_mappings():
        assert target_problem(row["target"], row["code"]) is None, row


def test_a_dry_run_writes_nothing():
    out = run(PACKAGE, "--source", "Example 211", "--dry-run")
    assert "Would import listings: 1 created" in out
    assert not Listing.objects.exists() and not Organization.objects.exists()
    assert not ExternalRecord.objects.exists()


def test_listings_no_longer_listed_are_archived_within_the_share(tmp_path):
    HsdsTermMapping.objects.create(term="code", target="listing_kind", code="treatment_program")
    package = tmp_path / "two"
    shutil.copytree(PACKAGE, package)
    second = _second_service(package)
    _linked(package, SERVICE_ID, second["id"])
    run(package, "--source", "Example 211")
    assert Listing.objects.published().count() == 2
    with (package / "services.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["id"] != second["id"]]
    _edit_rows(package / "services.csv", rows)
    # One of two is 50%, more than the 25% allowed: nothing changes.
    with pytest.raises(CommandError, match="would archive 1 of the 2 published listings"):
        run(package, "--source", "Example 211")
    assert Listing.objects.published().count() == 2
    out = run(package, "--source", "Example 211", "--allow-deactivate")
    assert "1 archived" in out
    gone = Listing.objects.get(name="Second Service")
    assert gone.status == ListingStatus.ARCHIVED
    assert gone.specific.history.first().history_change_reason == REASON


# The HSDS API, served -----------------------------------------------------------------


class ApiHandler(BaseHTTPRequestHandler):
    """/services?full=true&page=N and /organizations?page=N, one item a page."""

    def do_GET(self):
        parts = urlsplit(self.path)
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
        items = self.server.items.get(parts.path)
        if items is None:
            self.send_error(404)
            return
        body = json.dumps(
            {
                "total_items": len(items),
                "total_pages": len(items),
                "page_number": page,
                "size": 1,
                "first_page": page == 1,
                "last_page": page >= len(items),
                "empty": not items,
                "contents": items[page - 1 : page],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    service = json.loads((DATA / "json" / "service_full.json").read_text(encoding="utf-8"))
    second = copy.deepcopy(service)
    second.update(id="11111111-2222-4333-8444-555555555555", name="Second Service")
    second["service_at_locations"] = []
    organizations = json.loads((DATA / "json" / "organization_list.json").read_text())
    server = ThreadingHTTPServer(("127.0.0.1", 0), ApiHandler)
    server.daemon_threads = True
    server.items = {"/services": [service, second], "/organizations": organizations["contents"]}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def test_an_hsds_api_is_read_page_by_page(api):
    out = run(api.url, "--source", "Example 211")
    assert "Imported listings: 2 created" in out
    listing = counselling()
    assert_example_landed(listing)
    assert listing.source_url == f"{api.url}/services/{SERVICE_ID}"
    assert Listing.objects.get(name="Second Service").opening_hours.count() == 2
    assert (
        "Not matched: taxonomy term 'name' (name) (services page 1 item 1 attributes[0], "
        "services page 2 item 1 attributes[0])" in out
    )
    assert "2 unchanged" in run(api.url, "--source", "Example 211")


def test_an_hsds_source_syncs_itself_with_a_change_report(api, client):
    HsdsTermMapping.objects.create(term="code", target="listing_kind", code="treatment_program")
    source = Source.objects.create(
        name="Example 211",
        url=api.url,
        format=SourceFormat.HSDS,
        fellowship=fellowship(),
        label="Example 211",
    )
    run_ = sync_source(source)
    assert run_.outcome == "imported", run_.error
    assert (run_.created, run_.updated) == (2, 0)
    assert {entry["name"] for entry in run_.changes["created"]} == {
        "Community Counselling",
        "Second Service",
    }
    again = sync_source(source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # A change at the source: the run's change report says what, on the curators' page.
    api.items["/services"][1] = {**api.items["/services"][1], "email": "second@example.com"}
    changed = sync_source(source)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    [entry] = changed.changes["updated"]
    assert entry["fields"]["email"] == ["email@example.com", "second@example.com"]
    client.force_login(make_curator())
    page = client.get(reverse("admin:exchange_syncrun_change", args=[changed.pk]))
    assert page.status_code == 200
    assert "second@example.com" in page.text
    assert reverse("admin:resources_listing_change", args=[entry["id"]]) in page.text
    # The API stops listing one of two: held for a curator, nothing archived.
    api.items["/services"] = api.items["/services"][:1]
    held = sync_source(source)
    assert held.outcome == "held"
    assert Listing.objects.published().count() == 2


# Round trip ---------------------------------------------------------------------------


def _content(directory):
    """{table: sorted rows} of an export, without what names a row rather than says
    something of it: ids (every column ending in "id"), and the date it was written."""
    content = {}
    for path in sorted(Path(directory).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [
                tuple(
                    (key, value)
                    for key, value in row.items()
                    if not key.endswith("id") and key != "last_modified"
                )
                for row in csv.DictReader(handle)
            ]
        content[path.name] = sorted(rows)
    return content


def test_our_export_imported_and_exported_again_gives_the_same_content(tmp_path):
    """Export → import → export gives the same tables, ids and dates aside.

    A second database is not at hand in a test, so the import goes into the same one as a new
    source: the originals are archived first ("moved out of the way": archived listings are
    not exported), so the second export holds only what the import made. Ids differ by
    design (they are made from our primary keys) and are left out of the comparison; every
    other column of every table is compared, row by row.
    """
    org = make_organization(name="Lakeside Health", website="https://lakeside.example.org")
    program = make_treatment_program(
        name="Lakeside Recovery Clinic",
        organization=org,
        description="Outpatient treatment for alcohol and opioid use.",
        cost_notes="Sliding scale; Medicaid accepted.",
        sms="312-555-0199",
        time_zone="America/Chicago",
        terms={"language": ["en", "es"], "payment": ["medicaid", "sliding-scale"],
               "level_of_care": ["outpatient"], "medication": ["buprenorphine"]},
    )  # fmt: skip
    make_opening_hours(program, weekday=1, opens=time(8), closes=time(17, 30))
    make_opening_hours(program, weekday=3, opens=time(8), closes=time(12))
    make_helpline(name="Invented Warm Line", open_24_7=True, offers_in_person=False,
                  offers_phone=True, address_line1="", latitude=None, longitude=None)  # fmt: skip
    make_sober_living_home(name="Invented House", weekly_cost="175.00", **DENVER)
    first, second = tmp_path / "first", tmp_path / "second"
    export(first)
    Listing.objects.update(status=ListingStatus.ARCHIVED)
    out = run(first, "--source", "Round trip")
    assert "3 created" in out and "Not matched" not in out, out
    export(second)
    assert _content(second) == _content(first)


def test_curators_extend_the_mapping_in_the_admin(client):
    client.force_login(make_curator())
    assert client.get(reverse("admin:exchange_hsdstermmapping_changelist")).status_code == 200
    page = client.post(
        reverse("admin:exchange_hsdstermmapping_add"),
        {
            "taxonomy": "",
            "term": "Sober Homes",
            "target": "listing_kind",
            "code": "sober_living_home",
        },
    )
    assert page.status_code == 200  # the kind needs its detail: the form says so
    assert "Give sober_living_home:DETAIL" in page.text
    client.post(
        reverse("admin:exchange_hsdstermmapping_add"),
        {"term": "Sober Homes", "target": "listing_kind", "code": "sober_living_home:women"},
    )
    mapping = HsdsTermMapping.objects.get(term="Sober Homes")
    assert mapping.history.get().history_type == "+"


def test_a_service_no_longer_active_is_archived(tmp_path):
    HsdsTermMapping.objects.create(term="code", target="listing_kind", code="treatment_program")
    package = tmp_path / "package"
    shutil.copytree(PACKAGE, package)
    _linked(package, SERVICE_ID)
    run(package, "--source", "Example 211")
    assert counselling().status == ListingStatus.PUBLISHED
    _edit(package / "services.csv", 0, status="inactive")
    out = run(package, "--source", "Example 211", "--allow-deactivate")
    assert "services.csv row 2: status 'inactive'" in out and "1 archived" in out
    listing = counselling()
    assert listing.status == ListingStatus.ARCHIVED
    organization = listing.organization
    assert organization.history.get().history_change_reason == REASON
