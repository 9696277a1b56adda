from http import HTTPStatus

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers
from django.views.generic import DetailView
from django_htmx.http import HttpResponseClientRedirect

from directory.categories import ALL_FILTERS, CATEGORIES, KIND_NAMES, get_category_or_404
from directory.counts import home_counts
from directory.listing_filters import CLEAR_FILTERS, ListingFilter
from directory.pagination import ListingPaginator, paginate
from directory.understanding import (
    finder_address,
    read_the_box,
    understood_chips,
    understood_notes,
)
from groups.models import Meeting
from moderation.models import with_pending_notice
from recovery_site.input_checks import reads_its_own_parameters
from resources.models import Listing
from resources.public_cache import seconds_to_next_minute


def home_page_seconds():
    """The home page is kept as long as its counts, and no longer than the minute."""
    return min(settings.HOME_COUNTS_CACHE_SECONDS, seconds_to_next_minute())


def home(request):
    counts = home_counts()
    context = {
        "cards": [(category, counts["categories"][category.slug]) for category in CATEGORIES],
        "meeting_count": counts["meetings"],
        "fellowship_count": counts["fellowships"],
    }
    return render(request, "resources/home.html", context)


# The same URL answers htmx with only the results: caches must keep the two apart. No
# cache keeps a search at all: its address holds what and where someone looked for help.
# Its form says, next to the field, what it could not read (a NUL, broken UTF-8).
@reads_its_own_parameters
@never_cache
@vary_on_headers("HX-Request")
def search(request):
    return find_help(request, category=None)


@reads_its_own_parameters
@never_cache
@vary_on_headers("HX-Request")
def browse(request, category):
    return find_help(request, category=get_category_or_404(category))


def find_help(request, category):
    """The search page, or a category's browse page: the same form, results and template.

    The box's words are read first (directory/understanding.py): a place in them is
    searched as the place, and a request for meetings goes to the meeting finder.
    """
    understood, data = read_the_box(request.GET, today=timezone.localdate())
    if understood and understood.to_finder:
        address = finder_address(understood, data)
        if request.htmx:
            return HttpResponseClientRedirect(address)
        return redirect(address)
    listings = Listing.objects.searchable()
    if category:
        listings = category.apply(listings)
    filterset = ListingFilter(
        data, listings, offered=category.filters if category else ALL_FILTERS, cap_national=True
    )
    page, page_problem, counts, problems, notes = None, None, {}, [], []
    status = HTTPStatus.OK
    if filterset.is_valid():
        notes = filterset.notes(category) + understood_notes(understood, data)
        tally = filterset.tally()
        page, page_problem, status = paginate(request, ListingPaginator(filterset.qs, tally.total))
        if page_problem:
            problems.append(page_problem)
        elif tally.total:
            counts = tally.options
    else:
        problems = filterset.problems()
        if filterset.has_unusable_input():
            status = HTTPStatus.BAD_REQUEST
    context = {
        "category": category,
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "problems": problems,
        "notes": notes,
        "page_problem": page_problem,
        "groups": filterset.groups(counts),
        "ticks": filterset.ticks(),
        "chips": filterset.chips(),
        "understood_chips": understood_chips(understood, filterset.location),
        "clear_filters": CLEAR_FILTERS,
        # "near me" and no place: the page asks where, with the cursor in "Where?".
        "ask_where": bool(understood and understood.near_me) and not filterset.location,
    }
    template = "resources/find_help.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context, status=status)


class ListingDetailView(DetailView):
    template_name = "resources/listing_detail.html"
    context_object_name = "listing"

    def get_queryset(self):
        meetings = Meeting.objects.on_schedule().select_related("place").prefetch_related("types")
        # has_pending_notice: someone reported it closed and no curator has decided yet.
        return (
            with_pending_notice(Listing.objects.published(), about="listing")
            .with_kind_details()
            .prefetch_related(
                "terms",
                "opening_hours",
                Prefetch("supportgroup__meetings", queryset=meetings),
            )
        )

    def get_context_data(self, **kwargs):
        listing = self.object
        return super().get_context_data(
            specific=listing.specific, kind_name=KIND_NAMES[listing.kind], **kwargs
        )
