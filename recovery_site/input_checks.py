"""Checks on every request's address, and one shape for the API's errors.

``InputChecks`` refuses, before any view or database sees it, an address holding a NUL or
another control character that nobody types: PostgreSQL refuses NUL in text, so one such
character would otherwise be a server error in any view that looks the value up. In the
path it names no page (404); in the query string it is a parameter we cannot use (400,
naming the parameter, as ``{"errors": {name: [message]}}`` under the APIs, with a link to
the same page without it elsewhere). Tab, line feed and carriage return pass: pasted text
has them. Views marked ``@reads_its_own_parameters`` (the search and finder pages, whose
forms say in plain words, next to the field, what they could not read) are left to do so.

Under /api/ and /hsds/ every error is JSON: the API's own views and handlers
(``opendata.api.errors``) answer it already, and this middleware turns any other error
there (a 405 from a plain Django view, a third-party page) into ``{"detail": "…"}``.
"""

import re
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.encoding import escape_uri_path

# C0 control characters but tab, line feed and carriage return.
CONTROL_CHARACTERS = "".join(chr(code) for code in range(32) if chr(code) not in "\t\n\r")
_CONTROL_TEXT = re.compile(f"[{re.escape(CONTROL_CHARACTERS)}]")
_CONTROL_BYTES = re.compile(b"[" + re.escape(CONTROL_CHARACTERS.encode()) + b"]")

API_PREFIXES = ("/api/", "/hsds/")

UNREADABLE = (
    "This has a character we cannot read (a control character such as NUL). "
    "Please check the link or type it again."
)


def is_api(request):
    """True for the JSON APIs: /api/ (the site's own and the Meeting Guide feed) and /hsds/."""
    path = request.path_info
    return path.startswith(API_PREFIXES) or path == "/hsds"


def json_error(status, detail):
    return JsonResponse({"detail": str(detail)}, status=status)


def unreadable_parameters(query_string):
    """The names of the query string's parameters whose name or value has a control character.

    Read as sent: a control byte is never part of a UTF-8 sequence.
    """
    names = []
    for pair in query_string.split("&"):
        raw = unquote_to_bytes(pair.replace("+", " "))
        if _CONTROL_BYTES.search(raw):
            name = raw.split(b"=", 1)[0].decode("utf-8", "replace")
            names.append(_CONTROL_TEXT.sub("\ufffd", name))
    return list(dict.fromkeys(names))


def reads_its_own_parameters(view):
    """Marks a view whose forms refuse control characters themselves, with a message."""
    view.reads_its_own_parameters = True
    return view


class InputChecks:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL_TEXT.search(request.path_info):
            # No page has such an address (answered by the site's 404 handler).
            raise Http404("The address has a control character.")
        response = self.get_response(request)
        if response.status_code >= 400 and is_api(request) and not _is_json(response):
            # In development a server error keeps Django's page with the traceback.
            debug_page = settings.DEBUG and response.status_code >= 500
            return response if debug_page else _as_json(response)
        return response

    def process_view(self, request, view, args, kwargs):
        if getattr(view, "reads_its_own_parameters", False):
            return None
        query = request.META.get("QUERY_STRING", "")
        unreadable = unreadable_parameters(query)
        return _bad_parameters(request, query, unreadable) if unreadable else None


def _bad_parameters(request, query, names):
    status = HTTPStatus.BAD_REQUEST
    if is_api(request):
        # The shape of every API's 400 (opendata/api/errors.py).
        return JsonResponse({"errors": {name: [UNREADABLE] for name in names}}, status=status)
    readable = "&".join(pair for pair in query.split("&") if not unreadable_parameters(pair))
    without = escape_uri_path(request.path) + (f"?{readable}" if readable else "")
    context = {"names": names, "without": without}
    return render(request, "400.html", context, status=status)


def _is_json(response):
    content_type = response.get("Content-Type", "")
    return content_type.startswith("application/json") or content_type.endswith("+json")


def _as_json(response):
    """The same error as ``{"detail": …}``, with the headers that say how to go on."""
    replacement = json_error(response.status_code, f"{response.reason_phrase}.")
    for header in ("Allow", "Retry-After", "Vary", "Cache-Control"):
        if header in response:
            replacement[header] = response[header]
    return replacement
