"""``manage.py load_demo``: fill the database with the invented demo directory.

Safe to run again and again (``make run`` does): records are matched on their slug,
so a second run creates nothing and updates only what the data files changed.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.demo_data import DEFAULT_DATA_DIR, DemoDataError, load_demo_data
from resources.search_index import deferred_search_index

# The order the summary line lists the models in.
MODELS = [
    "Organization",
    "Place",
    "Clinician",
    "TreatmentProgram",
    "SoberLivingHome",
    "Helpline",
    "CommunityResource",
    "SupportGroup",
    "Meeting",
    "OpeningHours",
]


class Command(BaseCommand):
    help = (
        "Load the invented demo listings, support groups and meetings from fixtures/demo/. "
        "Running it again updates them in place instead of adding duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help=f"Folder of *.json demo data files (default: {DEFAULT_DATA_DIR}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off. The demo data is invented: never load it "
            "into a directory real people rely on.",
        )

    def handle(self, *args, data_dir, force, verbosity, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo fills the database with invented listings and phone numbers, so it "
                "only runs with DEBUG=true. Use --force if this really is a demo database."
            )
        log = self.stdout.write if verbosity >= 2 else None
        started = time.monotonic()
        try:
            with deferred_search_index():
                stats = load_demo_data(data_dir, log=log)
        except DemoDataError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"The demo data in {data_dir} has {len(error.problems)} problem(s); "
                f"nothing was changed.\n{problems}"
            ) from None
        if verbosity >= 1:
            seconds = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s: ") + summary(stats)
            )


def summary(stats):
    """ "Clinician 48 created; Meeting 2 updated, 338 unchanged; …" on one line."""
    parts = []
    for model in MODELS + sorted(set(stats) - set(MODELS)):
        counts = stats.get(model)
        if counts:
            numbers = ", ".join(
                f"{counts[outcome]} {outcome}"
                for outcome in ("created", "updated", "unchanged", "removed")
                if counts[outcome]
            )
            parts.append(f"{model} {numbers}")
    return "; ".join(parts) or "no records"
