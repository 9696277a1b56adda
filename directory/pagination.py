"""Pages of results for the search page and the meeting finder, and what they say of a
page number they cannot show."""

from dataclasses import dataclass
from http import HTTPStatus

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import (
    CharField,
    Count,
    OuterRef,
    Prefetch,
    StringAgg,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.filtering import Problem
from directory.meeting_cards import kept_cards as kept_meeting_cards
from directory.meeting_cards import make_cards as make_meeting_cards
from directory.result_cards import HOURS_SEPARATOR, kept_cards, make_cards
from resources.models import Listing, OpeningHours, Term, keep_summary, with_summaries
from resources.vocabularies import Vocabulary

RESULTS_PER_PAGE = 20
# The vocabularies whose terms a search result shows (see find_help.key_facts).
RESULT_VOCABULARIES = (Vocabulary.PAYMENT, Vocabulary.MEDICATION)

# Past this many rows a page is surely past the end; the databases refuse an offset of
# 2**63 and more (page=99999999999999999999999).
MAX_OFFSET = 10**12


class CountedOnPagePaginator(Paginator):
    """A Paginator of a QuerySet that counts the results in the page's own query.

    Each row of the page carries the number of results (``COUNT(*) OVER ()``), so the
    paginator needs no count query of its own, which compiled and ran the search's
    conditions a second time (about 14 ms of a meeting finder page's 80 at national
    scale). Only a page past the end, which has no row to carry the number, counts apart.
    """

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows, found = [], None
        if bottom < MAX_OFFSET:
            rows, found = self.counted_rows(bottom)
        if found is not None:
            self.count = found
        else:
            self.count = 0 if number == 1 else self.object_list.count()
        if number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(self.page_items(rows), number, self)

    def counted_rows(self, bottom):
        """The page's rows from ``bottom`` on, and the number of results (None: no rows)."""
        counted = self.object_list.annotate(results_found=Window(Count("pk")))
        rows = list(counted[bottom : bottom + self.per_page])
        return rows, rows[0].results_found if rows else None

    def page_items(self, rows):
        """What the page lists of its rows."""
        return rows


class MeetingCardPaginator(CountedOnPagePaginator):
    """Pages of the meeting finder's results as ``MeetingCard``s.

    The page's rows are read as values, only the id (and the distance of a search near a
    place), each carrying the number found; the cards of those meetings come from the cache
    when they are kept (directory/meeting_cards.py). Only the others are read, with their
    group, fellowship, place and types: as many queries as reading the page's meetings
    themselves when none is kept, one fewer when all are.
    """

    def counted_rows(self, bottom):
        with_distance = "distance" in self.object_list.query.annotations
        columns = ["pk", "distance"] if with_distance else ["pk"]
        counted = self.object_list.annotate(results_found=Window(Count("pk")))
        rows = list(counted.values_list(*columns, "results_found")[bottom : bottom + self.per_page])
        return rows, rows[0][-1] if rows else None

    def page_items(self, rows):
        cards = kept_meeting_cards([row[0] for row in rows])
        missing = [row[0] for row in rows if row[0] not in cards]
        if missing:
            cards.update(make_meeting_cards(missing))
        page = []
        for pk, *distance, _found in rows:
            if pk in cards:  # unless it was archived in between
                card = cards[pk]
                card.distance = distance[0] if distance else None
                page.append(card)
        return page


class ListingPaginator(Paginator):
    """Pages of listings found by a search, whose number is already known, as ``ResultCard``s.

    The order (rank, distance, name) is worked out on the listing table alone and gives
    the page's ids; the cards of those listings come from the cache when they are kept
    (directory/result_cards.py). Only the others are read, joined to the tables of their
    kinds, with their organization, fellowship and opening hours (one text a listing, for
    "Open now · closes at 5 PM"), then their terms. Joining the six kind tables to every
    match instead costs PostgreSQL more to plan (about 8 ms) than the search costs to run,
    and to rank a national search it would join thousands of rows to show 20.
    """

    def __init__(self, results, count):
        super().__init__(results, RESULTS_PER_PAGE)
        self.count = count  # counted with the option counts (ListingFilter.tally)

    def page(self, number):
        number = self.validate_number(number)
        if not self.count:
            return self._get_page([], number, self)
        bottom = (number - 1) * self.per_page
        with_distance = "distance" in self.object_list.query.annotations
        columns = ["pk", "kind", "distance"] if with_distance else ["pk", "kind"]
        rows = list(self.object_list.values_list(*columns)[bottom : bottom + self.per_page])
        cards = kept_cards([row[0] for row in rows])
        missing = [row for row in rows if row[0] not in cards]
        if missing:
            cards.update(make_cards(_read_listings(missing)))
        page = []
        for pk, _kind, *distance in rows:
            if pk in cards:  # unless it was deleted in between
                card = cards[pk]
                card.distance = distance[0] if with_distance else None
                page.append(card)
        return self._get_page(page, number, self)


def _read_listings(rows):
    """The listings of ``rows`` (pk, kind, …) with all their cards show."""
    listings = list(
        # A Spanish page shows curators' Spanish summaries, read with the listings.
        with_summaries(Listing.objects.filter(pk__in=[row[0] for row in rows]))
        .without_search_text()
        .with_kind_details(kinds={row[1] for row in rows})
        .annotate(hours_text=_opening_hours_text())
        .prefetch_related(
            # Only what a result shows: what it costs and which medications it offers.
            Prefetch(
                "terms",
                queryset=Term.objects.filter(vocabulary__in=RESULT_VOCABULARIES),
                to_attr="result_terms",
            )
        )
    )
    for listing in listings:
        keep_summary(listing)
    return listings


def _opening_hours_text():
    """A listing's opening hours as one text (result_cards.HOURS_SEPARATOR), read with the
    listing itself, since a prefetch of the hours would be one more query on every page."""
    as_text = [
        Cast("weekday", CharField()),
        Value(" "),
        Cast("opens", CharField()),
        Value(" "),
        Cast("closes", CharField()),
    ]
    periods = (
        OpeningHours.objects.filter(listing=OuterRef("pk"))
        .order_by()
        .values("listing")
        .annotate(text=StringAgg(Concat(*as_text), Value(HOURS_SEPARATOR)))
        .values("text")
    )
    return Subquery(periods, output_field=CharField())


@dataclass(frozen=True)
class PageProblem(Problem):
    status: int = HTTPStatus.BAD_REQUEST


def paginate(request, paginator):
    """(page, None, 200), or (None, the problem with the page number, its status).

    The search page and the meeting finder say the same of a page number they cannot
    show, and a page past the end links to the last page there is.
    """
    number = request.GET.get("page", "")
    try:
        return paginator.page(number or 1), None, HTTPStatus.OK
    except PageNotAnInteger:
        message = _("“%(page)s” is not a page number. Use a whole number, like 2.") % {
            "page": number[:20]
        }
        problem = _first_page_problem(message)
    except EmptyPage:
        if int(number) < 1:
            problem = _first_page_problem(_("Page numbers start at 1."))
        else:
            problem = _past_the_end_problem(number, paginator.num_pages)
    return None, problem, problem.status


def _first_page_problem(message):
    return PageProblem("page", _("Page"), message, {"page": None}, _("Go to the first page"))


def past_the_end_message(number, last):
    """What a page past the end says, on the site's pages and in the API alike."""
    pages = ngettext("%(n)s page", "%(n)s pages", last) % {"n": last}
    return _("There is no page %(page)s: these results fill %(pages)s.") % {
        "page": str(number)[:20],
        "pages": pages,
    }


def _past_the_end_problem(number, last):
    message = past_the_end_message(number, last)
    if last == 1:  # the first page is the last: the address needs no page number
        without, fix = {"page": None}, _("Go to the first page")
    else:
        without, fix = {"page": last}, _("Go to the last page")
    return PageProblem("page", _("Page"), message, without, fix, status=HTTPStatus.NOT_FOUND)
