"""HSDS data as plain tables, however it came: a tabular package (a folder or a .zip with
``datapackage.json`` and one CSV per table) or the nested JSON of an HSDS API's
``/services?full=true`` pages. Both become {table: [(position, row)]}, with the table names
of the official package (``service``, ``phone``…), so one reader (``reader.py``) reads both.

Nested API objects are flattened into their tables with the id of what holds them
(a service's phones get its ``service_id``), as the tabular package writes them.
"""

import csv
import io
import json
import zipfile
from pathlib import Path

from exchange.hsds.export import official_package
from exchange.rows import FeedError

# The official package's file of each table ("service": "services.csv"): a package whose
# datapackage.json lists no resources is read by these names.
STANDARD_PATHS = {
    resource["name"]: resource["path"] for resource in official_package()["resources"]
}
# Nested lists of a full service and of what they hold: (key, table, the id they get).
NESTED = {
    "service": [
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("languages", "language", "service_id"),
        ("cost_options", "cost_option", "service_id"),
        ("attributes", "attribute", "link_id"),
        ("service_at_locations", "service_at_location", "service_id"),
    ],
    "service_at_location": [
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ],
    "location": [
        ("addresses", "address", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
    ],
    "schedule": [],
}


def read_package(path):
    """{table: [(position, row)]} of a folder or .zip holding ``datapackage.json``."""
    path = Path(path)
    if path.is_dir():
        files = {each.name: each for each in path.rglob("*") if each.is_file()}

        def read(name):
            return files[name].read_bytes()

    elif zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        files = {Path(name).name: name for name in archive.namelist() if not name.endswith("/")}

        def read(name):
            return archive.read(files[name])

    else:
        raise FeedError([f"{path} is neither a folder nor a .zip file."])
    if "datapackage.json" not in files:
        raise FeedError([f"{path} holds no datapackage.json: it is not a tabular package."])
    try:
        package = json.loads(read("datapackage.json"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        package = {}
    paths = dict(STANDARD_PATHS)
    if isinstance(package, dict):
        for resource in package.get("resources") or []:
            if isinstance(resource, dict) and resource.get("name") and resource.get("path"):
                paths[resource["name"]] = Path(str(resource["path"])).name
    tables = {}
    for table, name in paths.items():
        if name in files:
            tables[table] = _read_csv(name, read(name))
    if "service" not in tables:
        raise FeedError([f"{path} has no services table ({paths['service']})."])
    return tables


def _read_csv(name, data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError([f"{name} is not UTF-8 text: {error}"]) from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    # Row 1 is the header: the first row of data is row 2, as a spreadsheet numbers it.
    try:
        return [
            (
                f"{name} row {number}",
                {key: (value or "").strip() for key, value in row.items() if key},
            )
            for number, row in enumerate(reader, start=2)
        ]
    except csv.Error as error:
        raise FeedError([f"{name} row {reader.line_num}: {error}"]) from error


def api_tables(services_pages, organizations=()):
    """{table: [(position, row)]} of the API's full services, page by page (each a page's
    ``contents``), and of its organizations."""
    tables = {}

    def add(table, position, row):
        tables.setdefault(table, []).append((position, row))

    for page_number, contents in enumerate(services_pages, start=1):
        for item, service in enumerate(contents, start=1):
            if not isinstance(service, dict):
                raise FeedError([f"services page {page_number} item {item} is not an object."])
            position = f"services page {page_number} item {item}"
            _flatten("service", service, position, add)
    for item, organization in enumerate(organizations, start=1):
        if isinstance(organization, dict):
            add("organization", f"organizations item {item}", _flat(organization))
    return tables


def _flat(row):
    """The row's own values, as text the way a CSV holds them (nested objects left out)."""
    flat = {}
    for key, value in row.items():
        if isinstance(value, dict | list):
            continue
        flat[key] = "" if value is None else str(value)
    return flat


def _flatten(table, row, position, add):
    flat = _flat(row)
    if table == "service" and isinstance(row.get("organization"), dict):
        organization = row["organization"]
        add("organization", f"{position} organization", _flat(organization))
        flat.setdefault("organization_id", str(organization.get("id", "")))
    if table == "service_at_location" and isinstance(row.get("location"), dict):
        location = row["location"]
        _flatten("location", location, f"{position} location", add)
        flat.setdefault("location_id", str(location.get("id", "")))
    if table == "attribute" and isinstance(row.get("taxonomy_term"), dict):
        term = row["taxonomy_term"]
        term_row = _flat(term)
        detail = term.get("taxonomy_detail")
        if isinstance(detail, dict):
            term_row.setdefault("taxonomy_id", str(detail.get("id", "")))
            add("taxonomy", f"{position} taxonomy", _flat(detail))
        add("taxonomy_term", f"{position} taxonomy_term", term_row)
        flat.setdefault("taxonomy_term_id", str(term.get("id", "")))
    add(table, position, flat)
    for key, nested_table, link in NESTED.get(table, []):
        for index, nested in enumerate(row.get(key) or []):
            if isinstance(nested, dict):
                nested = {**nested, link: nested.get(link) or row.get("id", "")}
                _flatten(nested_table, nested, f"{position} {key}[{index}]", add)
