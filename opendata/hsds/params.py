"""The query parameters of the HSDS API, read by forms: a value we cannot use is a 400."""

from math import ceil

from django import forms

from opendata.api.errors import BadParameters

PER_PAGE = 20
MAX_PER_PAGE = 100


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


class ServiceParameters(PageParameters):
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
