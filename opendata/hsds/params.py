"""The query parameters of the HSDS API, read by forms: a value we cannot use is a 400."""

from math import ceil

from django import forms

from opendata.api.errors import BadParameters
from resources.geo.distances import RADIUS_CHOICES
from resources.geo.places import PlaceNotFound, resolve_near

PER_PAGE = 20
MAX_PER_PAGE = 100
# ``minimal`` rows are an id and a date: HSDS asks for all of them in one call if it can.
MAX_MINIMAL_PER_PAGE = 10_000
METERS_PER_MILE = 1609.344
MAX_PROXIMITY_METERS = int(max(RADIUS_CHOICES) * METERS_PER_MILE)


def boolean_field():
    # "true"/"false" (and 1/0); absent is None, so a default can be told from a choice.
    return forms.NullBooleanField(required=False, widget=forms.NullBooleanSelect)


class PageParameters(forms.Form):
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": "Use a whole page number from 1."},
    )
    per_page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PER_PAGE,
        error_messages={"invalid": f"Choose a page size from 1 to {MAX_PER_PAGE}."},
    )
    search = forms.CharField(required=False, max_length=200, strip=True)
    format = forms.ChoiceField(
        required=False,
        choices=[("json", "json"), ("ndjson", "ndjson")],
        error_messages={"invalid_choice": "Use json (pages) or ndjson (every result, streamed)."},
    )


class ServiceParameters(PageParameters):
    full = boolean_field()
    minimal = boolean_field()

    taxonomy_term_id = forms.UUIDField(
        required=False, error_messages={"invalid": "A taxonomy term id is a UUID."}
    )
    taxonomy_id = forms.UUIDField(
        required=False, error_messages={"invalid": "A taxonomy id is a UUID."}
    )
    organization_id = forms.UUIDField(
        required=False, error_messages={"invalid": "An organization id is a UUID."}
    )
    modified_after = forms.DateTimeField(
        required=False,
        error_messages={
            "invalid": "Give a date or date and time such as 2026-10-01 or 2026-10-01T12:00:00Z."
        },
    )

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self["minimal"].value():
            self.fields["per_page"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=MAX_MINIMAL_PER_PAGE,
                error_messages={"invalid": f"Choose a page size from 1 to {MAX_MINIMAL_PER_PAGE}."},
            )


class ServiceAtLocationParameters(ServiceParameters):
    postcode = forms.CharField(required=False, max_length=10, strip=True)
    proximity = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PROXIMITY_METERS,
        error_messages={
            "invalid": "Give a distance in whole meters.",
            "max_value": f"Give at most {MAX_PROXIMITY_METERS:,} meters ({max(RADIUS_CHOICES)} "
            "miles).",
        },
    )

    def clean_postcode(self):
        code = self.cleaned_data["postcode"]
        if not code:
            return None
        try:
            place = resolve_near(code)
        except PlaceNotFound:
            place = None
        if place is None or not code.isdigit():
            raise forms.ValidationError(f"“{code[:10]}” is not a US ZIP code we know.")
        return code, place

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("proximity")
            and not cleaned.get("postcode")
            and "postcode" not in self.errors
        ):
            self.add_error("proximity", "Give a postcode to measure the distance from.")
        return cleaned


class TaxonomyTermParameters(PageParameters):
    taxonomy_id = forms.UUIDField(
        required=False, error_messages={"invalid": "A taxonomy id is a UUID."}
    )


def read(form_class, request):
    """Cleaned parameters, or BadParameters with each parameter's messages."""
    form = form_class(request.GET)
    if not form.is_valid():
        raise BadParameters(form.errors.items())
    data = form.cleaned_data
    data["page"] = data.get("page") or 1
    data["per_page"] = data.get("per_page") or PER_PAGE
    return data


def page_of(total, params):
    """(offset, limit, the page fields of HSDS's Page) for ``total`` items."""
    number, size = params["page"], params["per_page"]
    total_pages = ceil(total / size)
    offset = (number - 1) * size
    shown = max(0, min(size, total - offset))
    fields = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": shown,
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": shown == 0,
    }
    return offset, size, fields
