"""python manage.py import_bmlt FILE --source LABEL [--fellowship NA] [--time-zone ZONE]

FILE is a BMLT root server's ``client_interface/json/?switcher=GetSearchResults`` response
(or - for standard input).

By default the rows that cannot be meetings are skipped and listed, and the others imported;
``--strict`` imports nothing when any row is invalid.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from exchange.bmlt.importer import FELLOWSHIP, FeedError, import_bmlt, read_feed
from exchange.writer import DEFAULT_MAX_DEACTIVATE


class Command(BaseCommand):
    help = (
        "Import NA meetings from a BMLT root server's GetSearchResults JSON (a file, or - for "
        "standard input). "
        "Meetings are matched by source and the source's slug; this source's meetings the feed no "
        "longer lists are marked inactive, unless that is more than --max-deactivate percent of "
        "them (then nothing is imported without --allow-deactivate)."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the BMLT JSON, or - to read standard input.")
        parser.add_argument(
            "--fellowship",
            default=FELLOWSHIP,
            help="Short name or slug of the fellowship (default: %(default)s).",
        )
        parser.add_argument(
            "--source",
            required=True,
            help="Label stored on the meetings and groups created, which scopes matching and "
            "deactivation: give each BMLT server its own.",
        )
        parser.add_argument(
            "--max-deactivate",
            type=float,
            default=DEFAULT_MAX_DEACTIVATE * 100,
            metavar="PERCENT",
            help="Refuse the whole import when it would deactivate more than this share of "
            "the source's active meetings (default: %(default)g).",
        )
        parser.add_argument(
            "--allow-deactivate",
            action="store_true",
            help="Deactivate what the feed no longer lists, however many that is.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the invalid ones (the default; see --strict).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Import nothing when any row is invalid, instead of skipping those rows.",
        )
        parser.add_argument(
            "--time-zone",
            default="",
            help="IANA time zone (America/New_York) of rows whose own time_zone is empty "
            "or invalid; otherwise it comes from the ZIP, state or province, or coordinates.",
        )

    def handle(self, *args, file, fellowship, source, dry_run, skip_invalid, **options):
        skip_invalid = skip_invalid or not options.get("strict")
        try:
            if file == "-":
                text = options.get("stdin", sys.stdin).read()
            else:
                with open(file, encoding="utf-8") as feed:
                    text = feed.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = import_bmlt(
                read_feed(text),
                fellowship=fellowship,
                source=source,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                time_zone=options.get("time_zone") or "",
                max_deactivate=options.get("max_deactivate", DEFAULT_MAX_DEACTIVATE * 100) / 100,
                allow_deactivate=options.get("allow_deactivate", False),
                progress=self.stderr.write,
            )
        except FeedError as error:
            problems = "\n".join(error.problems)
            raise CommandError(
                f"Nothing imported. Problems in the BMLT response:\n{problems}"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
