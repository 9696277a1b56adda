"""When meetings happen: next occurrences, and the conditions behind "starting soon" and "today".

Every meeting keeps its own IANA time zone. A visitor's moment is turned into each zone's
local date and time here, in Python; the database then compares plain weekdays and times.
Zones whose clocks read the same are grouped, so the SQL grows with the number of distinct
local clocks in use (a handful), not with the number of meetings.

Windows are measured in real time: "within 2 hours" is two hours of elapsed time, so across a
daylight-saving change the local end of the window is one hour more or less than naive
clock arithmetic would say.
"""

import calendar
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import ExtractHour, ExtractMinute
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

# Without an end time a meeting is taken to last this long.
ASSUMED_LENGTH = timedelta(hours=1)
# An end time before the start is the next day (23:30 to 00:30) when the meeting then lasts
# less than this; a longer one is taken for a mistake.
MIDNIGHT_SPAN = timedelta(hours=12)
# The default finder view still shows a meeting that started this recently: people walk in late.
LATE_ARRIVAL = timedelta(minutes=15)

WEEKLY, MONTHLY = "weekly", "monthly"
LAST_WEEK = 5


def weekday_of(day):
    """Sunday-0 weekday of a date or datetime (Python counts Monday as 0)."""
    return (day.weekday() + 1) % 7


def weeks_of_month(day):
    """The week_of_month values a date belongs to: {1..4} for its n-th weekday, plus 5 if last."""
    weeks = {(day.day - 1) // 7 + 1}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        weeks.add(LAST_WEEK)
    return weeks


def occurs_on(meeting, day):
    """True if ``meeting`` is held on the local date ``day`` (never one by appointment)."""
    if meeting.weekday is None or weekday_of(day) != meeting.weekday:
        return False
    return meeting.frequency != MONTHLY or meeting.week_of_month in weeks_of_month(day)


def _monthly_day(year, month, weekday, week):
    """The date of the ``week``-th (5 = last) Sunday-0 ``weekday`` of a month."""
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - weekday_of(first)) % 7)
    if week == LAST_WEEK:
        last = calendar.monthrange(year, month)[1]
        while day.day + 7 <= last:
            day += timedelta(days=7)
        return day
    return day + timedelta(days=7 * (week - 1))


def _candidate_days(meeting, start_day):
    """Dates the meeting is held on, from ``start_day`` on, in order (never ending)."""
    if meeting.frequency == MONTHLY:
        year, month = start_day.year, start_day.month
        while True:
            day = _monthly_day(year, month, meeting.weekday, meeting.week_of_month)
            if day >= start_day:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day = start_day + timedelta(days=(meeting.weekday - weekday_of(start_day)) % 7)
        while True:
            yield day
            day += timedelta(days=7)


def crosses_midnight(start_time, end_time):
    """True if a meeting from ``start_time`` to ``end_time`` ends the next day."""
    return end_time is not None and end_time <= start_time


def length(start_time, end_time):
    """How long a meeting from ``start_time`` to ``end_time`` lasts (under 24 hours)."""
    day = date.min + timedelta(days=1)
    start = datetime.combine(day, start_time)
    end = datetime.combine(day + timedelta(days=crosses_midnight(start_time, end_time)), end_time)
    return end - start


def plausible_end(meeting):
    """False for an end equal to the start, or one past midnight 12 hours or more on."""
    start, end = meeting.start_time, meeting.end_time
    if end is None or end > start:
        return True
    return end != start and length(start, end) < MIDNIGHT_SPAN


def occurrence_end(meeting, start):
    """When the occurrence starting at ``start`` ends (its end time, else an assumed hour).

    An end time not after the start time is the next day: 23:30 to 00:30.
    """
    if meeting.end_time:
        day = start.date()
        if crosses_midnight(meeting.start_time, meeting.end_time):
            day += timedelta(days=1)
        return datetime.combine(day, meeting.end_time, tzinfo=start.tzinfo)
    return start + ASSUMED_LENGTH


