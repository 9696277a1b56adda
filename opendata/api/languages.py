"""The language of the API's labels: ``?lang=es`` or ``Accept-Language: es``.

Codes, names and what curators wrote never change with the language; labels of vocabulary
terms and of choices (kinds, roles, attendance…) and the messages of a 400 do. ``?lang``
wins over the header; a language the site does not have gives English, never an error.
Every answer says its language (``Content-Language``) and that it depends on the header
(``Vary: Accept-Language``), so a cache keeps one answer per language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import OpenApiParameter

from opendata.api.schema import NO_CONTROL_CHARACTERS

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _supported(code):
    """``code`` ("es", "es-MX", "ES") as one of the site's languages, or None."""
    base = code.strip().lower().split("-")[0]
    return base if base in LANGUAGE_CODES else None


def api_language(request):
    """The language an API request asks for, by ``?lang`` then ``Accept-Language``."""
    asked = request.GET.get("lang")
    if asked is not None:
        return _supported(asked[:20]) or settings.LANGUAGE_CODE
    header = request.headers.get("Accept-Language", "")[:500]
    for code, _quality in parse_accept_lang_header(header):
        if code != "*" and _supported(code):
            return _supported(code)
    return settings.LANGUAGE_CODE


class InRequestedLanguage:
    """A view mixin: the answer is made, and rendered, in the language asked for."""

    def dispatch(self, request, *args, **kwargs):
        language = api_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            # Lazy labels are turned into text when the answer is rendered: do it here,
            # while the language is active, not after the view returns.
            if hasattr(response, "render"):
                response.render()
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response


_NAMES = ", ".join(f"`{code}` ({name})" for code, name in settings.LANGUAGES)

LANGUAGE_PARAMETERS = [
    OpenApiParameter(
        "lang",
        # A control character in a request answers 400 (recovery_site/input_checks.py).
        {"type": "string", "pattern": NO_CONTROL_CHARACTERS},
        description=f"The language of labels: {_NAMES}. Wins over `Accept-Language`; "
        "any other value gives English.",
    ),
    OpenApiParameter(
        "Accept-Language",
        {"type": "string", "pattern": NO_CONTROL_CHARACTERS},
        location=OpenApiParameter.HEADER,
        description="The language of labels when `lang` is not given, as browsers send it "
        "(`es-MX,es;q=0.9,en;q=0.8`). Languages the site does not have give English.",
    ),
]
