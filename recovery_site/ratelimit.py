"""Sliding-window rate limits, counted in the shared cache: the one limiter of the site.

Used by the suggestion and report forms (moderation/ratelimit.py), the API's throttle
(opendata/api/throttling.py) and the Meeting Guide feed (exchange/meeting_guide/feed.py).

A request is allowed while fewer than ``limit`` were counted in the last ``window`` seconds.
Requests are counted in buckets of ``window`` seconds, and the previous bucket's count is
weighted by how much of it the window still covers (the "sliding window counter"): at 13:01
an hourly window covers 59 minutes of the 12:00 bucket, so 59/60 of its count is added to
the 13:00 bucket's. So five at 12:59 leave no room at 13:01, unlike a count that restarts on
the hour. It is an estimate (it takes the previous bucket's requests as evenly spread), on
the strict side: a burst early in a bucket still weighs on the next one, so the wait it
asks for can reach two windows. It costs two small cache entries per client and limit, each
forgotten after two windows.

A cache key holds the kind of limit, the window, a keyed hash of the address
(``recovery_site.clients.rate_key``: never the address) and the bucket's number.

If the cache cannot be reached, everything is allowed: a visitor never gets an error page
because Redis is down. The warning logged names no address.
"""

import logging
import math
import time
from contextlib import suppress
from dataclasses import dataclass

from django.core.cache import cache

from recovery_site.clients import rate_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until one more request would be allowed


ALLOWED = Decision(allowed=True)


def hit(scope, address, limit, window, now=None):
    """Count one request from ``address`` against ``limit`` per ``window`` seconds.

    A refused request is not counted, so a client that waits ``retry_after`` seconds gets
    through. ``incr`` is atomic (in Redis and in every cache Django ships), so two requests
    at the same moment can never both take the last place.
    """
    current_key, previous_key, covered = _buckets(scope, address, window, now)
    try:
        cache.add(current_key, 0, timeout=2 * window)
        try:
            current = cache.incr(current_key)
        except ValueError:  # evicted between add and incr
            cache.add(current_key, 1, timeout=2 * window)
            current = 1
        previous = cache.get(previous_key) or 0
        if previous * covered + current <= limit:
            return ALLOWED
        with suppress(ValueError):  # evicted meanwhile: nothing left to take back
            cache.decr(current_key)
    except Exception:
        logger.warning("The cache is unreachable; %s are not rate limited.", scope)
        return ALLOWED
    return Decision(False, _retry_after(previous, current - 1, limit, window, covered))


def check(scope, address, limit, window, now=None):
    """Whether one more request from ``address`` would be allowed; counts nothing."""
    current_key, previous_key, covered = _buckets(scope, address, window, now)
    try:
        counts = cache.get_many([current_key, previous_key])
    except Exception:
        logger.warning("The cache is unreachable; %s are not rate limited.", scope)
        return ALLOWED
    current, previous = counts.get(current_key, 0), counts.get(previous_key, 0)
    if previous * covered + current + 1 <= limit:
        return ALLOWED
    return Decision(False, _retry_after(previous, current, limit, window, covered))


def _buckets(scope, address, window, now):
    """The current and previous buckets' keys, and the share of the previous bucket that
    the window still covers."""
    now = time.time() if now is None else now
    bucket, into = divmod(now, window)
    prefix = f"ratelimit:{scope}:{window}:{rate_key(address)}"
    return f"{prefix}:{int(bucket)}", f"{prefix}:{int(bucket) - 1}", 1 - into / window


def _retry_after(previous, current, limit, window, covered):
    """Seconds until one more request fits, if no other is counted meanwhile."""
    if limit < 1:
        return window
    if current + 1 <= limit:
        # Within this bucket, as the previous one's weight fades:
        # previous × (covered − t/window) + current + 1 ≤ limit.
        wait = window * (covered - (limit - current - 1) / previous)
    else:
        # After this bucket ends, as this one's weight fades in its turn.
        wait = window * covered + window * (1 - (limit - 1) / current)
    return max(1, math.ceil(wait))