def next_occurrence(meeting, after=None):
    """The start of the meeting's next occurrence not over at ``after`` (default: now).

    An aware datetime in the meeting's own zone. A meeting in progress is its own next
    occurrence. Built from the local date and wall-clock time, so the offset (CST or CDT)
    is the one in force on that date. None for a meeting by appointment: it has no day or
    time until people arrange one.
    """
    if meeting.weekday is None or meeting.start_time is None:
        return None
    zone = ZoneInfo(meeting.time_zone)
    after = (after or timezone.now()).astimezone(zone)
    # From yesterday: an occurrence that started before midnight may not be over yet.
    for day in _candidate_days(meeting, after.date() - timedelta(days=1)):
        start = datetime.combine(day, meeting.start_time, tzinfo=zone)
        if occurrence_end(meeting, start) > after:
            return start
    raise AssertionError("unreachable: the candidate days never end")  # pragma: no cover


# Conditions for the database --------------------------------------------------------------


def _zones_by_clock(moment, zones, *offsets):
    """{(local datetimes at moment + each offset…): [zone names]} for the zones in use."""
    grouped = defaultdict(list)
    moment = utc(moment)  # Aware arithmetic in a zone with DST would be by the wall clock.
    for name in sorted(set(zones)):
        zone = ZoneInfo(name)
        key = tuple((moment + offset).astimezone(zone).replace(tzinfo=None) for offset in offsets)
        grouped[key].append(name)
    return grouped


def _held_on(day):
    """Q: meetings held on the local date ``day`` (weekday, and the week for monthly ones)."""
    return Q(weekday=weekday_of(day)) & (
        Q(frequency=WEEKLY) | Q(frequency=MONTHLY, week_of_month__in=sorted(weeks_of_month(day)))
    )


def _on_days(condition, days):
    """``condition``, with the weekdays of ``days`` said once more in front of it.

    Redundant, as every branch already names its weekday, but a single ``weekday IN (…)``
    is what an index can look up (``meeting_day_place``, ``meeting_day_group_no_place``,
    ``meeting_day_time``); a weekday inside each branch of an OR is only checked row by row.
    """
    weekdays = sorted({weekday_of(day) for day in days})
    return Q(weekday__in=weekdays) & condition if weekdays else condition


def soon_condition(moment, within, zones):
    """Q: meetings in progress at ``moment``, or starting within ``within`` of it.

    In progress: started at or before now and not yet ended (or, with no end time, started
    within the last hour, which may be yesterday evening just after midnight); a meeting whose
    end time is before its start ends the next day, so yesterday's may still be on (23:30 to
    00:30, at 00:10; Saturday's on Sunday). Starting: any
    start up to the window's end, on today or, when the window crosses midnight, tomorrow.
    """
    condition, days = Q(pk__in=[]), set()
    clocks = _zones_by_clock(moment, zones, timedelta(0), within, -ASSUMED_LENGTH)
    for (now, until, since), names in clocks.items():
        today, now_time = now.date(), now.time()
        yesterday = today - timedelta(days=1)
        days.update((today, until.date(), since.date(), yesterday))
        held_today = _held_on(today)
        if since.date() == today:
            no_end_yet = Q(end_time__isnull=True, start_time__gt=since.time())
        else:
            no_end_yet = Q(end_time__isnull=True)  # started today, so within the hour
        ends_tomorrow = Q(end_time__lte=F("start_time"))
        in_progress = Q(start_time__lte=now_time) & (
            Q(end_time__gt=now_time) | ends_tomorrow | no_end_yet
        )
        local = held_today & in_progress
        # Started yesterday, ends today after now (23:30 to 00:30, at 00:10).
        local |= _held_on(yesterday) & ends_tomorrow & Q(end_time__gt=now_time)
        if until.date() == today:
            local |= held_today & Q(start_time__gt=now_time, start_time__lte=until.time())
        else:
            local |= held_today & Q(start_time__gt=now_time)
            local |= _held_on(until.date()) & Q(start_time__lte=until.time())
        if since.date() != today:
            # Started yesterday shortly before midnight, with no end time: still on.
            local |= _held_on(since.date()) & Q(end_time__isnull=True, start_time__gt=since.time())
        condition |= Q(time_zone__in=names) & local
    return _on_days(condition, days)


