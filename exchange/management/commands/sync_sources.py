"""python manage.py sync_sources [--source NAME] [--force] [--dry-run]

Fetches each active source that is due (its "fetch every" hours have passed since its last
fetch) and imports it, keeping a change report per run (README "Syncing sources and the
change report"). Prints one line per source; exits 1 when any source failed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from exchange.models import RunOutcome, Source
from exchange.sync.runs import status_line, sync_source


class Command(BaseCommand):
    help = (
        "Fetch and import every active source that is due, keeping a change report per run. "
        "A run that would deactivate more than the source's share is held for a curator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="NAME", help="Only the source of this name.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Fetch even when not due, and fetch the feed whole (no If-None-Match or "
            "If-Modified-Since).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Fetch and check; import nothing, keep no run, leave the sources as they are.",
        )

    def handle(self, *args, source=None, force=False, dry_run=False, **options):
        sources = Source.objects.filter(active=True).select_related("fellowship")
        if source:
            sources = Source.objects.filter(name=source).select_related("fellowship")
            if not sources:
                raise CommandError(f"No source named {source!r}.")
        now = timezone.now()
        failed = 0
        for each in sources:
            if not each.active:
                self.stdout.write(f"{each.name}: inactive, not fetched.")
                continue
            if not force and not each.is_due(now):
                due_at = timezone.localtime(each.next_due_at()).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(f"{each.name}: not due until {due_at}.")
                continue
            run = sync_source(each, force=force, dry_run=dry_run)
            failed += run.outcome == RunOutcome.FAILED
            dry = " (dry run: nothing written)" if dry_run else ""
            self.stdout.write(f"{each.name}: {status_line(run)}{dry}")
        if failed:
            raise CommandError(f"{failed} source(s) failed.", returncode=1)
