"""Pages of 20 results (``page_size`` up to 100), with the page number checked, not guessed."""

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from directory.pagination import CountedOnPagePaginator, past_the_end_message
from opendata.api.errors import BadParameters

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _whole_number(text):
    return int(text) if text.isascii() and text.isdigit() else None


class Pagination(PageNumberPagination):
    django_paginator_class = CountedOnPagePaginator
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        number, size = self.parsed(request)
        paginator = self.django_paginator_class(queryset, size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(past_the_end_message(number, paginator.num_pages)) from None
        return list(self.page)

    def parsed(self, request):
        """(page number, page size) from the query string; BadParameters if unusable."""
        errors = []
        page = request.query_params.get(self.page_query_param, "") or "1"
        number = _whole_number(page)
        if number is None or number < 1:
            errors.append(
                ("page", [f"“{page[:20]}” is not a page number. Use a whole number from 1."])
            )
        size_text = request.query_params.get(self.page_size_query_param, "")
        size = _whole_number(size_text) if size_text else self.page_size
        if size is None or not 1 <= size <= self.max_page_size:
            errors.append(
                (
                    "page_size",
                    [f"Choose a page size from 1 to {self.max_page_size}, not “{size_text[:20]}”."],
                )
            )
        if errors:
            raise BadParameters(errors)
        return number, size
