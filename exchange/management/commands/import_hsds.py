"""python manage.py import_hsds SOURCE --source LABEL [--dry-run] [--skip-invalid] …

SOURCE is an HSDS 3.0 tabular package (a folder or .zip with datapackage.json and the CSVs)
or the base URL of an HSDS API (its /services?full=true pages are fetched one by one).
Nothing is imported when any row is invalid, unless --skip-invalid. See
``exchange/hsds/importer.py`` and the README, "Importing from a 211 (HSDS)".
"""

from django.core.management.base import BaseCommand, CommandError

from exchange.hsds.importer import DEFAULT_KIND, import_hsds, is_api_address, read_source
from exchange.rows import FeedError
from exchange.writer import DEFAULT_MAX_DEACTIVATE


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 directory (a tabular package folder or .zip, or an HSDS API's base "
        "URL) as listings. Records are matched by source label and HSDS id; this source's "
        "published listings it no longer lists are archived, unless that is more than "
        "--max-deactivate percent of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", help="Folder or .zip of the package, or the API's URL.")
        parser.add_argument(
            "--source",
            required=True,
            help="Label of this source (one per directory): it scopes matching and archiving.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the invalid ones (default: import nothing "
            "when any row is invalid).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--default-kind",
            default=DEFAULT_KIND,
            help="Kind (and detail) of services no term gives a kind to; they are imported as "
            "drafts for a curator to review (default: %(default)s).",
        )
        parser.add_argument(
            "--max-deactivate",
            type=float,
            default=DEFAULT_MAX_DEACTIVATE * 100,
            metavar="PERCENT",
            help="Refuse the whole import when it would archive more than this share of the "
            "source's published listings (default: %(default)g).",
        )
        parser.add_argument(
            "--allow-deactivate",
            action="store_true",
            help="Archive what the source no longer lists, however many that is.",
        )

    def handle(self, *args, package, source, **options):
        try:
            tables = read_source(package)
            report = import_hsds(
                tables,
                source=source,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                default_kind=options["default_kind"],
                source_url=package if is_api_address(package) else "",
                max_deactivate=options["max_deactivate"] / 100,
                allow_deactivate=options["allow_deactivate"],
            )
        except FeedError as error:
            problems = "\n".join(error.problems)
            raise CommandError(f"Nothing imported. Problems in {package}:\n{problems}") from error
        for line in report.lines():
            self.stdout.write(line)
