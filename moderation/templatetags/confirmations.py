"""What the box "Did this number work?" / "Did this meeting happen?" shows on a listing's or
a meeting's page (templates/moderation/includes/confirm_box.html): the question, where Yes
and No lead, and the last day a visitor said yes (read with the page's own query: see
``moderation.models.with_pending_notice``). The page is kept in the cache; a day's first yes
leaves the kept page behind like any other save."""

from dataclasses import dataclass
from datetime import date

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from groups.models import Meeting, MeetingStatus
from moderation.models import ProblemType, VisitorConfirmation

register = template.Library()


@dataclass(frozen=True)
class ConfirmBox:
    about: str  # "listing" or "meeting"
    yes_url: str
    no_url: str
    last_yes: date | None


@register.simple_tag
def confirm_box(subject):
    """The box for a listing with a phone number or a meeting that is held; else None."""
    if isinstance(subject, Meeting):
        if subject.status != MeetingStatus.ACTIVE:
            return None
        about, problem = "meeting", ProblemType.DID_NOT_HAPPEN
    else:
        if not subject.phone:
            return None
        about, problem = "listing", ProblemType.WRONG_PHONE
    no_url = reverse(f"moderation:report_{about}", args=[subject.slug])
    return ConfirmBox(
        about=about,
        yes_url=reverse(f"moderation:confirm_{about}", args=[subject.slug]),
        no_url=f"{no_url}?{urlencode({'problem': problem.value})}",
        last_yes=_last_yes(subject),
    )


def _last_yes(subject):
    # The page's own query brings it (moderation.models.with_pending_notice); asked
    # separately only where a page was read without it.
    if hasattr(subject, "last_visitor_yes"):
        return subject.last_visitor_yes
    return VisitorConfirmation.objects.last_yes(subject)


@register.filter
def days_ago(day):
    """ "today", "yesterday", "3 days ago": how long ago ``day`` was."""
    days = (timezone.localdate() - day).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}
