"""The meeting finder's filters: one FilterSet reads the finder's whole query string.

Ticked choices within one filter are alternatives (OR); different filters must all hold (AND).

* ``day``: "today" (meetings starting from 15 minutes ago to midnight, the day being the
  searched place's, else the site's ``TIME_ZONE``), a weekday 0–6 (Sunday is 0, all that
  day's meetings in their own zone), or "any". Without ``day`` the finder shows today's
  upcoming meetings, unless ``now`` is ticked, which has its own window.
* Meetings by appointment (no day or time: people arrange one with the group) are listed
  after all the others, unless a day, a time of day or ``now`` is asked for.
* ``time``: by local start time: morning 5–12, midday 12–17, evening 17–21, night 21–5.
* ``now``: in progress, or starting within 2 hours, in each meeting's own zone.
* ``near`` + ``radius``: in-person and hybrid meetings within the distance, as on the main
  search, measured from the meeting's place or else its group's address.
* ``q``: words in the meeting, group or place name, or the notes; "near me" and its like
  are not searched (without ``near`` the page asks for a place).

Nothing is silently dropped: an unknown value makes the form invalid and the page says so.
Choices come from constants (the seeded fellowships, the Meeting Guide type list), so building
and checking the form costs no query.
"""

import re
from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import zipcodes
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.filtering import (
    RADIUS_CHOICES,
    ChoicesFilter,
    Option,
    PlaceSearchFilterSet,
    TickFilter,
    near_me_note,
)
from groups import schedule
from groups.fellowships import FELLOWSHIPS
from groups.models import (
    Attendance,
    FellowshipApproach,
    FellowshipAudience,
    meeting_time_zones,
    time_zones_near,
)
from resources import geo
from resources.models import Term, Weekday, known_time_zones, time_zone_of_postal_code
from resources.search import strip_near_me
from resources.synonyms import fold
from resources.vocabularies import Vocabulary, term_choices

TODAY, ANY_DAY = "today", "any"
DAY_CHOICES = [(TODAY, _("Today")), (ANY_DAY, _("Any day"))] + [
    (str(day.value), day.label) for day in Weekday
]
# (from, to) start times; night wraps round midnight.
TIMES_OF_DAY = {
    "morning": (time(5), time(12)),
    "midday": (time(12), time(17)),
    "evening": (time(17), time(21)),
    "night": (time(21), time(5)),
}
TIME_CHOICES = [
    ("morning", _("Morning (5 AM to noon)")),
    ("midday", _("Midday (noon to 5 PM)")),
    ("evening", _("Evening (5 to 9 PM)")),
    ("night", _("Night (9 PM to 5 AM)")),
]
MEETING_TYPE_CHOICES = term_choices(Vocabulary.MEETING_TYPE)
# The filters shown as groups of checkboxes, in page order.
CHOICE_FILTERS = (
    "day",
    "time",
    "attendance",
    "fellowship",
    "approach",
    "audience",
    "types",
)
ALL_FILTERS = (*CHOICE_FILTERS, "now")
CLEAR_FILTERS = dict.fromkeys(ALL_FILTERS) | {"page": None}
# One click for what people look for most: (label, filter, values). Types narrow the list
# (a meeting must have every type ticked); "Online" shows online and hybrid meetings anywhere.
QUICK_PICKS = (
    (_("Women"), "types", ("W",)),
    (_("Men"), "types", ("M",)),
    (_("Spanish"), "types", ("S",)),
    (_("Newcomer"), "types", ("BE",)),
    (_("LGBTQ+"), "types", ("LGBTQ",)),
    (_("Open to all"), "types", ("O",)),
    (_("Online"), "attendance", ("online", "hybrid")),
)
# Fewer results than this and the page offers ways to find more (never a dead end).
FEW_RESULTS = 3
# The kinds of ways to more meetings.
WIDER, OTHER_DAYS, ONLINE = "wider", "other days", "online"
# Meetings by appointment: no day, no time (the constraint meeting_schedule_fits). Said by
# the weekday rather than the frequency so the index meeting_day_time can find them.
BY_APPOINTMENT = Q(weekday__isnull=True)
# How far time_zone_of looks for a ZIP code around a place given as a town or coordinates.
ZONE_SEARCH_MILES = (15, 100)
_ZIP_AT_END = re.compile(r"\b(\d{5})$")


@dataclass(frozen=True)
class Suggestion:
    """A way to find more meetings: what it does, the query string, and how many it finds."""

    text: str
    query: str
    count: int


