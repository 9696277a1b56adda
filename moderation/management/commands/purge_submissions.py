"""python manage.py purge_submissions [--dry-run]   (run daily, see README "Scheduled jobs")"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from moderation.models import Submission


class Command(BaseCommand):
    help = (
        "Erase what submitters wrote (name, email, phone, address, free text) from suggestions "
        "and reports decided more than SUBMISSION_RETENTION_DAYS ago, keeping the decision; "
        "remove the follow-up email from submissions still open after that long. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        days = settings.SUBMISSION_RETENTION_DAYS
        decided = Submission.objects.due_for_erasure(now)
        still_open = Submission.objects.contact_overdue(now)
        if dry_run:
            erased, emails = decided.count(), still_open.count()
        else:
            with transaction.atomic():
                erased = decided.erase_submitter_details(now)
                emails = still_open.update(contact_email="")
        would = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{would} the submitter's details from {erased} "
            f"{_submissions(erased)} decided more than {days} days ago."
        )
        would = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{would} the follow-up email from {emails} open "
            f"{_submissions(emails)} received more than {days} days ago."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")


def _submissions(count):
    return "submission" if count == 1 else "submissions"
