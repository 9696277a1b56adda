"""Whether a listing is open now and when that changes, in the listing's own time zone:
"Open now · closes at 5 PM", "Closed · opens tomorrow at 7 AM".

The rule for "open" is the one ``Listing.is_open_at`` and the "Open now" filter use: a period
on today's weekday, local to the listing, with opens <= now < closes.
"""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from resources.models import Weekday

register = template.Library()

# Periods past midnight are split (20:00–23:59, then 00:00–02:00 the next day).
END_OF_DAY_MINUTE = (23, 59)


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    status: str  # "Open now", "Closed now", "Open 24 hours"
    change: str  # "closes at 5 PM", "opens tomorrow at 7 AM", or ""


def short_time(value):
    """7 AM, 7:30 PM: the minutes only when there are some (formats by language)."""
    return dateformat.time_format(value, _("g A") if value.minute == 0 else _("g:i A"))


def open_status_at(listing, moment):
    """The OpenStatus of ``listing`` at ``moment``; None when its hours or zone are unknown."""
    if listing.open_24_7:
        return OpenStatus(True, _("Open 24 hours"), "")
    periods = _opening_hours(listing)
    if not periods or not listing.time_zone:
        return None
    local = moment.astimezone(ZoneInfo(listing.time_zone))
    today, now = Weekday.of(local), local.time()
    by_day = {
        day: sorted((p for p in periods if p.weekday == day), key=lambda p: p.opens)
        for day in Weekday
    }
    for period in by_day[today]:
        if period.opens <= now < period.closes:
            return OpenStatus(True, _("Open now"), _closes(period, by_day, today))
    for period in by_day[today]:
        if period.opens > now:
            return OpenStatus(
                False, _("Closed now"), _("opens at %(time)s") % {"time": short_time(period.opens)}
            )
    for days_ahead in range(1, 8):
        date = local.date() + timedelta(days=days_ahead)
        periods_that_day = by_day[Weekday.of(date)]
        if periods_that_day:
            opens = short_time(periods_that_day[0].opens)
            if days_ahead == 1:
                change = _("opens tomorrow at %(time)s") % {"time": opens}
            else:
                change = _("opens %(day)s at %(time)s") % {
                    "day": Weekday.of(date).label,
                    "time": opens,
                }
            return OpenStatus(False, _("Closed now"), change)
    return OpenStatus(False, _("Closed now"), "")


def _opening_hours(listing):
    """The periods a page of results read with the listing (ListingPaginator), else the
    listing's own: prefetched on its page, queried otherwise."""
    periods = getattr(listing, "page_opening_hours", None)
    return list(listing.opening_hours.all()) if periods is None else periods


def _closes(period, by_day, today):
    """ "closes at 5 PM"; a period that runs to midnight and on past it closes the next day."""
    closes = period.closes
    if (closes.hour, closes.minute) == END_OF_DAY_MINUTE:
        tomorrow = by_day[Weekday((today + 1) % 7)]
        if tomorrow and tomorrow[0].opens.hour == 0 and tomorrow[0].opens.minute == 0:
            closes = tomorrow[0].closes
        else:
            return _("closes at midnight")
    return _("closes at %(time)s") % {"time": short_time(closes)}


@register.filter
def open_status(listing):
    """``{% with status=listing|open_status %}``: the OpenStatus now, or None."""
    return open_status_at(listing, timezone.now())
