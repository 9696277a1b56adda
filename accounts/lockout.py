"""How django-axes counts wrong passwords and answers a locked-out sign-in.

After ``AXES_FAILURE_LIMIT`` wrong passwords for one user name (from anywhere), or from one
client address (with any user names), further sign-ins are refused for ``AXES_COOLOFF_TIME``
before any password is hashed: each hash costs about a second of CPU on purpose, so an
unthrottled attacker could both guess passwords and slow the site for everyone.

Counts live in the cache only (``AxesCacheHandler``), each forgotten when its cool-off ends.
Axes sees the client address only as the site's rate-limit key for it (``recovery_site.clients``:
the same rule for trusting proxies as everywhere else, then an HMAC keyed with the SECRET_KEY,
IPv6 by its /64), so neither the cache nor axes' log lines hold anything that could be turned
back into an address.
"""

import logging
import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_cool_off
from django.contrib import admin
from django.shortcuts import render

from recovery_site.clients import client_address, rate_key

logger = logging.getLogger(__name__)


class FailOpenCacheHandler(AxesCacheHandler):
    """Axes' cache handler, letting sign-ins through to the password check when the cache
    cannot be reached, as every other limit of the site does (recovery_site/ratelimit.py).

    Curators must still be able to sign in while Redis is down; a locked-out attacker gains
    nothing from that outage that they could cause, and each attempt still costs them a hash.
    """

    def is_allowed(self, request, credentials=None):
        try:
            return super().is_allowed(request, credentials)
        except Exception:  # the cache client's own errors (redis.ConnectionError, …)
            logger.warning("Sign-in lockout skipped: the cache cannot be reached.")
            return True

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        except Exception:
            logger.warning("A wrong password was not counted: the cache cannot be reached.")

    def user_logged_in(self, sender, request, user, **kwargs):
        try:
            super().user_logged_in(sender, request, user, **kwargs)
        except Exception:
            logger.warning("A sign-in was not cleared from the lockout: no cache.")


def client_key(request):
    """The key axes counts a client address under (``AXES_CLIENT_IP_CALLABLE``)."""
    return rate_key(client_address(request))


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out sign-in before the next backend hashes the password.

    A call without a request is not a sign-in from the web (``manage.py shell``, the test
    client's ``login()``): there is no address to count, so it is let through to the
    password check rather than refused with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``): 429 with Retry-After."""
    seconds = int(get_cool_off(request).total_seconds())
    context = {
        **admin.site.each_context(request),
        "title": "Too many wrong passwords",
        "minutes": max(1, math.ceil(seconds / 60)),
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    # The lock ends at most this long from now (attempts while locked do not extend it).
    response["Retry-After"] = str(seconds)
    return response
