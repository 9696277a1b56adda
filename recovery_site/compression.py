"""Compressed answers, only where compression can give no secret away.

Compressing a page that holds a secret (a CSRF token, a session's data) next to text an
attacker can put in it (a search's words) lets the attacker guess the secret from the
compressed sizes: the BREACH attack. So an answer is compressed only when

* the request carries no cookie at all: an anonymous visitor, who has no session and no
  CSRF secret for a page to hold (the site sets no cookie for them);
* the answer sets no cookie and used no CSRF token: a page with a form that posts (a
  suggestion, a problem report) makes a token and sets its cookie, and is sent as it is;
* the address is not the curators' admin (``settings.ADMIN_URL``), whatever the cookies.

Those are the pages nearly everyone sees (search, finder, listings, meetings, the APIs),
about a fifth of their size compressed. Curators' pages go uncompressed. Static files are
compressed ahead of time by WhiteNoise and never reach this middleware.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not carries_no_secret(request, response):
            return response
        return super().process_response(request, response)


def carries_no_secret(request, response):
    """True when neither the request nor the answer holds a secret to be guessed."""
    return not (
        request.COOKIES
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE")
        or request.path.startswith(f"/{settings.ADMIN_URL}")
    )
