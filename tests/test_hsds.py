"""The HSDS 3.0 API: real responses validated against Open Referral's own schemas."""

import json
import uuid
from datetime import date, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.core.cache import cache as django_cache
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from exchange.hsds import ids
from groups.models import MeetingFrequency
from resources.models import Listing, ListingStatus
from resources.vocabularies import Vocabulary
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "exchange" / "data" / "hsds-3.0"


@cache
def validator(name):
    """A validator for one schema of the project's copy (its $refs resolved in that copy)."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    ]
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(
        schema, registry=Registry().with_resources(resources), format_checker=FormatChecker()
    )


def assert_valid(name, instance):
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The API throttle counts requests in the cache; each test starts with none.
    django_cache.clear()
    yield
    django_cache.clear()


def assert_page(body):
    for field in ("total_items", "total_pages", "page_number", "size"):
        assert isinstance(body[field], int)
    for field in ("first_page", "last_page", "empty"):
        assert isinstance(body[field], bool)
    assert isinstance(body["contents"], list)


@pytest.fixture
def directory():
    """One listing of each kind, with terms, hours, meetings and an organization."""
    org = factories.make_organization(name="Lakeside Health", description="A health system.")
    program = factories.make_treatment_program(
        name="Lakeside Recovery Clinic",
        organization=org,
        sms="312-555-0199",
        website="https://lakeside.example.org",
        email="intake@lakeside.example.org",
        terms={
            Vocabulary.LANGUAGE: ["en", "es"],
            Vocabulary.PAYMENT: ["medicaid", "free"],
            Vocabulary.MEDICATION: ["buprenorphine"],
            Vocabulary.ACCREDITATION: ["carf"],
        },
    )
    factories.make_opening_hours(program)
    home = factories.make_sober_living_home(name="Maple House", weekly_cost=Decimal("175.00"))
    helpline = factories.make_helpline(name="Night Line", open_24_7=True)
    group = factories.make_support_group(name="Lincoln Park Group")
    factories.make_meeting(group=group, weekday=2, types=["O", "W"])
    factories.make_meeting(
        group=group, weekday=0, frequency=MeetingFrequency.MONTHLY, week_of_month=1
    )
    factories.make_meeting(
        group=group, weekday=5, frequency=MeetingFrequency.MONTHLY, week_of_month=5
    )
    draft = factories.make_clinician(name="Hidden Draft", status=ListingStatus.DRAFT)
    return {"program": program, "home": home, "helpline": helpline, "group": group, "draft": draft}


def services_by_name(client, query=""):
    body = client.get(f"/hsds/services?per_page=100{query}").json()
    return {service["name"]: service for service in body["contents"]}


# Root and services ----------------------------------------------------------------------


def test_root_says_hsds_version_3(client):
    body = client.get("/hsds/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("openapi.json")


def test_every_service_of_a_page_validates_against_the_compiled_schemas(client, directory):
    body = client.get("/hsds/services").json()
    assert_page(body)
    assert body["total_items"] == 4
    assert body["size"] == 4 and body["first_page"] and body["last_page"]
    for service in body["contents"]:
        assert_valid("compiled/service_list.json", service)
        assert_valid("compiled/service.json", service)


def test_service_detail_validates_and_maps_the_listing(client, directory):
    program = directory["program"]
    service_id = ids.service_id(program.pk)
    response = client.get(f"/hsds/services/{service_id}")
    assert response.status_code == 200
    service = response.json()
    assert_valid("compiled/service.json", service)
    assert service["id"] == service_id == str(uuid.uuid5(ids.NAMESPACE, f"listing:{program.pk}"))
    assert service["status"] == "active"
    assert service["assured_date"] == program.last_verified_on.isoformat()
    assert service["url"] == "https://lakeside.example.org"
    assert service["organization"]["name"] == "Lakeside Health"
    assert service["organization_id"] == service["organization"]["id"]
    assert {(p["type"], p["number"]) for p in service["phones"]} == {
        ("voice", "312-555-0100"),
        ("text", "312-555-0199"),
    }
    assert {language["code"] for language in service["languages"]} == {"en", "es"}
    assert {option["option"] for option in service["cost_options"]} == {"Medicaid", "Free"}
    assert service["accreditations"] == "CARF accredited"
    [schedule] = service["schedules"]
    assert schedule["freq"] == "WEEKLY" and schedule["byday"] == "MO"
    assert (schedule["opens_at"], schedule["closes_at"]) == ("09:00", "17:00")
    [at_location] = service["service_at_locations"]
    [address] = at_location["location"]["addresses"]
    assert address["address_1"] == "2400 N Clark St"
    assert address["state_province"] == "IL"
    assert at_location["location"]["latitude"] == 41.9248
    term_ids = {attribute["taxonomy_term_id"] for attribute in service["attributes"]}
    assert ids.taxonomy_term_id("medication", "buprenorphine") in term_ids
    assert ids.taxonomy_term_id("listing_kind", "treatment_program") in term_ids
    assert {attribute["link_entity"] for attribute in service["attributes"]} == {"service"}


def test_approximate_place_has_no_street_and_a_rounded_point(client, directory):
    service = services_by_name(client)["Maple House"]
    location = service["service_at_locations"][0]["location"]
    assert "addresses" not in location
    assert (location["latitude"], location["longitude"]) == (41.92, -87.64)
    assert "2400" not in json.dumps(service)
    [weekly] = [option for option in service["cost_options"] if "amount" in option]
    assert (weekly["amount"], weekly["currency"], weekly["amount_description"]) == (
        175.0,
        "USD",
        "per week",
    )


def test_listing_without_organization_gets_a_synthetic_one(client, directory):
    helpline = directory["helpline"]
    service = services_by_name(client)["Night Line"]
    assert service["organization"] == {
        "id": ids.listing_organization_id(helpline.pk),
        "name": "Night Line",
        "description": "The provider of “Night Line”, listed without an organization.",
    }
    assert "service_at_locations" not in service  # reached by phone only
    [schedule] = service["schedules"]
    assert schedule["byday"] == "MO,TU,WE,TH,FR,SA,SU"


def test_meetings_are_weekly_and_monthly_schedules(client, directory):
    service = services_by_name(client)["Lincoln Park Group"]
    days = {(s["freq"], s["byday"]) for s in service["schedules"]}
    assert days == {("WEEKLY", "TU"), ("MONTHLY", "1SU"), ("MONTHLY", "-1FR")}
    weekly = next(s for s in service["schedules"] if s["freq"] == "WEEKLY")
    assert weekly["opens_at"] == "19:00" and weekly["notes"].endswith("America/Chicago.")
    codes = {a["taxonomy_term"]["code"] for a in weekly["attributes"]}
    assert codes == {"O", "W"}


def test_only_published_listings_are_services(client, directory):
    names = services_by_name(client)
    assert "Hidden Draft" not in names
    draft_id = ids.service_id(directory["draft"].pk)
    assert client.get(f"/hsds/services/{draft_id}").status_code == 404


def test_search_finds_services_by_name(client, directory):
    assert list(services_by_name(client, "&search=Maple")) == ["Maple House"]


def test_taxonomy_term_id_filters_services(client, directory):
    medicaid = ids.taxonomy_term_id("payment", "medicaid")
    assert list(services_by_name(client, f"&taxonomy_term_id={medicaid}")) == [
        "Lakeside Recovery Clinic"
    ]
    kind = ids.taxonomy_term_id("listing_kind", "sober_living_home")
    assert list(services_by_name(client, f"&taxonomy_term_id={kind}")) == ["Maple House"]
    women = ids.taxonomy_term_id("meeting_type", "W")
    assert list(services_by_name(client, f"&taxonomy_term_id={women}")) == ["Lincoln Park Group"]
    unknown = uuid.uuid4()
    assert services_by_name(client, f"&taxonomy_term_id={unknown}") == {}


def test_modified_after_filters_by_updated_at(client, directory):
    long_ago = timezone.now() - timedelta(days=400)
    Listing.objects.exclude(pk=directory["home"].pk).update(updated_at=long_ago)
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert list(services_by_name(client, f"&modified_after={since}")) == ["Maple House"]


def test_paging_follows_hsds(client, directory):
    body = client.get("/hsds/services?per_page=3&page=2").json()
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (
        4,
        2,
        2,
        1,
    )
    assert not body["first_page"] and body["last_page"] and not body["empty"]
    past = client.get("/hsds/services?page=9").json()
    assert past["empty"] and past["contents"] == []


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("page=0", "page"),
        ("page=two", "page"),
        ("per_page=10000", "per_page"),
        ("modified_after=not-a-date", "modified_after"),
        ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
    ],
)
@pytest.mark.parametrize("path", ["/hsds/services", "/hsds/service_at_locations"])
def test_bad_parameters_answer_400_with_a_message(client, path, query, parameter):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][parameter]


@pytest.mark.parametrize(
    "path",
    [
        "services",
        "organizations",
        "service_at_locations",
        "taxonomies",
        "taxonomy_terms",
    ],
)
@pytest.mark.parametrize("wanted", [str(uuid.uuid4()), "not-a-uuid"])
def test_unknown_id_answers_404(client, path, wanted):
    response = client.get(f"/hsds/{path}/{wanted}")
    assert response.status_code == 404
    assert "no item" in response.json()["detail"]


def _make_listings(count):
    for number in range(count):
        make = [
            factories.make_treatment_program,
            factories.make_sober_living_home,
            factories.make_support_group,
        ][number % 3]
        listing = make(terms={Vocabulary.LANGUAGE: ["en"], Vocabulary.PAYMENT: ["free"]})
        factories.make_opening_hours(listing, weekday=2, opens=time(8), closes=time(12))
        if number % 3 == 2:
            factories.make_meeting(group=listing, types=["O"])


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("path", ["/hsds/services", "/hsds/service_at_locations"])
def test_service_lists_take_the_same_queries_whatever_the_page_size(
    client, django_assert_num_queries, count, path
):
    _make_listings(count)
    # count, page (kinds and organization joined), terms, opening hours, meetings,
    # meeting types
    with django_assert_num_queries(6):
        body = client.get(f"{path}?per_page=100").json()
    assert body["size"] == count


# Organizations ---------------------------------------------------------------------------


def test_organizations_list_real_and_synthetic_organizations(client, directory):
    body = client.get("/hsds/organizations?per_page=2").json()
    assert_page(body)
    assert body["total_items"] == 4  # Lakeside Health + three listings without one
    every = client.get("/hsds/organizations").json()["contents"]
    assert [org["name"] for org in every][0] == "Lakeside Health"
    assert {org["name"] for org in every[1:]} == {
        "Lincoln Park Group",
        "Maple House",
        "Night Line",
    }
    for org in every:
        assert_valid("compiled/organization_list.json", org)
    second_page = client.get("/hsds/organizations?per_page=2&page=2").json()["contents"]
    assert [org["name"] for org in second_page] == [org["name"] for org in every[2:]]


def test_organization_detail_lists_its_services(client, directory):
    org_id = ids.organization_id(directory["program"].organization_id)
    body = client.get(f"/hsds/organizations/{org_id}").json()
    assert_valid("compiled/organization.json", body)
    assert [service["name"] for service in body["services"]] == ["Lakeside Recovery Clinic"]
    synthetic = ids.listing_organization_id(directory["home"].pk)
    body = client.get(f"/hsds/organizations/{synthetic}").json()
    assert_valid("compiled/organization.json", body)
    assert body["name"] == "Maple House"


def test_organizations_list_takes_constant_queries(client, django_assert_num_queries):
    _make_listings(5)
    factories.make_clinician(organization=factories.make_organization())
    # counts of real and synthetic organizations, a page of each
    with django_assert_num_queries(4):
        body = client.get("/hsds/organizations?per_page=100").json()
    assert body["size"] == 6


# Services at locations ----------------------------------------------------------------------


def test_service_at_locations_validate(client, directory):
    body = client.get("/hsds/service_at_locations").json()
    assert_page(body)
    names = {item["service"]["name"] for item in body["contents"]}
    assert names == {"Lakeside Recovery Clinic", "Maple House", "Lincoln Park Group"}
    for item in body["contents"]:
        assert_valid("compiled/service_at_location_list.json", item)
        assert_valid("compiled/service_at_location.json", item)
    detail = client.get(f"/hsds/service_at_locations/{body['contents'][0]['id']}").json()
    assert_valid("compiled/service_at_location.json", detail)
    assert detail == body["contents"][0]


# Taxonomies ---------------------------------------------------------------------------------


def test_taxonomies_one_per_vocabulary_and_one_for_kinds(client):
    body = client.get("/hsds/taxonomies?per_page=100").json()
    assert body["total_items"] == len(Vocabulary) + 1
    for taxonomy in body["contents"]:
        assert_valid("taxonomy.json", taxonomy)
    first = body["contents"][0]
    assert client.get(f"/hsds/taxonomies/{first['id']}").json() == first


def test_taxonomy_terms_validate_and_filter_by_taxonomy(client):
    body = client.get("/hsds/taxonomy_terms?per_page=100").json()
    assert body["total_items"] > 100
    for term in body["contents"]:
        assert_valid("taxonomy_term.json", term)
    languages = ids.taxonomy_id("language")
    body = client.get(f"/hsds/taxonomy_terms?per_page=100&taxonomy_id={languages}").json()
    assert {term["code"] for term in body["contents"]} >= {"en", "es", "ase"}
    assert {term["taxonomy"] for term in body["contents"]} == {"Language"}
    spanish = ids.taxonomy_term_id("language", "es")
    assert client.get(f"/hsds/taxonomy_terms/{spanish}").json()["name"] == "Spanish"


def test_dates_are_iso(client, directory):
    service = services_by_name(client)["Lakeside Recovery Clinic"]
    assert date.fromisoformat(service["assured_date"]) == directory["program"].last_verified_on
