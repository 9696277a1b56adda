"""python manage.py import_bmlt FILE --source LABEL [--fellowship NA] [--time-zone ZONE]

FILE is a BMLT root server's ``client_interface/json/?switcher=GetSearchResults`` response
(or - for standard input). The other options and what they do are those of every import
command: ``exchange/import_command.py``.
"""

from exchange.bmlt.importer import FELLOWSHIP, import_bmlt, read_feed
from exchange.import_command import MATCHING, ImportCommand


class Command(ImportCommand):
    help = (
        "Import NA meetings from a BMLT root server's GetSearchResults JSON (a file, or - for "
        "standard input). "
    ) + MATCHING
    file_help = "Path of the BMLT JSON, or - to read standard input."
    what = "BMLT response"

    def add_source_arguments(self, parser):
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

    def read_feed(self, text):
        return read_feed(text)

    def import_data(self, data, **options):
        return import_bmlt(data, **options)
