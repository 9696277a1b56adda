"""The home page's counts, kept in the cache.

The home page is the most visited page, and counting every category over a national
directory is its only real work, while the numbers change only when curators save. So
the counts are kept in the default cache for ``HOME_COUNTS_CACHE_SECONDS`` and dropped
whenever a listing, meeting or fellowship is saved or deleted or a listing's terms
change. Writes that send no signals (bulk imports, ``QuerySet.update``) show when the
time runs out.

The cache is a convenience: if it is unreachable the counts are made fresh, and a
curator's save never fails because of it.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from groups.models import Fellowship, Meeting
from resources import categories
from resources.models import Listing

logger = logging.getLogger(__name__)

# Change the version when the shape of the value changes, so that a shared cache never
# hands a new release the old shape.
CACHE_KEY = "home-counts:v1"


def home_counts():
    """{"categories": {slug: n}, "meetings": n, "fellowships": n}, from the cache if kept."""
    try:
        counts = cache.get(CACHE_KEY)
    except Exception:
        logger.warning("The cache is unreachable; counting the home page afresh.", exc_info=True)
        return count_now()
    if counts is None:
        counts = count_now()
        try:
            cache.set(CACHE_KEY, counts, settings.HOME_COUNTS_CACHE_SECONDS)
        except Exception:
            logger.warning("The cache is unreachable; home page counts not kept.", exc_info=True)
    return counts


def count_now():
    # Three queries: every category in one aggregate, listed meetings, fellowships.
    return {
        "categories": categories.counts(Listing.objects.searchable()),
        "meetings": Meeting.objects.listed().count(),
        "fellowships": Fellowship.objects.count(),
    }


def forget_counts():
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.warning("The cache is unreachable; home page counts not refreshed.", exc_info=True)


def forget_counts_on_change(using=None, **kwargs):
    # Now, so the curator's next page shows the change; and again once the transaction
    # commits, in case a visitor's request counted the old rows in between.
    forget_counts()
    transaction.on_commit(forget_counts, using=using)


def connect_signals():
    """Drop the counts when anything they count changes. Safe to call more than once."""
    # A typed listing (Clinician, SupportGroup…) sends its signals as its own class.
    senders = [model for model in apps.get_models() if issubclass(model, Listing)]
    for model in [*senders, Meeting, Fellowship]:
        for signal in (post_save, post_delete):
            signal.connect(
                forget_counts_on_change, sender=model, dispatch_uid=f"home-counts-{model._meta}"
            )
    m2m_changed.connect(
        forget_counts_on_change, sender=Listing.terms.through, dispatch_uid="home-counts-terms"
    )


# Connected when the views are imported, so in every process that serves the home page.
connect_signals()
