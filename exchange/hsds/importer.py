"""Import an HSDS 3.0 directory (a 211's, a city's…) as listings, in one transaction.

SOURCE is a tabular package (a folder or .zip with ``datapackage.json`` and the CSVs) or
the base URL of an HSDS API, whose ``/services?full=true&page=N`` pages and
``/organizations`` pages are fetched one by one within the sync's limits
(``exchange/sync/fetch.py``). ``tables.py`` makes tables of either, ``reader.py`` rows of
the tables, and ``exchange/listing_writer.py`` saves them with history signed
"HSDS import from <label>". The source's own ids are kept per source label
(``ExternalRecord``), so a re-import updates instead of duplicating.
"""

import json
import time
from urllib.parse import urlsplit

from exchange.hsds.mapping import load_matcher
from exchange.hsds.reader import Reading, read_organizations, read_services
from exchange.hsds.tables import api_tables, read_package
from exchange.listing_writer import ListingImport, save_listings
from exchange.models import IMPORTED_KINDS, LISTING_KIND_TARGET, target_problem
from exchange.rows import FeedError
from exchange.sync.fetch import DEADLINE, MAX_BYTES, FetchError, fetch

__all__ = ["FeedError", "fetch_api", "import_hsds", "is_api_address", "read_source"]

MAX_PAGES = 1000
DEFAULT_KIND = "community_resource:wellness"


def is_api_address(source):
    return urlsplit(str(source)).scheme in ("http", "https")


def _pages(base_url, path, limits, started, budget):
    """The ``contents`` of every page of ``base_url/path``, and the bytes read."""
    contents, size = [], 0
    for page in range(1, MAX_PAGES + 1):
        separator = "&" if "?" in path else "?"
        url = f"{base_url.rstrip('/')}/{path}{separator}page={page}"
        remaining = limits.get("deadline", DEADLINE) - (time.monotonic() - started)
        if remaining <= 0:
            raise FetchError("The HSDS API took too long to page through: stopped.")
        fetched = fetch(
            url,
            timeout=limits.get("timeout", 30),
            deadline=remaining,
            max_bytes=budget - size,
        )
        size += len(fetched.body)
        try:
            body = json.loads(fetched.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise FeedError([f"{url} is not JSON: {error}"]) from error
        if not isinstance(body, dict) or not isinstance(body.get("contents"), list):
            raise FeedError([f"{url} is not an HSDS page (no 'contents' list)."])
        contents.append(body["contents"])
        last = body.get("last_page")
        total = body.get("total_pages")
        if last is True or not body["contents"] or (isinstance(total, int) and page >= total):
            break
    return contents, size


def fetch_api(base_url, **limits):
    """One JSON document {"services": [page contents…], "organizations": [...]} of the
    whole API, fetched page by page; all pages together within ``max_bytes`` and
    ``deadline``. Raises FetchError or FeedError."""
    started, budget = time.monotonic(), limits.get("max_bytes", MAX_BYTES)
    services, size = _pages(base_url, "services?full=true", limits, started, budget)
    try:
        organizations, _size = _pages(base_url, "organizations", limits, started, budget - size)
    except FetchError as error:
        if "404" not in str(error):
            raise
        organizations = []  # the services carry their organizations
    document = {
        "services": services,
        "organizations": [item for page in organizations for item in page],
    }
    return json.dumps(document).encode()


def read_source(source, **limits):
    """{table: [(position, row)]} of a package path, an API base URL, or an API document
    (bytes) fetched before by ``fetch_api``."""
    if isinstance(source, bytes):
        try:
            document = json.loads(source)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise FeedError([f"The fetched HSDS document is not JSON: {error}"]) from error
        return api_tables(document.get("services", []), document.get("organizations", []))
    if is_api_address(source):
        try:
            return read_source(fetch_api(str(source), **limits))
        except FetchError as error:
            raise FeedError([str(error)]) from error
    return read_package(source)


def import_hsds(
    tables,
    *,
    source,
    dry_run=False,
    skip_invalid=False,
    user=None,
    default_kind=DEFAULT_KIND,
    source_url="",
    max_deactivate=None,
    allow_deactivate=False,
    **_ignored,
):
    """Import ``tables`` (``read_source``) as the source labelled ``source``; return the
    report or raise FeedError (TooManyDeactivated past the archiving share)."""
    label = (source or "").strip()
    if not label:
        raise FeedError(["Give the HSDS source a --source label, such as '211 Example County'."])
    problem = target_problem(LISTING_KIND_TARGET, default_kind)
    if problem:
        kinds = ", ".join(str(kind) for kind in IMPORTED_KINDS)
        raise FeedError([f"--default-kind {default_kind!r}: {problem} (kinds: {kinds})"])
    job = ListingImport(
        source=label,
        reason=f"HSDS import from {label}",
        user=user,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        allow_deactivate=allow_deactivate,
    )
    if max_deactivate is not None:
        job.max_deactivate = max_deactivate
    reading = Reading(
        default_kind=tuple(default_kind.split(":", 1))
        if ":" in default_kind
        else (default_kind, "")
    )
    organizations = read_organizations(tables, reading)
    services = read_services(tables, load_matcher(), reading)
    if source_url:
        for service in services:
            service.source_url = f"{source_url.rstrip('/')}/services/{service.external_id}"
    report = job.report
    report.skipped = reading.problems
    report.unmatched = reading.unmatched
    for kind, detail in reading.warnings:
        report.warning_counts[kind] += 1
        report.warnings.append(detail)
    job.kept_ids = reading.skipped_ids
    job.ended_ids = reading.inactive_ids
    return save_listings(job, organizations, services)
