"""/robots.txt: every public page may be crawled; the curators' admin and searches may not.

A search's address holds what someone looked for and where, and the results are the
listings' own pages, which the sitemap names: crawlers are asked to leave the search,
browse and finder addresses that carry a query string, and the calendar files. The
pages themselves (/search/, /browse/…/, /meetings/) stay open.
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Addresses crawlers are asked to leave ("*" matches any characters, RFC 9309).
SEARCH_ADDRESSES = (
    "/search/?",
    "/browse/*?",
    "/meetings/?",
    "/meetings/calendar.ics",
    "/meetings/*.ics",
)


def search_addresses():
    """SEARCH_ADDRESSES in English, then under each other language's prefix (/es/search/?)."""
    prefixes = [""] + [
        f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    return [prefix + address for prefix in prefixes for address in SEARCH_ADDRESSES]


@require_safe
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        *(f"Disallow: {address}" for address in search_addresses()),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
