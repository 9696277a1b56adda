"""OpenAPI query parameters made from the FilterSets, so the schema lists the real ones."""

import django_filters as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from directory.filtering import ChoicesFilter, TextField, TextFilter, TickFilter
from opendata.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE

# The control characters recovery_site/input_checks.py refuses: C0 but tab, LF and CR.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"


def _choices(filter_):
    return [(value, str(label)) for value, label in filter_.extra["choices"]]


def _listed(choices):
    return "\n".join(f"- `{value}`: {label}" for value, label in choices)


def _parameter(name, filter_):
    label = str(filter_.label)
    if isinstance(filter_, ChoicesFilter):
        choices = _choices(filter_)
        return OpenApiParameter(
            name,
            OpenApiTypes.STR,
            many=True,
            explode=True,
            enum=[str(value) for value, _label in choices],
            description=f"{label}. Repeat for any of several.\n\n{_listed(choices)}",
        )
    if isinstance(filter_, TickFilter):
        return OpenApiParameter(name, OpenApiTypes.BOOL, description=label)
    if isinstance(filter_, filters.TypedChoiceFilter):
        choices = _choices(filter_)
        kind = (
            OpenApiTypes.INT if all(isinstance(v, int) for v, _l in choices) else OpenApiTypes.STR
        )
        return OpenApiParameter(
            name, kind, enum=[value for value, _label in choices], description=label
        )
    if isinstance(filter_, TextFilter):
        field = filter_.field_class(**filter_.extra)
        assert isinstance(field, TextField)
        return OpenApiParameter(
            name,
            # A control character (NUL, \x14…) in a request answers 400: the schema says so.
            {"type": "string", "maxLength": field.max_chars, "pattern": NO_CONTROL_CHARACTERS},
            description=label,
        )
    return OpenApiParameter(name, OpenApiTypes.STR, description=label)


DESCRIPTIONS = {
    "q": "Search words, as on the site's search.",
    "near": "A place: a 5-digit ZIP code, “City, ST”, or “latitude,longitude”. "
    "An unknown place answers 400 with suggestions.",
    "radius": "Miles from `near` (default 25).",
}


def filterset_parameters(filterset_class, notes=None):
    notes = {**DESCRIPTIONS, **(notes or {})}
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        parameter = _parameter(name, filter_)
        if name in notes:
            parameter.description = f"{parameter.description}. {notes[name]}"
        parameters.append(parameter)
    return parameters


PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page number, from 1."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Results per page: 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
    ),
]
