"""``manage.py export_hsds``: HSDS 3.0 CSV files with the columns of the table schemas."""

import csv
import json
from datetime import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exchange.hsds import ids
from exchange.hsds.export import TABLES
from groups.models import MeetingFrequency
from resources.models import ListingStatus
from resources.vocabularies import Vocabulary
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "exchange" / "data" / "hsds-3.0"


def table_columns(table):
    schema = json.loads((SCHEMAS / f"{table}.json").read_text())
    return schema["path"], [
        name
        for name, field in schema["properties"].items()
        if field.get("type") not in ("array", "object") and "$ref" not in field
    ]


def read_rows(directory, path):
    with (directory / path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def exported(tmp_path):
    org = factories.make_organization(name="Lakeside Health")
    program = factories.make_treatment_program(
        name="Lakeside Clinic",
        organization=org,
        terms={Vocabulary.LANGUAGE: ["es"], Vocabulary.PAYMENT: ["medicaid"]},
    )
    factories.make_opening_hours(program)
    factories.make_sober_living_home(name="Maple House", weekly_cost=Decimal("150"))
    group = factories.make_support_group(name="Lincoln Park Group")
    factories.make_meeting(group=group, frequency=MeetingFrequency.MONTHLY, week_of_month=5)
    hall = factories.make_place(
        name="St. Luke's Hall", address_line1="1500 W Belmont Ave", postal_code="60657"
    )
    for weekday in (3, 5):  # two meetings at the same other place: one location
        factories.make_meeting(group=group, place=hall, weekday=weekday, start_time=time(18, 30))
    factories.make_clinician(name="Hidden Draft", status=ListingStatus.DRAFT)
    out = StringIO()
    call_command("export_hsds", str(tmp_path), stdout=out)
    return {
        "directory": tmp_path,
        "output": out.getvalue(),
        "program": program,
        "group": group,
        "hall": hall,
    }


def test_every_csv_has_the_columns_of_its_table_schema(exported):
    for table in TABLES:
        path, expected = table_columns(table)
        with (exported["directory"] / path).open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == expected, table


def test_datapackage_lists_every_csv_with_its_fields(exported):
    package = json.loads((exported["directory"] / "datapackage.json").read_text())
    listed = {resource["path"]: resource for resource in package["resources"]}
    written = {path.name for path in exported["directory"].glob("*.csv")}
    assert set(listed) == written
    assert len(written) == len(TABLES)
    for table in TABLES:
        path, expected = table_columns(table)
        assert [field["name"] for field in listed[path]["schema"]["fields"]] == expected


def test_rows_are_the_published_directory(exported):
    directory = exported["directory"]
    services = read_rows(directory, "services.csv")
    assert {row["name"] for row in services} == {
        "Lakeside Clinic",
        "Maple House",
        "Lincoln Park Group",
    }
    clinic = next(row for row in services if row["name"] == "Lakeside Clinic")
    assert clinic["id"] == ids.service_id(exported["program"].pk)
    organizations = {row["id"]: row["name"] for row in read_rows(directory, "organizations.csv")}
    assert {row["organization_id"] for row in services} <= set(organizations)
    assert len(organizations) == 3  # Lakeside Health and two synthetic ones
    addresses = read_rows(directory, "addresses.csv")
    # Not Maple House (its street is private); the hall once, for its two meetings.
    assert sorted(row["address_1"] for row in addresses) == [
        "1500 W Belmont Ave",
        "2400 N Clark St",
        "2400 N Clark St",
    ]
    schedules = {row["byday"] for row in read_rows(directory, "schedules.csv")}
    assert schedules == {"MO", "-1MO", "WE", "FR"}
    options = read_rows(directory, "cost_options.csv")
    assert {(row["option"], row["amount"]) for row in options} == {
        ("Medicaid", ""),
        ("Rent", "150.0"),
    }
    assert [row["code"] for row in read_rows(directory, "languages.csv")] == ["es"]
    term_ids = {row["id"] for row in read_rows(directory, "taxonomy_terms.csv")}
    attributes = read_rows(directory, "attributes.csv")
    assert {row["taxonomy_term_id"] for row in attributes} <= term_ids
    assert "Wrote HSDS 3.0" in exported["output"]


OFFICIAL_PACKAGE = SCHEMAS / "datapackage.json"


def frictionless_errors(directory, package_path):
    """Every error the official ``frictionless`` library finds in the package's CSVs."""
    from frictionless import Package

    package = json.loads(package_path.read_text())
    report = Package(package, basepath=str(directory)).validate()
    return [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


def test_the_export_validates_against_the_official_datapackage_with_frictionless(exported):
    directory = exported["directory"]

    assert frictionless_errors(directory, OFFICIAL_PACKAGE) == []
    assert frictionless_errors(directory, directory / "datapackage.json") == []


def test_frictionless_does_check_times_and_foreign_keys(exported):
    """The check above can fail: a time without seconds and a phone of no service do."""
    directory = exported["directory"]
    schedules = (directory / "schedules.csv").read_text()
    (directory / "schedules.csv").write_text(schedules.replace("18:30:00", "18:30", 1))
    phones = read_rows(directory, "phones.csv")
    with (directory / "phones.csv").open("a", encoding="utf-8", newline="") as handle:
        orphan = {**phones[0], "id": ids.hsds_id("orphan"), "service_id": ids.hsds_id("none")}
        csv.DictWriter(handle, fieldnames=list(phones[0])).writerow(orphan)

    errors = frictionless_errors(directory, OFFICIAL_PACKAGE)

    assert any("18:30" in error and "opens_at" in error for error in errors), errors
    assert any("foreign key" in error.lower() for error in errors), errors


def test_every_table_of_the_official_package_is_written(exported):
    official = json.loads(OFFICIAL_PACKAGE.read_text())
    written = {path.name for path in exported["directory"].glob("*.csv")}

    assert written == {resource["path"] for resource in official["resources"]}
    assert read_rows(exported["directory"], "funding.csv") == []


def test_meetings_at_another_place_are_their_own_service_at_location(exported):
    directory, group, hall = exported["directory"], exported["group"], exported["hall"]
    at_hall = ids.place_service_at_location_id(group.pk, hall.pk)

    locations = {row["id"]: row for row in read_rows(directory, "locations.csv")}
    assert locations[ids.place_location_id(hall.pk)]["name"] == "St. Luke's Hall"
    links = {row["id"]: row for row in read_rows(directory, "service_at_location.csv")}
    assert links[at_hall]["service_id"] == ids.service_id(group.pk)
    assert links[at_hall]["location_id"] == ids.place_location_id(hall.pk)
    schedules = read_rows(directory, "schedules.csv")
    at_the_hall = [row for row in schedules if row["service_at_location_id"] == at_hall]
    assert sorted(row["byday"] for row in at_the_hall) == ["FR", "WE"]
    assert {row["opens_at"] for row in at_the_hall} == {"18:30:00"}
    assert all(row["service_id"] == "" for row in at_the_hall)
    # The group's own monthly meeting stays the service's.
    [monthly] = [row for row in schedules if row["byday"] == "-1MO"]
    assert monthly["service_id"] == ids.service_id(group.pk)
