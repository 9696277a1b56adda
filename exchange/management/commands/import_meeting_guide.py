"""python manage.py import_meeting_guide FILE [--fellowship AA] [--dry-run] [--skip-invalid]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from exchange.meeting_guide.importer import SOURCE, FeedError, import_feed, read_feed


class Command(BaseCommand):
    help = (
        "Import meetings from a Meeting Guide JSON feed (a file, or - for standard input). "
        "Meetings are matched by slug; imported meetings the feed no longer lists are marked "
        "inactive."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the JSON feed, or - to read standard input.")
        parser.add_argument(
            "--fellowship",
            help="Short name (AA, NA…) or slug of the fellowship: feeds do not say.",
        )
        parser.add_argument(
            "--source",
            default=SOURCE,
            help="Label stored on the groups created, which scopes deactivation "
            f"(default: {SOURCE!r}). Give each feed of one fellowship its own.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the invalid ones, instead of importing nothing.",
        )

    def handle(self, *args, file, fellowship, source, dry_run, skip_invalid, **options):
        try:
            if file == "-":
                text = options.get("stdin", sys.stdin).read()
            else:
                with open(file, encoding="utf-8") as feed:
                    text = feed.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = import_feed(
                read_feed(text),
                fellowship=fellowship,
                source=source,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
            )
        except FeedError as error:
            problems = "\n".join(error.problems)
            raise CommandError(f"Nothing imported. Problems in the feed:\n{problems}") from error
        for line in report.lines():
            self.stdout.write(line)
