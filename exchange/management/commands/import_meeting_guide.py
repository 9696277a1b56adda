"""python manage.py import_meeting_guide FILE [--fellowship AA] [--time-zone ZONE] [--strict]

The options and what they do are those of every import command: ``exchange/import_command.py``.
"""

from exchange.import_command import MATCHING, ImportCommand
from exchange.meeting_guide.importer import SOURCE, import_feed, read_feed


class Command(ImportCommand):
    help = (
        "Import meetings from a Meeting Guide JSON feed (a file, or - for standard input). "
    ) + MATCHING
    file_help = "Path of the JSON feed, or - to read standard input."
    what = "feed"

    def add_source_arguments(self, parser):
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

    def read_feed(self, text):
        return read_feed(text)

    def import_data(self, data, **options):
        return import_feed(data, **options)
