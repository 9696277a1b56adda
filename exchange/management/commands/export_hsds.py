"""``manage.py export_hsds DIR``: the directory as Open Referral HSDS 3.0 CSV files."""

from pathlib import Path

from django.core.management.base import BaseCommand

from exchange.hsds.export import export


class Command(BaseCommand):
    help = (
        "Write the published directory as HSDS 3.0 tabular data: one CSV per table "
        "(organizations, services, locations, …) and a Frictionless datapackage.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write the files.")

    def handle(self, *args, directory, **options):
        counts = export(directory)
        summary = ", ".join(f"{rows} {table}" for table, rows in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote HSDS 3.0 to {directory}: {summary}."))
