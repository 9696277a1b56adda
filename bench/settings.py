"""Settings for the benchmark: the site's own, with the API's per-visitor throttle lifted.

wrk sends every request from one address, which the API would rightly throttle after 120
a minute; the throttle still runs (its cache look-up is part of the cost measured).
"""

from recovery_site.settings import *  # noqa: F403
from recovery_site.settings import REST_FRAMEWORK

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000000/minute"}}
