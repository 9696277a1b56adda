"""Small formatting helpers for listing and meeting pages: phone links, hours, terms, times.

They only rearrange what the view already loaded; none of them touches the database.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django import template
from django.utils import dateformat
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from groups.schedule import next_occurrence as next_start
from groups.schedule import occurrence_end
from resources.models import Weekday

register = template.Library()

# Monday first, as people read a week; the data counts Sunday as 0.
WEEK_FROM_MONDAY = [*Weekday][1:] + [Weekday.SUNDAY]

_KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "22233344455566677778889999")
# Whatever follows an extension marker or a pause is not part of the number to dial.
_EXTENSION = re.compile(r"(?i)\b(?:ext(?:ension)?|x)(?=[\s.:]*\d)|[,;]")


@register.filter
def dialable(number):
    """The number as a tel:/sms: link needs it: "312-555-0100 ext. 2" -> "+13125550100".

    Letters are read off the keypad (1-800-662-HELP); ten-digit numbers are taken to be
    North American; short codes such as 988 are left alone.
    """
    number = _EXTENSION.split(str(number))[0].strip()
    digits = re.sub(r"\D", "", number.upper().translate(_KEYPAD))
    if number.startswith("+"):
        return f"+{digits}"
    if len(digits) == 10:
        return f"+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"+{digits}"
    return digits


@register.filter
def web_url(url):
    """The address only if it is an ordinary web link; never javascript: or data: from a feed."""
    url = str(url).strip()
    return url if re.match(r"(?i)https?://", url) else ""


@register.filter
def bare_url(url):
    """A web address as people say it: "example.org/help" for "https://www.example.org/help/"."""
    return re.sub(r"^https?://(www\.)?", "", str(url)).rstrip("/")


def clock(value):
    """A time of day in plain US style: 7:00 PM (in Spanish 7:00 p. m., from the catalogue)."""
    return dateformat.time_format(value, _("g:i A"))


@register.filter
def weekly_hours(periods):
    """Opening periods as seven days from Monday, each with its periods or none (closed).

    An empty list means no hours were given at all, which is not the same as closed.
    """
    periods = list(periods)
    if not periods:
        return []
    by_day = {day: [] for day in Weekday}
    for period in periods:
        by_day[period.weekday].append(
            _("%(opens)s to %(closes)s")
            % {"opens": clock(period.opens), "closes": clock(period.closes)}
        )
    return [{"day": day.label, "periods": by_day[day]} for day in WEEK_FROM_MONDAY]


@register.filter
def by_vocabulary(terms):
    """{vocabulary code: [terms…]} from terms already loaded, keeping their order."""
    grouped = {}
    for term in terms:
        grouped.setdefault(term.vocabulary, []).append(term)
    return grouped


@register.filter
def monday_first(items):
    """Meetings (or anything with a Sunday-0 ``weekday``) reordered to start the week Monday;
    meetings by appointment (no weekday) last."""
    return sorted(items, key=lambda item: 7 if item.weekday is None else (item.weekday + 6) % 7)


@dataclass(frozen=True)
class MeetingTime:
    """The next occurrence of a meeting, in the meeting's own time zone."""

    start: datetime
    end: datetime | None

    @property
    def day(self):
        return Weekday.of(self.start).label

    @property
    def date(self):
        return dateformat.format(self.start, _("l, F j"))

    @property
    def utc(self):
        """The instant, for <time datetime> and the browser's own clock: 2026-11-25T01:00:00Z."""
        return self.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def start_text(self):
        return clock(self.start)

    @property
    def end_text(self):
        return clock(self.end) if self.end else ""

    @property
    def zone(self):
        """The abbreviation in force on that day: CST in winter, CDT in summer."""
        return self.start.tzname()

    @property
    def zone_city(self):
        """ "Chicago" for America/Chicago, to say "Chicago time" to people elsewhere."""
        return self.start.tzinfo.key.rsplit("/", 1)[-1].replace("_", " ")


def next_occurrence(meeting, now=None):
    """The next occurrence (weekly or monthly) not over at ``now``, as a MeetingTime; None
    for a meeting by appointment."""
    start = next_start(meeting, now)
    if start is None:
        return None
    end = occurrence_end(meeting, start) if meeting.end_time else None
    return MeetingTime(start=start, end=end)


@register.filter
def meeting_time(meeting):
    """The next occurrence: ``{% with when=meeting|meeting_time %}{{ when.zone }}…``."""
    return next_occurrence(meeting)


@register.simple_tag
def checkbox_items(name, options, counted=False):
    """The ``<li>`` checkboxes of the filter ``name``'s choices (``Option``), each followed
    by its count when the page is ``counted`` (the search page; not the meeting finder).

    Written here rather than as a template loop: a page has a hundred or more of them, and
    the loop was a third of the time the search page took to render.
    """
    if counted:
        row = (
            '<li><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{1}"{2}> '
            '<label for="f-{0}-{1}">{3}<span class="option-count" id="n-{0}-{1}">{4}</span>'
            "</label></li>"
        )
    else:
        row = (
            '<li><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{1}"{2}> '
            '<label for="f-{0}-{1}">{3}</label></li>'
        )
    return format_html_join(
        "\n",
        row,
        (
            (
                name,
                option.value,
                mark_safe(" checked") if option.checked else "",
                option.label,
                _count_text(option.count),
            )
            for option in options
        ),
    )


@register.simple_tag
def choice_counts_out_of_band(name, options):
    """For htmx: each choice's count, to put in place of the one on the page."""
    return format_html_join(
        "",
        '<span class="option-count" id="n-{0}-{1}" hx-swap-oob="true">{2}</span>',
        ((name, option.value, _count_text(option.count)) for option in options),
    )


def _count_text(count):
    return "" if count is None else f" ({count:,})"
