"""The HSDS 3.0 tabular export: one CSV per table and a Frictionless ``datapackage.json``.

The columns are read from the project's copy of the HSDS table schemas
(``exchange/data/hsds-3.0/*.json``): every property that is not a nested array or object.
Rows are written as listings are read, a chunk at a time, so memory stays flat however
large the directory is.
"""

import csv
import json
from contextlib import ExitStack
from pathlib import Path

from exchange.hsds import builders
from resources.models import Listing, Organization

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"
CHUNK_SIZE = 500

# Table schema name, in the order HSDS's datapackage lists them.
TABLES = [
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "phone",
    "schedule",
    "language",
    "cost_option",
    "taxonomy",
    "taxonomy_term",
    "attribute",
]
# Frictionless string formats; HSDS's "date-time" and others are left to the description.
FIELD_FORMATS = {"uuid", "email", "uri"}


def table_schema(table):
    return json.loads((SCHEMAS / f"{table}.json").read_text(encoding="utf-8"))


def columns(schema):
    """The tabular columns of an HSDS table schema, in its order."""
    return [
        name
        for name, field in schema["properties"].items()
        if field.get("type") not in ("array", "object") and "$ref" not in field
    ]


def datapackage(schemas):
    resources = []
    for table, schema in schemas.items():
        fields = []
        for name in columns(schema):
            field = schema["properties"][name]
            entry = {"name": name, "type": field.get("type", "string")}
            if field.get("format") in FIELD_FORMATS:
                entry["format"] = field["format"]
            if field.get("description"):
                entry["description"] = field["description"]
            if name in schema.get("required", []):
                entry["constraints"] = {"required": True}
            fields.append(entry)
        resources.append(
            {
                "name": table,
                "path": schema["path"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": "id"},
            }
        )
    return {
        "name": "recovery-support-directory-hsds",
        "title": "Recovery Support Directory (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "licenses": [],
        "sources": [
            {
                "title": "Open Referral HSDS 3.0 schemas (CC BY-SA 4.0)",
                "path": "https://github.com/openreferral/specification/tree/3.0",
            }
        ],
        "resources": resources,
    }


def _service_rows(listing):
    """(table, row) for everything one published listing contributes."""
    service = builders.service(listing)
    if not listing.organization_id:
        yield "organization", service["organization"]
    yield "service", service
    for table, key in (
        ("phone", "phones"),
        ("schedule", "schedules"),
        ("language", "languages"),
        ("cost_option", "cost_options"),
        ("attribute", "attributes"),
    ):
        for row in service.get(key, []):
            yield table, row
    for schedule in service.get("schedules", []):
        for row in schedule.get("attributes", []):
            yield "attribute", row
    for at_location in service.get("service_at_locations", []):
        location = at_location["location"]
        yield "service_at_location", at_location
        yield "location", location
        for address in location.get("addresses", []):
            yield "address", address


def export(directory):
    """Write the export into ``directory``; returns {table: rows written}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    schemas = {table: table_schema(table) for table in TABLES}
    counts = dict.fromkeys(TABLES, 0)
    with ExitStack() as files:
        writers = {}
        for table, schema in schemas.items():
            handle = files.enter_context(
                (directory / schema["path"]).open("w", encoding="utf-8", newline="")
            )
            writers[table] = csv.DictWriter(
                handle, fieldnames=columns(schema), extrasaction="ignore"
            )
            writers[table].writeheader()

        def write(table, row):
            writers[table].writerow(row)
            counts[table] += 1

        published = Listing.objects.published()
        organizations = Organization.objects.filter(
            pk__in=published.exclude(organization=None).values("organization_id")
        ).order_by("pk")
        for org in organizations.iterator(chunk_size=CHUNK_SIZE):
            write("organization", builders.organization(org))
        listings = builders.services_queryset().order_by("pk")
        for listing in listings.iterator(chunk_size=CHUNK_SIZE):
            for table, row in _service_rows(listing):
                write(table, row)
        for row in builders.taxonomies():
            write("taxonomy", row)
        for row in builders.taxonomy_terms():
            write("taxonomy_term", row)
    (directory / "datapackage.json").write_text(
        json.dumps(datapackage(schemas), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return counts