@dataclass(frozen=True)
class MeetingTally:
    types: dict  # {type code: results with that type}
    suggestions: list  # [Suggestion] when there are few results, else []


def time_zone_of(location):
    """The IANA zone of a searched place: its ZIP's, else the nearest ZIP's.

    Read offline from the ZIP table, like the place itself; "" when nothing says.
    """
    if location is None:
        return ""
    found = _ZIP_AT_END.search(location.label)
    if found and (zone := time_zone_of_postal_code(found.group(1))):
        return zone
    zones = known_time_zones()
    for miles in ZONE_SEARCH_MILES:
        nearby = [
            record
            for record in zipcodes.filter_by_coordinates(
                location.latitude, location.longitude, miles
            )
            if record.get("timezone") in zones and record.get("lat") and record.get("long")
        ]
        if nearby:
            nearest = min(nearby, key=lambda record: _squared_distance(location, record))
            return nearest["timezone"]
    return ""


def _squared_distance(location, record):
    return (float(record["lat"]) - location.latitude) ** 2 + (
        float(record["long"]) - location.longitude
    ) ** 2


class MeetingFilter(PlaceSearchFilterSet):
    day = ChoicesFilter(label=_("Day"), choices=DAY_CHOICES, method="filter_day", what=_("a day"))
    time = ChoicesFilter(
        label=_("Time of day"),
        choices=TIME_CHOICES,
        method="filter_time",
        what=_("a time of day"),
    )
    now = TickFilter(label=_("In progress or starting within 2 hours"), method="filter_now")
    attendance = ChoicesFilter(
        label=_("How to attend"),
        choices=Attendance.choices,
        field_name="attendance",
        what=_("a way to attend"),
    )
    fellowship = ChoicesFilter(
        label=_("Fellowship"),
        choices=[(f["slug"], f["name"]) for f in FELLOWSHIPS],
        field_name="group__fellowship__slug",
        what=_("a fellowship"),
    )
    approach = ChoicesFilter(
        label=_("Approach"),
        choices=FellowshipApproach.choices,
        field_name="group__fellowship__approach",
        what=_("an approach"),
    )
    audience = ChoicesFilter(
        label=_("Who it is for"),
        choices=FellowshipAudience.choices,
        field_name="group__fellowship__audience",
        what=_("an audience"),
    )
    types = ChoicesFilter(
        label=_("Meeting type"),
        choices=MEETING_TYPE_CHOICES,
        method="filter_types",
        what=_("a meeting type"),
    )

    def __init__(self, data=None, queryset=None, *, moment=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.moment = moment
        self._zones = None
        self._visitor_zone = None

    @property
    def zones(self):
        """The time zones the schedule conditions name: near a place, only those of meetings
        that may be inside the circle (every condition costs time to build and compile);
        else every zone meetings are held in. From the cache, else one query.

        Read while filtering, once the form is cleaned, like ``filter_near``'s place.
        """
        if self._zones is None:
            location = getattr(self.form, "cleaned_data", {}).get("near")
            if location is None:
                self._zones = meeting_time_zones()
            else:
                self._zones = time_zones_near(location, self.miles)
        return self._zones

    @property
    def visitor_zone(self):
        """Whose "today" the finder means: the searched place's zone, else the site's.

        Read once the form is cleaned (while filtering), then kept for the request.
        """
        if self._visitor_zone is None:
            location = getattr(self.form, "cleaned_data", {}).get("near")
            zone = time_zone_of(location)
            self._visitor_zone = ZoneInfo(zone) if zone else timezone.get_current_timezone()
        return self._visitor_zone

    @property
    def searched_at(self):
        """The moment the search is for: ``moment`` in tests, else now."""
        return self.moment or timezone.now()

    @property
    def today_ends(self):
        """The clock whose midnight ends "today" for this search, as people write it: "CST"."""
        return self.searched_at.astimezone(self.visitor_zone).tzname()

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            queryset = super().qs
            data = self.form.cleaned_data if self.is_valid() else {}
            if not data.get("day") and not data.get("now"):
                # No day asked for: today's, and those by appointment (listed last).
                condition = schedule.later_today_condition(
                    self.searched_at, self.zones, self.visitor_zone
                )
                if self.zones:  # none: no meeting at all, and Django knows without asking
                    condition |= BY_APPOINTMENT
                queryset = queryset.filter(condition)
            self._qs = queryset.in_start_order(self.searched_at, zones=self.zones)
        return self._qs

    # Filter methods

    def filter_text(self, queryset, name, text):
        text = strip_near_me(text)[0].strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(name__icontains=text)
            | Q(group__name__icontains=text)
            | Q(place__name__icontains=text)
            | Q(notes__icontains=text)
        )

    def filter_near(self, queryset, name, location):
        if location is None:
            return queryset
        return queryset.near(location, self.miles)

    def filter_day(self, queryset, name, days):
        if ANY_DAY in days:
            return queryset
        condition = Q(weekday__in=[int(day) for day in days if day != TODAY])
        if TODAY in days:
            condition |= schedule.later_today_condition(
                self.searched_at, self.zones, self.visitor_zone
            )
        return queryset.filter(condition)

    def filter_time(self, queryset, name, times):
        condition = Q()
        for key in times:
            start, end = TIMES_OF_DAY[key]
            if start < end:
                condition |= Q(start_time__gte=start, start_time__lt=end)
            else:
                condition |= Q(start_time__gte=start) | Q(start_time__lt=end)
        return queryset.filter(condition)

    def filter_now(self, queryset, name, value):
        return queryset.happening_soon(self.moment, zones=self.zones)

    def filter_types(self, queryset, name, codes):
        # One subquery per code: a meeting must have every type ticked ("Open" and "Speaker").
        for code in codes:
            queryset = queryset.filter(
                pk__in=self.queryset.model.types.through.objects.filter(term__code=code).values(
                    "meeting_id"
                )
            )
        return queryset

    # What the page shows about the filters

    @property
    def showing_default_day(self):
        """True when no day was chosen: the list is today's upcoming meetings."""
        return not self.sent("day") and not (self.is_valid() and self.form.cleaned_data["now"])

    @property
    def showing_today(self):
        """True when the list is today's upcoming meetings: no day chosen, or just "today"."""
        return self.showing_default_day or self.sent("day") == [TODAY]

    def filters_need_fixing(self):
        return any(name in self.errors for name in ALL_FILTERS)

    def notes(self):
        """What the page says about "near me" typed without a place."""
        if self.is_valid() and not self.location and strip_near_me(self.text)[1]:
            return [near_me_note(_("Near"))]
        return []

    def groups(self, type_counts=None):
        """(name, legend, [Option], errors, opened, counted) of each checkbox group.

        A group is shown opened when something in it needs fixing or was ticked; "today",
        ticked when no day was chosen, is not a choice the visitor made. With ``type_counts``
        ({code: meetings}) the meeting types say how many of the results have each, and a
        type none of them has is left out unless it is ticked.
        """
        groups = []
        for name in CHOICE_FILTERS:
            chosen = set(self.sent(name))
            if name == "day" and self.showing_default_day:
                chosen = {TODAY}
            counted = name == "types" and type_counts is not None
            options = [
                Option(
                    str(value),
                    label,
                    str(value) in chosen,
                    type_counts.get(str(value), 0) if counted else None,
                )
                for value, label in self.filters[name].extra["choices"]
            ]
            if counted:
                options = [option for option in options if option.count or option.checked]
            if name == "types":
                # In the page's language's alphabetical order: "Abierta" before "Cerrada".
                options.sort(key=lambda option: fold(str(option.label)))
            errors = self.form[name].errors
            opened = bool(errors) or any(
                option.checked and option.value != TODAY for option in options
            )
            groups.append((name, self.filters[name].label, options, errors, opened, counted))
        return groups

    def query(self, **changes):
        """This search's query string with ``changes`` ({name: [values]}, None removes it),
        back on the first page."""
        data = QueryDict(mutable=True)
        for key in self.data if self.is_bound else ():
            data.setlist(key, self.sent(key))
        data.pop("page", None)
        for key, values in changes.items():
            data.pop(key, None)
            if values:
                data.setlist(key, [str(value) for value in values])
        return data.urlencode()

    def quick_picks(self, type_counts=None):
        """(label, query string, on, count) of each quick pick: a link turning it on or off.

        A type's count is how many of the results have it (ticking it keeps those); a type
        none of them has is left out.
        """
        picks = []
        for label, name, values in QUICK_PICKS:
            sent = self.sent(name)
            on = all(value in sent for value in values)
            count = None
            if on:
                query = self.query(**{name: [value for value in sent if value not in values]})
            elif name == "types":
                query = self.query(types=[*sent, *values])
                if type_counts is not None:
                    count = type_counts.get(values[0], 0)
                    if not count:
                        continue  # no meeting found has it: a pick leading nowhere
            else:
                # Online meetings are not near anywhere: the place would keep only hybrid ones.
                query = self.query(attendance=values, near=None, radius=None)
            picks.append((label, query, on, count))
        return picks

    def ways_to_more(self):
        """[(kind, text, query string)]: wider radii, tomorrow, any day, online meetings."""
        data = self.form.cleaned_data
        ways = []
        if self.location:
            # Every wider step: the page offers the nearest that finds more.
            for miles in (miles for miles in geo.RADIUS_CHOICES if miles > self.miles):
                text = _("Within %(miles)s miles") % {"miles": miles}
                ways.append((WIDER, text, self.query(radius=[miles])))
        days = data.get("day") or []
        if not days or TODAY in days:
            tomorrow = (self.searched_at.astimezone(self.visitor_zone) + timedelta(days=1)).date()
            weekday = schedule.weekday_of(tomorrow)
            text = _("Tomorrow, %(day)s") % {"day": Weekday(weekday).label}
            ways.append((OTHER_DAYS, text, self.query(day=[weekday], now=None)))
        if ANY_DAY not in days:
            ways.append((OTHER_DAYS, _("Any day"), self.query(day=[ANY_DAY], now=None)))
        attendance = data.get("attendance") or []
        if self.location or (attendance and Attendance.ONLINE not in attendance):
            online = [Attendance.ONLINE, Attendance.HYBRID]
            query = self.query(attendance=online, near=None, radius=None)
            ways.append((ONLINE, _("Online, anywhere"), query))
        return ways

    def tally(self, found):
        """A ``MeetingTally``, in one query: how many results have each meeting type, and,
        when ``found`` is fewer than FEW_RESULTS, how many each way to more would find.

        A way that finds nothing is left out: it would be another dead end. Of the wider
        radii, only the nearest that finds more than ``found`` is offered.
        """
        connection = connections[self.queryset.db]
        quote = connection.ops.quote_name
        through = self.queryset.model.types.through
        parts, params = [], []
        # None when Django can tell without asking that nothing matches (no zones yet).
        if results := self._ids_sql(self.qs):
            parts.append(
                f"SELECT 'type', term.code, COUNT(*) FROM {quote(through._meta.db_table)} link "
                f"JOIN {quote(Term._meta.db_table)} term ON term.id = link.term_id "
                f"WHERE link.meeting_id IN ({results[0]}) GROUP BY term.code"
            )
            params += results[1]
        ways = self.ways_to_more() if found < FEW_RESULTS else []
        for index, (_kind, _text, query) in enumerate(ways):
            other = MeetingFilter(QueryDict(query), self.queryset, moment=self.moment)
            if other.sent("near") == self.sent("near"):
                other._visitor_zone = self.visitor_zone  # the same place: read it once
                if other.sent("radius") == self.sent("radius"):
                    other._zones = self.zones  # the same circle (or none)
            if way := self._ids_sql(other.qs):
                parts.append(f"SELECT 'way', '{index}', COUNT(*) FROM ({way[0]}) way_{index}")
                params += way[1]
        rows = []
        if parts:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                rows = cursor.fetchall()
        types = {code: n for kind, code, n in rows if kind == "type"}
        counts = {int(index): n for kind, index, n in rows if kind == "way"}
        suggestions, wider_offered = [], False
        for index, (kind, text, query) in enumerate(ways):
            count = counts.get(index, 0)
            if kind == WIDER:
                if wider_offered or count <= found:
                    continue
                wider_offered = True
            if count:
                suggestions.append(Suggestion(str(text), query, count))
        return MeetingTally(types=types, suggestions=suggestions)

    @staticmethod
    def _ids_sql(queryset):
        """(SQL, params) selecting the ids of ``queryset``, or None if it is surely empty."""
        try:
            return queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return None

    def now_ticked(self):
        return (self.sent("now") or [""])[-1].lower() in {"1", "on", "true", "yes"}

    def radius_options(self):
        choices = [(str(value), label) for value, label in RADIUS_CHOICES]
        asked = (self.sent("radius") or [""])[-1]
        current = asked if asked in dict(choices) else str(geo.DEFAULT_RADIUS)
        return [(value, label, value == current) for value, label in choices]

    def chips(self):
        """One removable chip per active filter choice; nothing for an unusable request."""
        return self.choice_chips(ALL_FILTERS) if self.is_valid() else []
