"""The public's pages: suggest a resource, report a problem, the thank-you page; confirm
that a listing's number worked or a meeting happened; a listing's contact saying whether
they take new clients, through the single-use link a curator sent them.

No account, no cookie but the CSRF one these form pages need, nothing stored about the
visitor. A filled-in honeypot is thanked like anyone else and dropped; more than
``SUBMISSIONS_PER_HOUR`` submissions and confirmations from one address in an hour get a
friendly 429.

A visitor's "yes" is two steps: the listing's page links to a small page whose form sends
it. Why not a button on the listing's page itself: a form there needs the CSRF cookie, and
listing pages set no cookie; a form without CSRF protection would let any other website
make its visitors' browsers send "yes" from thousands of addresses, past the rate limit,
and a token printed in the page would not stop that (any site can fetch a fresh one). The
small page sets the CSRF cookie, as the report form does, and a link that robots follow
changes nothing.
"""

from http import HTTPStatus

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from groups.models import Meeting, MeetingStatus
from moderation import ratelimit
from moderation.forms import ConfirmationForm, NewClientsForm, ReportForm, SuggestionForm
from moderation.models import VisitorConfirmation, new_reference
from resources.models import NEW_CLIENTS_LINK_DAYS, Listing, NewClientsLink, NewClientsLinkError


@never_cache
def suggest(request):
    return _submission_page(request, SuggestionForm, "moderation/suggest.html", {})


@never_cache
def report_listing(request, slug):
    listing = get_object_or_404(Listing.objects.published(), slug=slug)
    context = {"subject": listing, "listing": listing}
    return _submission_page(
        request, ReportForm, "moderation/report.html", context, listing=listing, **_problem(request)
    )


@never_cache
def report_meeting(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().select_related("group"), slug=slug)
    context = {"subject": meeting, "meeting": meeting}
    return _submission_page(
        request, ReportForm, "moderation/report.html", context, meeting=meeting, **_problem(request)
    )


def _problem(request):
    # ?problem=wrong_phone, from "No" on a page: ticked in the form; anything else ignored.
    return {"problem": request.GET.get("problem")} if request.method == "GET" else {}


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
            VisitorConfirmation.objects.count_report(submission)
            return redirect("moderation:thanks", reference=submission.reference)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = form_class(**form_kwargs)
        status = HTTPStatus.OK
    return render(request, template, {**context, "form": form}, status=status)


@never_cache
def confirm_listing(request, slug):
    listing = get_object_or_404(Listing.objects.published().exclude(phone=""), slug=slug)
    return _confirmation_page(request, listing, {"listing": listing})


@never_cache
def confirm_meeting(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.public().filter(status=MeetingStatus.ACTIVE).select_related("group"),
        slug=slug,
    )
    return _confirmation_page(request, meeting, {"meeting": meeting})


def _confirmation_page(request, subject, context):
    """GET: the question and its one button; POST: count a yes, back to the page."""
    if ratelimit.is_limited(request):
        return too_many_submissions(request)
    form = ConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.count_submission(request):
            return too_many_submissions(request)
        # A robot's yes is not counted, and it learns nothing from the answer.
        if not form.is_spam():
            VisitorConfirmation.objects.count_answer(subject, worked=True)
        return redirect(f"{subject.get_absolute_url()}#visitor-confirmation")
    return render(request, "moderation/confirm.html", {**context, "subject": subject, "form": form})


@never_cache
def new_clients(request, token):
    """The page a curator's link opens: the listing's contact says whether they take new
    clients. Good once: afterwards, or past its days, the page says so."""
    try:
        link = NewClientsLink.from_token(token)
    except NewClientsLinkError as refusal:
        if refusal.reason == "bad":
            raise Http404("No such confirmation link.") from None
        return _closed_link(request, refusal)
    listing = link.listing
    form = NewClientsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = link.use(form.cleaned_data["answer"])
        except NewClientsLinkError as refusal:
            return _closed_link(request, refusal)
        return render(request, "moderation/new_clients_done.html", {"listing": listing})
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    context = {"listing": listing, "form": form, "link": link}
    return render(request, "moderation/new_clients.html", context, status=status)


def _closed_link(request, refusal):
    context = {
        "reason": refusal.reason,
        "link": refusal.link,
        "listing": refusal.link.listing,
        "link_days": NEW_CLIENTS_LINK_DAYS,
    }
    return render(request, "moderation/new_clients_closed.html", context, status=HTTPStatus.GONE)


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
