"""``manage.py export_hsds``: HSDS 3.0 CSV files with the columns of the table schemas."""

import csv
import json
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
    factories.make_clinician(name="Hidden Draft", status=ListingStatus.DRAFT)
    out = StringIO()
    call_command("export_hsds", str(tmp_path), stdout=out)
    return {"directory": tmp_path, "output": out.getvalue(), "program": program}


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
    assert [row["address_1"] for row in addresses] == ["2400 N Clark St"] * 2  # not Maple House
    schedules = {row["byday"] for row in read_rows(directory, "schedules.csv")}
    assert schedules == {"MO", "-1MO"}
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
