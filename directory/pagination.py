"""Pages of results for the search page and the meeting finder, and what they say of a
page number they cannot show."""

from dataclasses import dataclass
from http import HTTPStatus

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.filtering import Problem

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
        rows = []
        if bottom < MAX_OFFSET:
            counted = self.object_list.annotate(results_found=Window(Count("pk")))
            rows = list(counted[bottom : bottom + self.per_page])
        if rows:
            self.count = rows[0].results_found
        else:
            self.count = 0 if number == 1 else self.object_list.count()
        if number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)


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
