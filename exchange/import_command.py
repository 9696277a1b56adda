"""What the import commands share (``import_meeting_guide``, ``import_bmlt``): their options,
reading the file or standard input, and printing the report.

By default the rows that cannot be meetings are skipped and listed, and the others imported;
``--strict`` imports nothing when any row is invalid. Meetings are matched by source and the
source's slug; this source's meetings the feed no longer lists are marked inactive, unless
that is more than ``--max-deactivate`` percent of them (then nothing is imported without
``--allow-deactivate``).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from exchange.rows import FeedError
from exchange.writer import DEFAULT_MAX_DEACTIVATE

# The end of every import command's help.
MATCHING = (
    "Meetings are matched by source and the source's slug; this source's meetings the feed no "
    "longer lists are marked inactive, unless that is more than --max-deactivate percent of "
    "them (then nothing is imported without --allow-deactivate)."
)


class ImportCommand(BaseCommand):
    """A command that reads a file with ``read_feed`` and hands it to ``import_data``.

    A subclass sets ``file_help`` and ``what`` ("feed", "BMLT response"), adds its
    ``--fellowship`` and ``--source`` in ``add_source_arguments``, and defines ``read_feed``
    and ``import_data`` (the format's importer function).
    """

    file_help = ""
    what = "feed"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        self.add_source_arguments(parser)
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
            help="IANA time zone (America/New_York) of rows whose own time zone is missing "
            "or invalid; otherwise it comes from the ZIP, state or province, or coordinates.",
        )

    def add_source_arguments(self, parser):
        raise NotImplementedError

    def read_feed(self, text):
        raise NotImplementedError

    def import_data(self, data, **options):
        raise NotImplementedError

    def handle(self, *args, file, fellowship, source, dry_run, **options):
        try:
            if file == "-":
                text = options.get("stdin", sys.stdin).read()
            else:
                with open(file, encoding="utf-8") as feed:
                    text = feed.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = self.import_data(
                self.read_feed(text),
                fellowship=fellowship,
                source=source,
                dry_run=dry_run,
                strict=options.get("strict", False),
                time_zone=options.get("time_zone") or "",
                max_deactivate=options.get("max_deactivate", DEFAULT_MAX_DEACTIVATE * 100) / 100,
                allow_deactivate=options.get("allow_deactivate", False),
                progress=self.stderr.write,
            )
        except FeedError as error:
            problems = "\n".join(error.problems)
            raise CommandError(
                f"Nothing imported. Problems in the {self.what}:\n{problems}"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
