"""``manage.py stale_listings``: what curators need to check again, for a scheduled job."""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from resources.models import REVERIFY_AFTER_DAYS, Listing


class Command(BaseCommand):
    help = (
        "List published listings never verified, or not verified for --older-than days "
        f"(default {REVERIFY_AFTER_DAYS}), oldest first, with their admin page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=REVERIFY_AFTER_DAYS, metavar="DAYS")

    def handle(self, *args, older_than, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        listings = Listing.objects.published().needs_checking(older_than)
        count = 0
        for listing in listings.iterator():
            count += 1
            verified = listing.last_verified_on.isoformat() if listing.last_verified_on else "never"
            # The base listing's admin page forwards to the page of its kind.
            admin_url = reverse("admin:resources_listing_change", args=[listing.pk])
            self.stdout.write(
                f"{verified}\t{listing.get_kind_display()}\t{listing.name}\t{admin_url}"
            )
        self.stderr.write(
            f"{count} published listing(s) never verified or not verified for {older_than} days."
        )