def starting_between_condition(start, end, zones):
    """Q: meetings with an occurrence starting at an instant from ``start`` up to ``end``.

    The window is turned into each zone's local dates and clock times, so a window of one
    evening in Chicago is the small hours of the next day in New York.
    """
    condition, days = Q(pk__in=[]), set()
    window = utc(end) - utc(start)
    for (since, until), names in _zones_by_clock(start, zones, timedelta(0), window).items():
        local = Q(pk__in=[])
        day = since.date()
        while day <= until.date():
            held = _held_on(day)
            if day == since.date():
                held &= Q(start_time__gte=since.time())
            if day == until.date():
                held &= Q(start_time__lt=until.time())
            local |= held
            days.add(day)
            day += timedelta(days=1)
        condition |= Q(time_zone__in=names) & local
    return _on_days(condition, days)


def end_of_day(moment, zone):
    """The next midnight after ``moment`` on the clocks of ``zone``, as an aware datetime."""
    tomorrow = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone)


def later_today_condition(moment, zones, zone=None, grace=LATE_ARRIVAL):
    """Q: meetings starting from ``grace`` ago to midnight in ``zone`` (the visitor's day).

    "Today" is one day for everyone looking: the searched place's, else the site's
    ``TIME_ZONE``. At 11:20 PM on a Saturday in Chicago it has 40 minutes left, whatever the
    date already is in New York.
    """
    zone = zone or timezone.get_current_timezone()
    return starting_between_condition(utc(moment) - grace, end_of_day(moment, zone), zones)


def today_condition(moment, zones):
    """Q: meetings held today in their own zone, whatever the time."""
    condition, days = Q(pk__in=[]), set()
    for (now,), names in _zones_by_clock(moment, zones, timedelta(0)).items():
        condition |= Q(time_zone__in=names) & _held_on(now.date())
        days.add(now.date())
    return _on_days(condition, days)


# How far ahead start_order looks for a change of a zone's UTC offset (daylight saving).
ORDER_HORIZON = timedelta(days=8)


def offset_change(zone, moment, horizon=ORDER_HORIZON):
    """(instant, change) of the zone's next UTC offset change before ``moment + horizon``.

    None when the offset is the same at both ends (no zone changes twice in a week). The
    instant is found to the second by halving the interval.
    """
    moment = utc(moment)  # Aware arithmetic in a zone with DST would be by the wall clock.
    before = moment.astimezone(zone).utcoffset()
    low, high = moment, moment + horizon
    after = high.astimezone(zone).utcoffset()
    if after == before:
        return None
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0), after - before


