"""Public pages kept for every visitor alike (see directory/public_cache.py for the cache)."""

from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language

from resources.public_cache import kept, seconds_to_next_minute


def public_page(view, seconds=seconds_to_next_minute):
    """Keep the view's page for every visitor alike, for ``seconds()`` (by default until
    the minute ends) or until anything public changes.

    Only a plain request is served from the cache: GET or HEAD with no query string and
    no session cookie (a curator signed in to the admin gets the page made for them), so
    a search is never kept, nor served from the cache. Only a 200 response is kept; errors
    pass through as they are. While the database is down the page kept before is served.
    """

    @wraps(view)
    def serve(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or request.GET
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        made = None

        def make():
            nonlocal made
            made = view(request, *args, **kwargs)
            if hasattr(made, "render"):
                made.render()
            if made.status_code != HTTPStatus.OK or made.cookies:
                return None  # not kept; a value of None is never stored
            return made.content, made["Content-Type"]

        kept_page = kept("page", (request.path, get_language()), make, seconds())
        if made is not None:
            return made
        content, content_type = kept_page
        return HttpResponse(content, content_type=content_type)

    return serve
