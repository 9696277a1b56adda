"""``manage.py generate_demo``: invented listings and meetings at national scale, for benchmarks.

Running it again replaces what it generated before; ``--clear`` only removes it. Curated
rows (anything not marked as generated) are never touched.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.generate import SOURCE, Generator, remove_generated


class Command(BaseCommand):
    help = (
        "Fill the database with invented listings of every kind and meetings spread over US "
        "ZIP codes, for load tests. The same --seed gives the same rows. Replaces what an "
        "earlier run generated; never touches other rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=200_000, help="default 200,000")
        parser.add_argument("--meetings", type=int, default=100_000, help="default 100,000")
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Only remove the rows an earlier run generated.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. The data is invented: never generate it into "
            "a directory real people rely on.",
        )

    def handle(self, *args, listings, meetings, seed, clear, force, verbosity, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_demo fills the database with invented listings, so it only runs with "
                "DEBUG=true. Use --force if this really is a test database."
            )
        if listings < 0 or meetings < 0:
            raise CommandError("--listings and --meetings cannot be negative.")
        log = self.stdout.write if verbosity >= 1 else (lambda message: None)
        started = time.monotonic()
        if clear:
            with transaction.atomic():
                removed = remove_generated()
            log(f"Removed {removed:,} generated listings (source “{SOURCE}”) and their meetings.")
            return
        try:
            counts = Generator(seed, log=log).run(listings, meetings)
        except ValueError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        summary = "; ".join(f"{label} {number:,}" for label, number in sorted(counts.items()))
        log(self.style.SUCCESS(f"Generated in {seconds:.0f} s (seed {seed}): ") + summary)
