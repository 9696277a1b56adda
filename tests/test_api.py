"""The open data API: read-only JSON under /api/v1/ with the site search's own filters."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from groups.models import Attendance, MeetingStatus
from resources.models import ClinicianRole, ListingStatus
from resources.vocabularies import TERMS, Vocabulary
from tests.factories import (
    fellowship,
    make_clinician,
    make_community_resource,
    make_helpline,
    make_meeting,
    make_opening_hours,
    make_organization,
    make_place,
    make_sober_living_home,
    make_support_group,
    make_treatment_program,
)

pytestmark = pytest.mark.django_db

LISTINGS = reverse("api:listing-list")
MEETINGS = reverse("api:meeting-list")
FELLOWSHIPS = reverse("api:fellowship-list")
VOCABULARIES = reverse("api:vocabularies")

DENVER = {
    "address_line1": "1550 Larimer St",
    "city": "Denver",
    "region": "CO",
    "postal_code": "80202",
    "latitude": Decimal("39.748000"),
    "longitude": Decimal("-104.999000"),
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The throttle counts requests in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, (url, params, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def names(body):
    return [result["name"] for result in body["results"]]


def detail(slug):
    return reverse("api:listing-detail", kwargs={"slug": slug})


# Listings: search, filters, place


def test_search_text_finds_the_listing_and_leaves_others_out(client):
    make_treatment_program(name="Lakeside Methadone Clinic", summary="Methadone and counseling.")
    make_clinician(name="Dr. Rivera", summary="Family therapy.")
    body = get_json(client, LISTINGS, q="methadone")
    assert names(body) == ["Lakeside Methadone Clinic"]
    assert body["count"] == 1


@pytest.mark.parametrize(
    ("params", "kept", "left_out"),
    [
        ({"kind": "clinician"}, "Therapist", "Program"),
        ({"payment": "medicaid"}, "Therapist", "Psychiatrist"),
        ({"payment": ["medicaid", "free"]}, "Program", "Psychiatrist"),
        ({"language": "es"}, "Psychiatrist", "Therapist"),
        ({"role": "psychiatrist"}, "Psychiatrist", "Therapist"),
        ({"new_clients": "true"}, "Therapist", "Psychiatrist"),
        ({"fellowship": "alcoholics-anonymous"}, "AA group", "Program"),
        ({"beds": "1"}, "Sober home", "Therapist"),
        ({"delivery": "phone"}, "Helpline", "Therapist"),
    ],
)
def test_each_filter_narrows_the_results(client, params, kept, left_out):
    make_clinician(name="Therapist", terms={Vocabulary.PAYMENT: ["medicaid"]})
    make_clinician(
        name="Psychiatrist",
        role=ClinicianRole.PSYCHIATRIST,
        accepting_new_clients=False,
        terms={Vocabulary.LANGUAGE: ["es"]},
    )
    make_treatment_program(name="Program", terms={Vocabulary.PAYMENT: ["free"]})
    make_sober_living_home(
        name="Sober home", beds_total=6, beds_available=1, beds_updated_on=date(2026, 10, 1)
    )
    make_support_group(name="AA group", fellowship=fellowship("AA"))
    make_helpline(name="Helpline")
    found = names(get_json(client, LISTINGS, **params))
    assert kept in found
    assert left_out not in found


def test_near_keeps_close_listings_with_their_distance_nearest_first(client):
    make_clinician(name="Lincoln Park Clinic")
    make_clinician(name="Denver Clinic", **DENVER)
    make_clinician(
        name="Edgewater Clinic",
        city="Chicago",
        postal_code="60640",
        latitude=Decimal("41.981000"),
        longitude=Decimal("-87.660000"),
    )
    body = get_json(client, LISTINGS, near="60614", radius="10")
    assert names(body) == ["Lincoln Park Clinic", "Edgewater Clinic"]
    distances = [result["distance"] for result in body["results"]]
    assert distances[0] < distances[1] < 10
    assert get_json(client, LISTINGS)["results"][0]["distance"] is None


def test_sort_by_name_overrides_distance(client):
    make_clinician(name="Zephyr Clinic")
    make_clinician(name="Aspen Clinic", latitude=Decimal("41.980000"))
    assert names(get_json(client, LISTINGS, near="60614")) == ["Zephyr Clinic", "Aspen Clinic"]
    assert names(get_json(client, LISTINGS, near="60614", sort="name")) == [
        "Aspen Clinic",
        "Zephyr Clinic",
    ]


def test_a_result_has_its_contact_place_and_links(client):
    make_clinician(
        name="Dr. Ada Okafor", slug="ada-okafor", website="https://example.org/ada", summary="CBT."
    )
    (result,) = get_json(client, LISTINGS)["results"]
    assert result["kind"] == "clinician"
    assert result["slug"] == "ada-okafor"
    assert result["summary"] == "CBT."
    assert result["phone"] == "312-555-0100"
    assert result["website"] == "https://example.org/ada"
    assert result["delivery"] == ["in_person"]
    assert result["address"]["line1"] == "2400 N Clark St"
    assert result["address"]["town"] == "Chicago, IL"
    assert result["coordinates"] == {"latitude": 41.9248, "longitude": -87.6414}
    assert result["url"] == "http://testserver/api/v1/listings/ada-okafor/"
    assert result["html_url"] == "http://testserver/listings/ada-okafor/"


def test_an_approximate_place_shows_only_its_town_and_rounded_coordinates(client):
    make_sober_living_home(name="Quiet House", address_line1="1 Secret Lane", postal_code="60614")
    (result,) = get_json(client, LISTINGS)["results"]
    assert result["address"]["line1"] == ""
    assert result["address"]["postal_code"] == ""
    assert result["address"]["town"] == "Chicago, IL"
    assert result["address"]["precision"] == "approximate"
    assert result["coordinates"] == {"latitude": 41.92, "longitude": -87.64}
    assert "Secret" not in str(get_json(client, detail(result["slug"])))


def test_only_published_listings_are_listed_or_opened(client):
    make_clinician(name="Published")
    for status in (ListingStatus.DRAFT, ListingStatus.PENDING_REVIEW, ListingStatus.ARCHIVED):
        make_clinician(name=f"Not {status}", slug=f"not-{status}".replace("_", "-"), status=status)
    assert names(get_json(client, LISTINGS)) == ["Published"]
    body = get_json(client, detail("not-draft"), status=404)
    assert body == {"detail": "No Listing matches the given query."}


# Listing details, per kind


def test_clinician_detail_has_typed_fields_terms_hours_and_organization(client):
    clinician = make_clinician(
        slug="dr-okafor",
        role=ClinicianRole.PSYCHIATRIST,
        credentials="MD",
        organization=make_organization(name="Northside Health", slug="northside"),
        terms={Vocabulary.PAYMENT: ["medicaid", "free"], Vocabulary.LANGUAGE: ["es"]},
    )
    make_opening_hours(clinician)
    body = get_json(client, detail("dr-okafor"))
    assert body["details"] == {
        "role": "psychiatrist",
        "role_label": "Psychiatrist",
        "credentials": "MD",
        "accepting_new_clients": True,
        # When, and by whom, that was last confirmed: never yet.
        "new_clients_waitlist": False,
        "new_clients_confirmed_on": None,
        "new_clients_confirmed_by": "",
        "new_clients_confirmed_by_label": "",
    }
    assert body["terms"] == {
        "language": [{"code": "es", "label": "Spanish"}],
        "payment": [{"code": "free", "label": "Free"}, {"code": "medicaid", "label": "Medicaid"}],
    }
    assert body["opening_hours"] == [
        {"day": 1, "day_name": "Monday", "opens": "09:00", "closes": "17:00"}
    ]
    assert body["organization"]["name"] == "Northside Health"
    assert body["meetings"] == []


@pytest.mark.parametrize(
    ("make", "fields", "expected"),
    [
        (make_treatment_program, {"license_number": "IL-42"}, {"license_number": "IL-42"}),
        (
            make_sober_living_home,
            {
                "beds_total": 8,
                "beds_available": 2,
                "beds_updated_on": date(2026, 10, 1),
                "weekly_cost": Decimal("175.00"),
            },
            {"beds_available": 2, "beds_updated_on": "2026-10-01", "weekly_cost": "175.00"},
        ),
        (make_helpline, {"helpline_type": "hotline"}, {"helpline_type_label": "Phone hotline"}),
        (make_community_resource, {"resource_type": "faith"}, {"resource_type": "faith"}),
    ],
)
def test_each_kind_shows_its_own_fields(client, make, fields, expected):
    listing = make(**fields)
    body = get_json(client, detail(listing.slug))
    assert body["kind"] == listing.kind
    assert expected.items() <= body["details"].items()


def test_support_group_detail_lists_its_meetings(client):
    group = make_support_group(slug="lincoln-park-aa")
    make_meeting(group=group, name="Tuesday Night Step", types=["O", "ST"])
    make_meeting(group=group, name="Gone", status=MeetingStatus.INACTIVE)
    body = get_json(client, detail("lincoln-park-aa"))
    assert body["details"]["fellowship"] == {
        "slug": "alcoholics-anonymous",
        "name": "Alcoholics Anonymous",
    }
    (meeting,) = body["meetings"]
    assert meeting["name"] == "Tuesday Night Step"
    assert {t["code"] for t in meeting["types"]} == {"O", "ST"}


def test_detail_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    group = make_support_group(slug="group", terms={Vocabulary.LANGUAGE: ["en"]})
    for _ in range(3):
        make_meeting(group=group, types=["O"])
    # The listing with its kind and fellowship, its terms, its hours, its meetings
    # and their types.
    with django_assert_num_queries(5):
        client.get(detail("group"))


# Errors


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"radius": "-5"}, "radius", "Choose a distance from the list"),
        ({"kind": "spaceship"}, "kind", "We don’t list “spaceship” as a kind of help"),
        ({"q": "x" * 5000}, "q", "Search text is too long (5,000 characters)"),
        ({"q": "\ufffd"}, "q", "characters we could not read"),
        ({"sort": "price"}, "sort", "Choose how to sort"),
        ({"new_clients": "maybe"}, "new_clients", "is not a yes or no"),
        ({"page": "0"}, "page", "is not a page number"),
        ({"page": "abc"}, "page", "is not a page number"),
        ({"page_size": "500"}, "page_size", "Choose a page size from 1 to 100"),
        ({"page_size": "x"}, "page_size", "Choose a page size from 1 to 100"),
    ],
)
def test_a_bad_parameter_answers_400_with_its_message(client, params, field, message):
    make_clinician()
    body = get_json(client, LISTINGS, status=400, **params)
    assert list(body) == ["errors"]
    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]


def test_broken_utf8_in_the_address_is_a_400_not_a_500(client):
    response = client.get(f"{LISTINGS}?q=%ff")
    assert response.status_code == 400
    assert "characters we could not read" in response.json()["errors"]["q"][0]


def test_an_unknown_place_answers_400_with_suggestions(client):
    body = get_json(client, LISTINGS, status=400, near="Chicgo")
    assert body["errors"]["near"]
    assert "Chicago, IL" in body["suggestions"]


def test_a_page_past_the_end_is_a_404_with_a_detail(client):
    make_clinician()
    body = get_json(client, LISTINGS, status=404, page="3")
    assert body == {"detail": "There is no page 3: these results fill 1 page."}


def test_an_unknown_listing_is_a_404_with_a_detail(client):
    assert set(get_json(client, detail("nobody"), status=404)) == {"detail"}


def test_the_api_is_read_only(client):
    response = client.post(LISTINGS, {}, content_type="application/json")
    assert response.status_code == 405
    assert "detail" in response.json()


# Pagination and query counts


def test_twenty_a_page_with_links_and_page_size_up_to_100(client):
    for number in range(25):
        make_clinician(name=f"Clinician {number:02}")
    body = get_json(client, LISTINGS)
    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/listings/?page=2"
    second = get_json(client, LISTINGS, page="2")
    assert names(second) == [f"Clinician {number:02}" for number in range(20, 25)]
    assert len(get_json(client, LISTINGS, page_size="100")["results"]) == 25


@pytest.mark.parametrize("rows", [3, 30])
def test_listings_cost_one_query_whatever_the_page_size(client, django_assert_num_queries, rows):
    for _ in range(rows):
        make_support_group(terms={Vocabulary.LANGUAGE: ["en"]})
    # The page, each row carrying the number of results.
    with django_assert_num_queries(1):
        body = get_json(client, LISTINGS, page_size="100", near="60614")
    assert len(body["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_meetings_cost_three_queries_whatever_the_page_size(
    client, django_assert_num_queries, rows
):
    group = make_support_group()
    place = make_place()
    for number in range(rows):
        make_meeting(group=group, place=place if number % 2 else None, types=["O", "D"])
    # The time zones in use, the page (with the number of results), the meetings' types.
    with django_assert_num_queries(3):
        body = get_json(client, MEETINGS, page_size="100", day="any")
    assert len(body["results"]) == rows


def test_fellowships_cost_one_query(client, django_assert_num_queries):
    # The page, with the number of results (the fellowships are seeded by migrate).
    with django_assert_num_queries(1):
        get_json(client, FELLOWSHIPS, page_size="100")


# Meetings and fellowships


def test_meetings_take_the_finders_filters(client):
    group = make_support_group()
    make_meeting(group=group, name="Tuesday In Person", weekday=2)
    make_meeting(
        group=group,
        name="Online Wednesday",
        weekday=3,
        attendance=Attendance.ONLINE,
        conference_url="https://example.org/zoom",
    )
    assert names(get_json(client, MEETINGS, day="2")) == ["Tuesday In Person"]
    assert names(get_json(client, MEETINGS, day="any", attendance="online")) == ["Online Wednesday"]
    body = get_json(client, MEETINGS, status=400, day="funday")
    assert list(body["errors"]) == ["day"]


def test_a_meeting_has_its_schedule_place_types_and_links(client):
    group = make_support_group(name="Lincoln Park AA", slug="lincoln-park-aa")
    place = make_place(name="St. Luke's hall", notes="Side door")
    make_meeting(
        group=group,
        place=place,
        slug="tuesday-step",
        name="Tuesday Step",
        weekday=2,
        start_time=time(19, 30),
        end_time=time(20, 30),
        attendance=Attendance.HYBRID,
        conference_url="https://example.org/zoom",
        types=["O"],
    )
    (meeting,) = get_json(client, MEETINGS, day="any", near="60614")["results"]
    assert meeting["slug"] == "tuesday-step"
    assert meeting["group"]["name"] == "Lincoln Park AA"
    assert meeting["group"]["url"] == "http://testserver/api/v1/listings/lincoln-park-aa/"
    assert meeting["fellowship"]["short_name"] == "AA"
    assert (meeting["day"], meeting["day_name"], meeting["time"]) == (2, "Tuesday", "19:30")
    assert meeting["end_time"] == "20:30"
    assert meeting["time_zone"] == "America/Chicago"
    assert meeting["schedule"] == "Every Tuesday"
    assert meeting["attendance"] == "hybrid"
    assert meeting["types"] == [{"code": "O", "label": "Open"}]
    assert meeting["place"]["name"] == "St. Luke's hall"
    assert meeting["place"]["address"]["line1"] == "2400 N Clark St"
    assert meeting["online"]["url"] == "https://example.org/zoom"
    assert meeting["distance"] is not None
    assert meeting["html_url"] == "http://testserver/meetings/tuesday-step/"


def test_meetings_of_unpublished_groups_are_not_listed(client):
    make_meeting(name="Listed")
    make_meeting(name="Hidden", group=make_support_group(status=ListingStatus.DRAFT))
    make_meeting(name="Closed", status=MeetingStatus.TEMPORARILY_CLOSED)
    assert names(get_json(client, MEETINGS, day="any")) == ["Listed"]


def test_fellowships_are_listed_with_links_to_their_meetings(client):
    body = get_json(client, FELLOWSHIPS)
    aa = next(item for item in body["results"] if item["short_name"] == "AA")
    assert aa["approach"] == "twelve_step"
    assert aa["meetings_url"].endswith("/api/v1/meetings/?fellowship=alcoholics-anonymous&day=any")


# Vocabularies


def test_vocabularies_list_every_term_and_the_filter_choices_without_a_query(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        body = get_json(client, VOCABULARIES)
    payment = next(v for v in body["vocabularies"] if v["code"] == "payment")
    assert payment["terms"][0] == {"code": "free", "label": "Free"}
    assert len(payment["terms"]) == len(TERMS[Vocabulary.PAYMENT])
    assert {"code": "clinician", "label": "Doctor, therapist or counselor"} in body["kinds"]
    assert {"code": "psychiatrist", "label": "Psychiatrist"} in body["clinician_roles"]
    assert {"code": "hybrid", "label": "In person and online"} in body["attendance"]
    assert {"code": "O", "label": "Open"} in body["meeting_types"]
    assert body["listing_filters"]["radius"][0] == {"code": "5", "label": "5 miles"}
    assert {"code": "any", "label": "Any day"} in body["meeting_filters"]["day"]


# CORS, cookies and throttling


def test_any_site_may_read_the_api_and_no_cookie_is_set(client):
    make_clinician()
    response = client.get(LISTINGS, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies


def test_too_many_requests_answer_429(client):
    rest_framework = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    with override_settings(REST_FRAMEWORK=rest_framework):
        for _ in range(3):
            assert client.get(VOCABULARIES).status_code == 200
        response = client.get(VOCABULARIES)
    assert response.status_code == 429
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "near=%ff",
        "near=91,0",
        "near=" + "9" * 300,
        "radius=abc",
        "radius=25&radius=-1",
        "page=-1",
        "page=1.5",
        "page=99999999999999999999999",
        "page_size=0",
        "kind=%ff",
        "payment=" + "x" * 5000,
        "remote=perhaps",
    ],
)
def test_odd_input_is_answered_in_json_never_a_500(client, query):
    make_clinician()
    response = client.get(f"{LISTINGS}?{query}")
    assert response.status_code in (400, 404), (query, response.status_code)
    assert set(response.json()) <= {"errors", "suggestions", "detail"}


@pytest.mark.parametrize(
    "query", ["day=8", "time=noonish", "now=perhaps", "near=Nowhere%20Town", "types=ZZ"]
)
def test_odd_meeting_input_is_a_400(client, query):
    response = client.get(f"{MEETINGS}?{query}")
    assert response.status_code == 400, query
    assert "errors" in response.json()


def test_remote_adds_phone_help_without_a_distance(client):
    make_clinician(name="Near Clinic")
    make_helpline(name="National Line", scope="national", latitude=None, longitude=None)
    results = get_json(client, LISTINGS, near="60614", remote="1")["results"]
    distances = {result["name"]: result["distance"] for result in results}
    assert distances["National Line"] is None
    assert distances["Near Clinic"] is not None


def test_a_slug_with_unusual_characters_is_a_json_404(client):
    response = client.get("/api/v1/listings/%C3%B1%20x/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
