"""The HSDS 3.0 tabular export: one CSV per table and a Frictionless ``datapackage.json``.

The tables, their columns, Frictionless types and foreign keys are Open Referral's own
tabular package (``exchange/data/hsds-3.0/datapackage.json``, the specification's root
``datapackage.json``), so the export validates against it with the ``frictionless``
library. Every table is written, with its header only where we hold nothing. Rows are
written as listings are read, a chunk at a time, so memory stays flat however large the
directory is.
"""

import csv
import json
from contextlib import ExitStack
from pathlib import Path

from exchange.hsds import builders
from resources.models import Listing, Organization

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"
CHUNK_SIZE = 500
# Open Referral's own tabular package (the specification's root datapackage.json): its
# tables, columns, Frictionless types and foreign keys are the ones the export writes.
OFFICIAL_PACKAGE = SCHEMAS / "datapackage.json"


def official_package():
    return json.loads(OFFICIAL_PACKAGE.read_text(encoding="utf-8"))


# Every table of the official package, in its order; those we hold nothing for are
# written with their header only, so every foreign key resolves.
TABLES = [resource["name"] for resource in official_package()["resources"]]
# Tables whose rows several services share (a place several meetings are held at).
SHARED_TABLES = ("location", "address")


def columns(resource):
    """The columns of one of the official package's tables, in its order."""
    return [field["name"] for field in resource["schema"]["fields"]]


def datapackage():
    """The official package, named as ours: the same tables, types and foreign keys."""
    package = official_package()
    package.pop("license", None)
    package.update(
        {
            "name": "recovery-support-directory-hsds",
            "title": "Recovery Support Directory (Open Referral HSDS 3.0)",
            "description": "The published listings and meetings of the Recovery Support "
            "Directory, as Open Referral HSDS 3.0 tables.",
            "sources": [
                {
                    "title": "Open Referral HSDS 3.0 tabular package and schemas (CC BY-SA 4.0)",
                    "path": "https://github.com/openreferral/specification/tree/3.0",
                }
            ],
        }
    )
    package.pop("homepage", None)
    return package


def tabular(row):
    """A row as the package's types read it: times with seconds (``time`` is HH:MM:SS)."""
    for field in ("opens_at", "closes_at"):
        if len(row.get(field, "")) == len("HH:MM"):
            row = {**row, field: f"{row[field]}:00"}
    return row


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
        yield "location", location
        for address in location.get("addresses", []):
            yield "address", address
        yield "service_at_location", at_location
        for schedule in at_location.get("schedules", []):
            yield "schedule", schedule
            for row in schedule.get("attributes", []):
                yield "attribute", row


def export(directory):
    """Write the export into ``directory``; returns {table: rows written}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    package = datapackage()
    counts = dict.fromkeys(TABLES, 0)
    written = {table: set() for table in SHARED_TABLES}
    with ExitStack() as files:
        writers = {}
        for resource in package["resources"]:
            handle = files.enter_context(
                (directory / resource["path"]).open("w", encoding="utf-8", newline="")
            )
            writers[resource["name"]] = csv.DictWriter(
                handle, fieldnames=columns(resource), extrasaction="ignore"
            )
            writers[resource["name"]].writeheader()

        def write(table, row):
            # A place several meetings share is one location, written once.
            if table in written:
                if row["id"] in written[table]:
                    return
                written[table].add(row["id"])
            writers[table].writerow(tabular(row))
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
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return counts
