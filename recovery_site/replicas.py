"""Public reads from PostgreSQL read replicas, when there are any (DATABASE_REPLICA_URLS).

A replica is a streaming standby of the primary: it answers the same SELECTs, a moment
behind. The rule, decided once per request by ``ReplicaReads``:

* A visitor's GET or HEAD reads from a replica: searches, the finder, listing and meeting
  pages, the APIs. These are nearly all of the traffic and never write.
* Everything else reads and writes on the primary: the admin, any POST (suggestions,
  reports, confirmations), imports and commands (they run outside a request), and anything
  inside a transaction.
* Read your writes: a request that carries the site's session or CSRF cookie reads from the
  primary. Curators are signed in, so after saving they see what they saved at once; a
  visitor who has just sent a form (the form page set the CSRF cookie) sees its thank-you
  page from the primary too. Anonymous browsing carries no cookie, so it uses the replicas.
* A replica that does not answer is left out for ``REPLICA_RETRY_SECONDS`` (in this
  process) and the next one is tried, then the primary: a stopped replica costs a failed
  connection attempt, not an error page.

Without replicas configured the middleware does nothing and every query goes to "default".
"""

import itertools
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica"
REPLICA_RETRY_SECONDS = 30
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})

# The replica this request reads from, or None for the primary.
_reading_from = ContextVar("reading_from", default=None)
# Replica alias -> time.monotonic() before which it is not tried again.
_left_out_until = {}
_turns = itertools.count()


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def replica_settings(url_settings, primary):
    """The DATABASES entry of one replica: its own address, the primary's options, and in
    tests the primary's database itself (a replica's content is the primary's)."""
    return {
        **url_settings,
        "CONN_MAX_AGE": primary["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {**primary.get("OPTIONS", {}), **url_settings.get("OPTIONS", {})},
        "TEST": {"MIRROR": "default"},
    }


class ReplicaRouter:
    """Sends the reads of a request that ``ReplicaReads`` chose a replica for to that
    replica; every write, and every read inside a transaction, to the primary."""

    def db_for_read(self, model, **hints):
        alias = _reading_from.get()
        if alias is None or connections["default"].in_atomic_block:
            return "default"
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, wherever they were read

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # replicas copy the primary's schema


def reads_from_primary(request):
    if request.method not in READ_ONLY_METHODS:
        return True
    if request.path.startswith(f"/{settings.ADMIN_URL}"):
        return True
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies


def working_replica(aliases):
    """The next replica, in turn, that accepts a connection; None when none does."""
    start = next(_turns)
    now = time.monotonic()
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if _left_out_until.get(alias, 0) > now:
            continue
        connection = connections[alias]
        try:
            # A kept connection is checked once a request (CONN_HEALTH_CHECKS); a new one
            # is opened. Either fails here, before the view, if the replica is down.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            _left_out_until[alias] = now + REPLICA_RETRY_SECONDS
            logger.warning(
                "Replica %s is unreachable; reading from the primary for %s s. %s",
                alias,
                REPLICA_RETRY_SECONDS,
                str(error).strip(),
            )
            connection.close()
            continue
        return alias
    return None


class ReplicaReads:
    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = replica_aliases()

    def __call__(self, request):
        if not self.aliases or reads_from_primary(request):
            return self.get_response(request)
        token = _reading_from.set(working_replica(self.aliases))
        try:
            return self.get_response(request)
        finally:
            _reading_from.reset(token)
