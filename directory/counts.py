"""The home page's counts, kept in the cache (``resources.public_cache.kept``).

The home page is the most visited page, and counting every category over a national
directory is its only real work, while the numbers change only when curators save. So
the counts are kept for ``HOME_COUNTS_CACHE_SECONDS``, and left behind with every other
kept page whenever anything public is saved or deleted. Writes that send no signals
(bulk imports, ``QuerySet.update``) call ``forget_public_pages()`` themselves.
"""

from django.conf import settings

from directory import categories
from groups.models import Fellowship, Meeting
from resources.models import Listing
from resources.public_cache import kept


def home_counts():
    """{"categories": {slug: n}, "meetings": n, "fellowships": n}, from the cache if kept."""
    return kept("home-counts", (), count_now, settings.HOME_COUNTS_CACHE_SECONDS)


def count_now():
    # Three queries: every category in one aggregate, listed meetings, fellowships.
    return {
        "categories": categories.counts(Listing.objects.searchable()),
        "meetings": Meeting.objects.listed().count(),
        "fellowships": Fellowship.objects.count(),
    }
