"""At most ``SUBMISSIONS_PER_HOUR`` (default 5) submissions per client address per clock hour.

Counts live in Django's default cache under a key made from a keyed hash (HMAC with the
SECRET_KEY) of the address and the hour, so neither the address nor anything that could be
turned back into it is stored, and each count is forgotten when its hour is over. Nothing
here is logged.

The client address is ``REMOTE_ADDR``. Behind reverse proxies, set
``SUBMISSIONS_PROXY_COUNT`` to how many of them add themselves to ``X-Forwarded-For``: the
address is then read that many entries from the right of that header, which the client
cannot forge (entries further left can be anything).
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 60 * 60

logger = logging.getLogger(__name__)


def submissions_per_hour():
    return getattr(settings, "SUBMISSIONS_PER_HOUR", 5)


def client_address(request):
    proxies = getattr(settings, "SUBMISSIONS_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class Window:
    key: str
    retry_after: int  # seconds until this hour's window ends


def _window(request, now=None):
    now = time.time() if now is None else now
    hour = int(now // WINDOW_SECONDS)
    digest = salted_hmac(
        "moderation.ratelimit", f"{client_address(request)}|{hour}", algorithm="sha256"
    ).hexdigest()
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    return Window(key=f"submissions:{digest}", retry_after=retry_after)


def is_limited(request):
    """True when this address has already used up this hour's submissions (counts nothing).

    If the cache cannot be reached, nobody is limited: someone reporting a closed clinic
    must not get an error page because Redis is down. The warning names no address.
    """
    try:
        return (cache.get(_window(request).key) or 0) >= submissions_per_hour()
    except Exception:
        logger.warning("The cache is unreachable; submissions are not rate limited.")
        return False


def count_submission(request):
    """Count one submission from this address; False when it is over the hour's limit.

    ``add`` then ``incr`` are each atomic in every cache backend Django ships (and in Redis),
    so two submissions at the same moment can never both take the last place.
    """
    window = _window(request)
    try:
        # The count outlives its hour by a minute, so it is never dropped mid-window.
        cache.add(window.key, 0, timeout=window.retry_after + 60)
        try:
            count = cache.incr(window.key)
        except ValueError:  # expired between add and incr: a new window has begun
            cache.add(window.key, 1, timeout=window.retry_after + 60)
            count = 1
    except Exception:
        logger.warning("The cache is unreachable; submissions are not rate limited.")
        return True
    return count <= submissions_per_hour()


def retry_after(request):
    return _window(request).retry_after
