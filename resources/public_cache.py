"""Public pages and figures kept in the cache, dropped whenever curators change anything.

Only what every visitor is shown alike is kept: a listing's or a meeting's page, the
Meeting Guide feed, the time zones meetings are held in. Never the answer to a search:
what a visitor typed, or the place they are near, is not kept anywhere (see /privacy/).

Every key carries the current *generation*, a number kept in the cache itself. Saving or
deleting anything public (a listing of any kind, its terms or hours, an organization, a
fellowship, a meeting or its place, a problem report) sets a new generation, so every kept
page is left behind at once and expires on its own. Writes that send no signals (bulk
imports, ``QuerySet.update``) call ``forget_public_pages()`` themselves; anything they
miss shows when the entry's time runs out.

The cache is a convenience: if it is unreachable the page is made fresh, and a curator's
save never fails because of it. It is also a stand-in for the database: each entry stays
``STALE_SECONDS`` past its time, and while the database cannot be reached that older copy
is served rather than an error, so someone in crisis still sees a listing's phone number.
Only the current generation's copy is used: a listing a curator took down stays down.
"""

import hashlib
import logging
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from recovery_site.outages import is_database_outage

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"
# The apps whose rows show on public pages; moderation's open reports show as notices.
PUBLIC_APPS = ("resources", "groups", "moderation")
# How long an entry is kept past its time, for use only while the database is down: long
# enough to ride out a restart or a failover, short enough that the cache holds no more
# than about ten minutes' worth of pages.
STALE_SECONDS = 10 * 60


def _new_generation():
    # A fresh number, never one used before, even after the cache lost the old one.
    return time.time_ns()


def generation():
    """The current generation; a missing one (first use, eviction) is started afresh."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = _new_generation()
        if not cache.add(GENERATION_KEY, current, timeout=None):
            current = cache.get(GENERATION_KEY, current)
    return current


def forget_public_pages(**kwargs):
    """Leave every kept page behind (signal receiver, and for bulk writes)."""
    try:
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        logger.warning("The cache is unreachable; kept pages not refreshed.", exc_info=True)


def forget_on_change(using=None, **kwargs):
    # Now, so the curator's next page shows the change; and again once the transaction
    # commits, in case a visitor's request kept the old rows in between.
    forget_public_pages()
    transaction.on_commit(forget_public_pages, using=using)


def seconds_to_next_minute(moment=None):
    """Seconds until the clock's next minute: pages that say "open now" or "next meeting"
    are kept no longer than the minute they were made in."""
    moment = moment or timezone.now()
    return max(1, 60 - moment.second)


def kept(name, parts, make, timeout, largest=None):
    """The value kept under ``name`` and ``parts`` (public values only), else ``make()``,
    which is then kept for ``timeout`` seconds, unless it is a text longer than
    ``largest`` characters. If ``make()`` cannot reach the database, the value kept
    before is returned, up to ``STALE_SECONDS`` past its time."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    try:
        # Each entry is (fresh until, value); "kept:" tells these from entries written
        # before stale copies were kept, which held the value alone.
        key = f"public:{generation()}:kept:{name}:{digest}"
        entry = cache.get(key)
    except Exception:
        logger.warning("The cache is unreachable; making %s afresh.", name, exc_info=True)
        return make()
    now = timezone.now().timestamp()
    if entry is not None and now < entry[0]:
        return entry[1]
    try:
        value = make()
    except Exception as error:
        if entry is None or not is_database_outage(error):
            raise
        logger.warning("The database is unreachable; serving the copy of %s kept before.", name)
        return entry[1]
    if value is None or (largest is not None and len(value) > largest):
        return value
    try:
        cache.set(key, (now + timeout, value), timeout + STALE_SECONDS)
    except Exception:
        logger.warning("The cache is unreachable; %s not kept.", name, exc_info=True)
    return value


def _many_keys(name, parts_list):
    current = generation()
    return {
        parts: f"public:{current}:many:{name}:"
        + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
        for parts in parts_list
    }


def kept_many(name, parts_list):
    """{parts: value} of the values kept under ``name`` for each of ``parts_list`` (public
    values only, see ``keep_many``); what is missing, or a cache that cannot be reached,
    is simply not in the answer."""
    try:
        keys = _many_keys(name, parts_list)
        found = cache.get_many(keys.values())
    except Exception:
        logger.warning("The cache is unreachable; making %s afresh.", name, exc_info=True)
        return {}
    return {parts: found[key] for parts, key in keys.items() if key in found}


def keep_many(name, values, timeout):
    """Keep ``values`` {parts: value} under ``name`` for ``timeout`` seconds, in this
    generation: any save of anything public leaves them behind."""
    try:
        keys = _many_keys(name, values)
        cache.set_many({keys[parts]: value for parts, value in values.items()}, timeout)
    except Exception:
        logger.warning("The cache is unreachable; %s not kept.", name, exc_info=True)


def connect_signals():
    """Forget kept pages when any public row changes. Safe to call more than once."""
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"public-cache-{model._meta.label}"
            post_save.connect(forget_on_change, sender=model, dispatch_uid=uid)
            post_delete.connect(forget_on_change, sender=model, dispatch_uid=uid)
            if model._meta.auto_created:
                m2m_changed.connect(forget_on_change, sender=model, dispatch_uid=uid)
