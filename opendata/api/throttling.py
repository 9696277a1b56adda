"""The API's throttle: ``DEFAULT_THROTTLE_RATES["anon"]`` (120 a minute) per visitor.

The visitor is the site's one client address (``recovery_site.clients``: X-Forwarded-For
only from ``TRUSTED_PROXIES``), counted over a sliding window by the site's limiter
(``recovery_site/ratelimit.py``), which keeps only a keyed hash of the address and lets
every request through when the cache is down. DRF answers a refused request with 429,
``{"detail": …}`` and ``Retry-After``.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from recovery_site import ratelimit
from recovery_site.clients import client_address

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def parse_rate(rate):
    """``"120/minute"`` → (120, 60), as DRF reads it (only the period's first letter counts)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class AnonymousRateThrottle(BaseThrottle):
    """Reads its rate when asked, so a changed setting takes effect (DRF's own throttles copy
    it once, at import)."""

    scope = "anon"

    def allow_request(self, request, view):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            return True
        limit, window = parse_rate(rate)
        self.decision = ratelimit.hit(f"api-{self.scope}", client_address(request), limit, window)
        return self.decision.allowed

    def wait(self):
        return self.decision.retry_after
