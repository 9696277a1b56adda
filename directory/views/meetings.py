from http import HTTPStatus

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers
from django.views.generic import DetailView, ListView

from directory.categories import KIND_NAMES
from directory.meeting_filters import CLEAR_FILTERS, MeetingFilter
from directory.pagination import MeetingCardPaginator, paginate
from groups import calendar, schedule
from groups.models import Fellowship, Meeting, SupportGroup
from moderation.models import with_pending_notice
from recovery_site.input_checks import reads_its_own_parameters
from resources.models import ListingStatus

MEETINGS_PER_PAGE = 50
MAX_CALENDAR_MEETINGS = 200


def _meetings():
    return Meeting.objects.listed()


def _filtered(request):
    """The finder's FilterSet over the listed meetings, with its results eager-loaded."""
    return MeetingFilter(request.GET, _meetings())


# The same URL answers htmx with only the results: caches must keep the two apart. No
# cache keeps a search at all: its address holds what and where someone looked for help.
# Its form says, next to the field, what it could not read (a NUL, broken UTF-8).
@reads_its_own_parameters
@never_cache
@vary_on_headers("HX-Request")
def meeting_finder(request):
    filterset = _filtered(request)
    page, problems, notes, status = None, [], [], HTTPStatus.OK
    tally = None
    if filterset.is_valid():
        notes = filterset.notes()
        page, page_problem, status = paginate(
            request, MeetingCardPaginator(filterset.qs, MEETINGS_PER_PAGE)
        )
        if page_problem:
            problems.append(page_problem)
        if page is not None:
            tally = filterset.tally(page.paginator.count)
            _mark_in_progress(page.object_list, filterset.searched_at)
    else:
        problems = filterset.problems()
        if filterset.has_unusable_input():
            status = HTTPStatus.BAD_REQUEST
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "problems": problems,
        "notes": notes,
        "chips": filterset.chips(),
        "clear_filters": CLEAR_FILTERS,
        "groups": filterset.groups(tally.types if tally else None),
        "quick_picks": filterset.quick_picks(tally.types if tally else None),
        "suggestions": tally.suggestions if tally else [],
        "searched": bool(request.GET),
    }
    template = "groups/meeting_finder.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context, status=status)


def _mark_in_progress(meetings, moment):
    """Sets ``in_progress`` on each meeting: started, not yet over (past midnight too)."""
    for meeting in meetings:
        # A meeting "by appointment" has no weekday or time to be in progress at.
        start = schedule.next_occurrence(meeting, moment)
        meeting.in_progress = start is not None and start <= moment


@reads_its_own_parameters
@never_cache
def meeting_calendar(request):
    """The finder's results as one .ics file, capped at MAX_CALENDAR_MEETINGS."""
    filterset = _filtered(request)
    if not filterset.is_valid():
        return HttpResponse(
            " ".join(problem.message for problem in filterset.problems()),
            status=HTTPStatus.BAD_REQUEST,
            content_type="text/plain; charset=utf-8",
        )
    meetings = filterset.qs.with_details()[:MAX_CALENDAR_MEETINGS]
    return _ics(calendar.calendar(meetings, request, _("Recovery meetings")), "meetings.ics")


def meeting_ics(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().with_details(), slug=slug)
    if meeting.is_by_appointment:
        # No day or time to put in a calendar: say why, and where to arrange one.
        page_url = request.build_absolute_uri(meeting.get_absolute_url())
        message = _(
            "“%(name)s” is held by appointment: it has no day or time to add to a calendar. "
            "Contact the group to arrange one: %(url)s"
        ) % {"name": meeting.name, "url": page_url}
        return HttpResponse(
            message, status=HTTPStatus.NOT_FOUND, content_type="text/plain; charset=utf-8"
        )
    return _ics(calendar.calendar([meeting], request, meeting.name), f"{meeting.slug}.ics")


def _ics(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MeetingDetailView(DetailView):
    template_name = "groups/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        # A temporarily closed meeting keeps its page, with a notice, so shared links still
        # explain what happened; a meeting that no longer meets is gone.
        # has_pending_notice: someone reported it did not happen and no curator has decided yet.
        return with_pending_notice(Meeting.objects.public(), about="meeting").with_details()

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind_name=KIND_NAMES[self.object.group.kind], **kwargs)


class FellowshipListView(ListView):
    template_name = "groups/fellowship_list.html"
    context_object_name = "fellowships"
    queryset = Fellowship.objects.all()


class FellowshipDetailView(DetailView):
    template_name = "groups/fellowship_detail.html"
    context_object_name = "fellowship"

    def get_queryset(self):
        groups = SupportGroup.objects.filter(status=ListingStatus.PUBLISHED).order_by("name")
        return Fellowship.objects.prefetch_related(Prefetch("groups", queryset=groups))
