"""The public's pages: suggest a resource, report a problem, the thank-you page.

No account, no cookie but the CSRF one these form pages need, nothing stored about the
visitor. A filled-in honeypot is thanked like anyone else and dropped; more than
``SUBMISSIONS_PER_HOUR`` submissions from one address in an hour get a friendly 429.
"""

from http import HTTPStatus

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from groups.models import Meeting
from moderation import ratelimit
from moderation.forms import ReportForm, SuggestionForm
from moderation.models import new_reference
from resources.models import Listing


@never_cache
def suggest(request):
    return _submission_page(request, SuggestionForm, "moderation/suggest.html", {})


@never_cache
def report_listing(request, slug):
    listing = get_object_or_404(Listing.objects.published(), slug=slug)
    context = {"subject": listing, "listing": listing}
    return _submission_page(request, ReportForm, "moderation/report.html", context, listing=listing)


@never_cache
def report_meeting(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().select_related("group"), slug=slug)
    context = {"subject": meeting, "meeting": meeting}
    return _submission_page(request, ReportForm, "moderation/report.html", context, meeting=meeting)


def _submission_page(request, form_class, template, context, **form_kwargs):
    # Say so before anyone fills the form in, rather than after.
    if ratelimit.is_limited(request):
        return too_many_submissions(request)
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_spam():
            if not ratelimit.count_submission(request):
                return too_many_submissions(request)
            # Looks the same as a real submission, so robots learn nothing; nothing is stored.
            return redirect("moderation:thanks", reference=new_reference())
        if form.is_valid():
            if not ratelimit.count_submission(request):
                return too_many_submissions(request)
            submission = form.save()
            return redirect("moderation:thanks", reference=submission.reference)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = form_class(**form_kwargs)
        status = HTTPStatus.OK
    return render(request, template, {**context, "form": form}, status=status)


def thanks(request, reference):
    """Shows the reference from the address: no query, no cookie, nothing looked up."""
    return render(request, "moderation/thanks.html", {"reference": reference})


def too_many_submissions(request):
    response = render(
        request,
        "moderation/too_many.html",
        {"limit": ratelimit.submissions_per_hour()},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(ratelimit.retry_after(request))
    return response


def csrf_failure(request, reason=""):
    """A plain-words 403 when a form arrives without its security cookie (settings:
    ``CSRF_FAILURE_VIEW``): usually cookies are blocked, or the page was open a long time."""
    return render(request, "moderation/csrf_failure.html", status=HTTPStatus.FORBIDDEN)
