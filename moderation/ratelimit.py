"""At most ``SUBMISSIONS_PER_HOUR`` (default 5) suggestions and reports per visitor in any
hour: a sliding window, so the count does not start again on the clock hour.

The visitor is ``recovery_site.clients.client_address`` (set ``TRUSTED_PROXIES`` behind a
reverse proxy), counted per IPv6 /64, and kept only as a keyed hash in the cache by the
site's limiter (``recovery_site/ratelimit.py``). If the cache cannot be reached nobody is
limited: someone reporting a closed clinic must not get an error page because Redis is down.
"""

from django.conf import settings

from recovery_site import ratelimit
from recovery_site.clients import client_address

SCOPE = "submissions"
WINDOW_SECONDS = 60 * 60


def submissions_per_hour():
    return getattr(settings, "SUBMISSIONS_PER_HOUR", 5)


def is_limited(request, now=None):
    """True when this visitor has used up the hour's submissions (counts nothing)."""
    return not _check(request, now).allowed


def count_submission(request, now=None):
    """Count one submission from this visitor; False when it is over the limit."""
    decision = ratelimit.hit(
        SCOPE, client_address(request), submissions_per_hour(), WINDOW_SECONDS, now
    )
    return decision.allowed


def retry_after(request, now=None):
    """Seconds until this visitor may send another."""
    return _check(request, now).retry_after or 1


def _check(request, now):
    return ratelimit.check(
        SCOPE, client_address(request), submissions_per_hour(), WINDOW_SECONDS, now
    )
