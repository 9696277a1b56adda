"""While the database cannot be reached, say so with 503 and when to try again.

A PostgreSQL restart, a failover or a network blip makes every query fail for a few
seconds. Without this the visitor gets the 500 page ("something went wrong on our side")
and nothing tells a browser, a crawler or an API client that waiting will help. Here such
a failure answers ``503 Service Unavailable`` with ``Retry-After``: a plain page with the
crisis numbers, or ``{"detail": …}`` under /api/ and /hsds/. Neither touches the database.

Kept public pages carry on being served from the cache meanwhile (``resources.public_cache``);
this answers for pages that have to be made.

Django (and Django REST framework, whose exception handler leaves non-API errors alone) hand
the view's exception to ``process_exception``. The connection that failed is closed when
the request ends, and the next request opens a new one once the database is back.
"""

import logging

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Django wraps the driver's errors in its own; psycopg's are listed too, for one that
# escapes unwrapped from code that talks to psycopg directly.
DATABASE_UNREACHABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
RETRY_AFTER_SECONDS = 30
JSON_PREFIXES = ("/api/", "/hsds/")


def is_database_outage(exception):
    return isinstance(exception, DATABASE_UNREACHABLE)


def unavailable(request):
    """The 503 answer, made without the database."""
    if request.path.startswith(JSON_PREFIXES):
        response = JsonResponse(
            {"detail": "The directory's database is unavailable. Try again in a moment."},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never kept by a browser or a proxy: the page it stands for is back in a moment.
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # In development Django's error page, with the traceback, is more use (and on SQLite
        # a missing table is an OperationalError too).
        if settings.DEBUG or not is_database_outage(exception):
            return None
        # One line, no path or query string: nothing about what the visitor asked for.
        logger.warning("The database is unreachable; answered 503. %s", str(exception).strip())
        return unavailable(request)
