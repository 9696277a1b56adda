"""Settings for the benchmark: the site's own, with the API's and the feed's per-visitor
limits lifted.

wrk sends every request from one address, which the API would rightly throttle after 120
a minute; the throttle still runs (its cache look-up is part of the cost measured).
"""

from recovery_site.settings import *  # noqa: F403
from recovery_site.settings import REST_FRAMEWORK

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000000/minute"}}
# The same for the Meeting Guide feed's 60 a minute.
FEED_REQUESTS_PER_MINUTE = 100_000_000
# The admin timings sign in with a password only: the second step is tested elsewhere.
ADMIN_REQUIRE_2FA = False
# The floor page beside the site's own: bench/floor.py.
ROOT_URLCONF = "bench.urls"
