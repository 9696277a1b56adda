"""One shape for every error the API answers.

* A parameter we cannot use: 400 ``{"errors": {"parameter": ["message", …]}}``, plus
  ``"suggestions"`` (places we know) when ``near`` names a place we could not find.
* Anything else (unknown slug, page past the end, too many requests): ``{"detail": "…"}``.
"""

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


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
