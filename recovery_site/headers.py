"""Two security headers Django does not send by itself.

Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy; its CSP and clickjacking middleware the rest. This adds:

- ``Cross-Origin-Resource-Policy: same-origin``: no other site may pull a page or an API
  answer into its own page as an image, script or frame-less "no-cors" load, which is how
  Spectre-style attacks read another origin's bytes. The open data stays open: a browser
  reads it with ``fetch()`` in CORS mode, which CORS governs (``Access-Control-Allow-Origin:
  *``) and this header does not touch; apps and scripts outside a browser ignore it.
- ``Permissions-Policy``: the only powerful feature the site uses is the location, for
  "Use my location", and only on its own pages (never in a frame of another site). Camera,
  microphone, payment and the rest are turned off, so even injected script cannot ask.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "display-capture=()",
        "payment=()",
        "usb=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
        # No interest-based advertising topics computed from visits to this site.
        "browsing-topics=()",
    ]
)


def map_tiles_origin(url):
    """The origin ("https://tiles.example.org") of MAP_TILES_URL, which the content security
    policy then allows images from; "" when no tile server is set.

    One host only: a ``{s}`` in the address would spread the requests over hosts the
    policy does not name.
    """
    if not url:
        return ""
    parts = urlsplit(url)
    placeholders = all(part in url for part in ("{z}", "{x}", "{y}"))
    if parts.scheme not in ("https", "http") or not parts.netloc or not placeholders:
        raise ImproperlyConfigured(
            "MAP_TILES_URL must be a tile address such as "
            f"https://tiles.example.org/{{z}}/{{x}}/{{y}}.png, not {url!r}."
        )
    if "{s}" in url:
        raise ImproperlyConfigured(
            "MAP_TILES_URL must name one host: replace {s} with one of the server's names."
        )
    return f"{parts.scheme}://{parts.netloc}"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # setdefault: a view that needs something else can still say so.
        response.headers.setdefault("Cross-Origin-Resource-Policy", CROSS_ORIGIN_RESOURCE_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
