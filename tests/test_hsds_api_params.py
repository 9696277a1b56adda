"""HSDS API parameters: ``full``, ``minimal``, ``format=ndjson``, ``postcode`` and ``proximity``.

Every body is validated against Open Referral's compiled schemas, as in test_hsds.py.
"""

import json
from decimal import Decimal

import pytest

from exchange.hsds import ids
from tests import factories
from tests.test_hsds import assert_page, assert_valid

pytestmark = pytest.mark.django_db

# Lincoln Park (ZIP 60614) and places at growing distances from its centre.
NEAR = (Decimal("41.922000"), Decimal("-87.652000"), "60614")  # about 1 km
LOOP = (Decimal("41.881000"), Decimal("-87.630000"), "60603")  # about 5 km
EVANSTON = (Decimal("42.045000"), Decimal("-87.688000"), "60201")  # about 14 km


@pytest.fixture
def clinics():
    made = {}
    for name, (latitude, longitude, code) in {
        "Near Clinic": NEAR,
        "Loop Clinic": LOOP,
        "Evanston Clinic": EVANSTON,
    }.items():
        made[name] = factories.make_treatment_program(
            name=name, latitude=latitude, longitude=longitude, postal_code=code
        )
    factories.make_helpline(name="Phone Only Line")
    return made


def test_minimal_lists_each_services_id_and_when_it_changed(client, clinics):
    body = client.get("/hsds/services", {"minimal": "true", "per_page": 1000}).json()

    assert_page(body)
    assert body["size"] == 4
    by_id = {row["id"]: row for row in body["contents"]}
    near = clinics["Near Clinic"]
    assert by_id[ids.service_id(near.pk)] == {
        "id": ids.service_id(near.pk),
        "last_modified": near.updated_at.isoformat(),
    }


def test_a_page_of_over_100_needs_minimal(client, clinics):
    response = client.get("/hsds/services", {"per_page": 1000})

    assert response.status_code == 400
    assert "per_page" in response.json()["errors"]


def test_full_false_gives_the_services_own_fields_and_full_true_nests(client, clinics):
    flat = client.get("/hsds/services", {"full": "false"}).json()["contents"]
    nested = client.get("/hsds/services", {"full": "true"}).json()["contents"]

    assert all("phones" not in row and "organization" not in row for row in flat)
    assert all("organization" in row for row in nested)
    for row in nested:
        assert_valid("compiled/service.json", row)
    assert {row["name"] for row in flat} == {row["name"] for row in nested}


def test_ndjson_streams_every_result_without_pages(client, clinics):
    for number in range(25):
        factories.make_clinician(name=f"Clinician {number:02}")

    response = client.get("/hsds/services", {"format": "ndjson", "per_page": 5})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    services = [json.loads(line) for line in lines]
    assert len(services) == 29  # all of them, whatever per_page says
    for service in services:
        assert_valid("compiled/service.json", service)


def test_an_unknown_format_is_a_clear_400(client):
    response = client.get("/hsds/services", {"format": "xml"})

    assert response.status_code == 400
    assert response.json()["errors"]["format"] == [
        "Use json (pages) or ndjson (every result, streamed)."
    ]


def test_proximity_finds_locations_within_meters_of_a_postcode_nearest_first(client, clinics):
    within_8_km = client.get(
        "/hsds/service_at_locations", {"postcode": "60614", "proximity": 8000}
    ).json()
    within_20_km = client.get(
        "/hsds/service_at_locations", {"postcode": "60614", "proximity": 20000}
    ).json()

    def names(body):
        return [row["service"]["name"] for row in body["contents"]]

    assert names(within_8_km) == ["Near Clinic", "Loop Clinic"]
    assert names(within_20_km) == ["Near Clinic", "Loop Clinic", "Evanston Clinic"]
    for row in within_20_km["contents"]:
        assert_valid("compiled/service_at_location.json", row)


def test_a_postcode_alone_finds_the_locations_at_it(client, clinics):
    body = client.get("/hsds/service_at_locations", {"postcode": "60201"}).json()

    assert [row["service"]["name"] for row in body["contents"]] == ["Evanston Clinic"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"proximity": 5000}, "proximity", "Give a postcode to measure the distance from."),
        ({"postcode": "99999", "proximity": 5000}, "postcode", "is not a US ZIP code we know"),
        ({"postcode": "60614", "proximity": "far"}, "proximity", "whole meters"),
        ({"postcode": "60614", "proximity": 10**7}, "proximity", "at most 160,934 meters"),
    ],
)
def test_bad_proximity_questions_are_clear_400s(client, query, field, message):
    response = client.get("/hsds/service_at_locations", query)

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
