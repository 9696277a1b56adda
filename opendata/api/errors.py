"""One shape for every error the API answers.

* A parameter we cannot use: 400 ``{"errors": {"parameter": ["message", …]}}``, plus
  ``"suggestions"`` (places we know) when ``near`` names a place we could not find.
* Anything else (unknown slug or address, page past the end, a method other than GET, too
  many requests, a server error): ``{"detail": "…"}``.

The site's error handlers (``handler404`` … in recovery_site/urls.py) answer JSON under
/api/ and /hsds/ and the usual pages elsewhere; ``recovery_site.input_checks`` turns any
other error there into JSON too.
"""

from http import HTTPStatus

from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from recovery_site.input_checks import is_api, json_error


class BadParameters(exceptions.APIException):
    """400 with the messages of each parameter that could not be used."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A parameter could not be used."

    def __init__(self, errors, suggestions=None):
        super().__init__()
        self.errors = {name: [str(message) for message in messages] for name, messages in errors}
        self.suggestions = list(suggestions or [])


def filterset_errors(filterset):
    """BadParameters carrying a FilterSet's own messages (the ones the HTML pages show)."""
    return BadParameters(filterset.errors.items(), filterset.place_suggestions)


def exception_handler(exc, context):
    if isinstance(exc, BadParameters):
        body = {"errors": exc.errors}
        if exc.suggestions:
            body["suggestions"] = exc.suggestions
        return Response(body, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"errors": detail}
    return response


# The site's error handlers: JSON for the APIs, the site's pages elsewhere.


def bad_request(request, exception):
    if is_api(request):
        return json_error(HTTPStatus.BAD_REQUEST, "The request could not be read.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return json_error(HTTPStatus.FORBIDDEN, "This is not open to the public.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return json_error(
            HTTPStatus.NOT_FOUND,
            "There is nothing at this address. The API is described at /api/docs/ "
            "and the HSDS API at /hsds/.",
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return json_error(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Please try again in a minute.",
        )
    return defaults.server_error(request)