def _minutes(delta):
    return int(delta.total_seconds() // 60)


def start_order(moment, zones):
    """An integer expression: minutes of real time from ``moment`` to each meeting's next start.

    Each zone counts from its own clock: days to the meeting's weekday (a meeting already over
    today counts as next week; one in progress counts from when it started, so is negative),
    then clock minutes. A daylight-saving change before the start adds or takes off its hour,
    so every zone's number is real minutes from the same instant and meetings sort by the
    instant they start. A monthly meeting counts the days to its own next date ("2nd Tuesday"
    may be five weeks off; see ``_monthly_days_ahead``), though a daylight-saving change more
    than ORDER_HORIZON ahead is not counted: an hour, weeks away. Meetings by appointment
    have no day or time: their number is NULL, and ``in_start_order`` puts them last.
    """
    branches = []
    minute = utc(moment).replace(second=0, microsecond=0)
    grouped = defaultdict(list)
    for name in sorted(set(zones)):
        zone = ZoneInfo(name)
        now = minute.astimezone(zone)
        since = (minute - ASSUMED_LENGTH).astimezone(zone)
        change = offset_change(zone, minute)
        # From the change on, clock times read its later offset. The wall clock's threshold is
        # the later of the two readings of the instant, as Python reads a time in the gap or
        # the overlap with the earlier offset (fold=0).
        threshold = None
        if change:
            instant, shift = change
            wall = instant.astimezone(zone).replace(tzinfo=None)
            threshold = (
                _minutes(wall - now.replace(tzinfo=None)) + max(0, _minutes(-shift)),
                shift,
            )
        key = (now.replace(tzinfo=None), since.replace(tzinfo=None), threshold)
        grouped[key].append(name)
    start_minutes = ExtractHour("start_time") * Value(60) + ExtractMinute("start_time")
    for (now, since, threshold), names in grouped.items():
        weekday = weekday_of(now)
        # Over for today (not merely started): next week's. One that ends past midnight is not.
        over = Q(end_time__lte=now.time(), end_time__gt=F("start_time"))
        if since.date() == now.date():
            over |= Q(end_time__isnull=True, start_time__lte=since.time())
        # Yesterday's, still on past midnight: it started a day ago.
        still_on = Q(end_time__lte=F("start_time"), end_time__gt=now.time())
        if since.date() != now.date():
            still_on |= Q(end_time__isnull=True, start_time__gt=since.time())
        days_ahead = Case(
            When(frequency=MONTHLY, then=_monthly_days_ahead(now.date(), over, still_on)),
            When(Q(weekday=(weekday - 1) % 7) & still_on, then=Value(-1)),
            When(Q(weekday=weekday) & over, then=Value(7)),
            default=(F("weekday") - Value(weekday) + Value(7)) % Value(7),
            output_field=IntegerField(),
        )
        clock = days_ahead * Value(1440) + start_minutes - Value(now.hour * 60 + now.minute)
        if threshold:
            at, shift = threshold
            # Spring forward: an hour less of real time than the clocks say; fall back: more.
            clock = clock - Case(
                When(GreaterThanOrEqual(clock, Value(at)), then=Value(_minutes(shift))),
                default=Value(0),
                output_field=IntegerField(),
            )
        branches.append(When(time_zone__in=names, then=clock))
    if not branches:
        return Value(0)
    return Case(*branches, default=Value(0), output_field=IntegerField())


def _next_monthly_day(after, weekday, week):
    """The first date after ``after`` that is the ``week``-th (5 = last) ``weekday``."""
    year, month = after.year, after.month
    while (day := _monthly_day(year, month, weekday, week)) <= after:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return day


def _monthly_days_ahead(today, over, still_on):
    """An integer expression: days from the local date ``today`` to each monthly meeting's
    next date; -1 for yesterday's, still on past midnight.

    Every (weekday, week of the month) pair's next date is worked out here, 35 of them, so
    the database only looks the meeting's pair up. ``over`` and ``still_on`` are the
    conditions ``start_order`` reads the clock with: held today but over, the meeting's next
    date is next month's.
    """
    yesterday = today - timedelta(days=1)
    held_yesterday = Q(
        weekday=weekday_of(yesterday), week_of_month__in=sorted(weeks_of_month(yesterday))
    )
    whens = [When(held_yesterday & still_on, then=Value(-1))]
    weeks_today = sorted(weeks_of_month(today))
    for week in weeks_today:
        later = (_next_monthly_day(today, weekday_of(today), week) - today).days
        held_today = Q(weekday=weekday_of(today), week_of_month=week)
        whens.append(When(held_today & over, then=Value(later)))
    whens.append(When(weekday=weekday_of(today), week_of_month__in=weeks_today, then=Value(0)))
    days = {
        (weekday, week): (_next_monthly_day(today, weekday, week) - today).days
        for weekday in range(7)
        for week in range(1, LAST_WEEK + 1)
    }
    return Case(*whens, default=DaysByPair(days), output_field=IntegerField())


class DaysByPair(Func):
    """An integer expression: ``days[(weekday, week_of_month)]`` of each meeting, NULL for a
    pair not in ``days``, as one simple CASE on ``weekday * 8 + week_of_month``.

    The same lookup as 35 ``When(weekday=…, week_of_month=…)`` branches, which cost Django
    more to build and compile than the rest of the finder's query. The numbers are ours,
    worked out in Python, so they are written into the SQL as integers.
    """

    template = "(CASE %(expressions)s %(branches)s END)"
    arg_joiner = " * 8 + "
    output_field = IntegerField()

    def __init__(self, days):
        branches = " ".join(
            f"WHEN {int(weekday) * 8 + int(week)} THEN {int(count)}"
            for (weekday, week), count in sorted(days.items())
        )
        super().__init__(F("weekday"), F("week_of_month"), branches=branches)


def utc(moment):
    return moment.astimezone(UTC)
