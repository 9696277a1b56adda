"""The meeting finder's filters: one FilterSet reads the finder's whole query string.

Ticked choices within one filter are alternatives (OR); different filters must all hold (AND).

* ``day``: "today" (meetings held today in their own zone, from 15 minutes ago on), a weekday
  0–6 (Sunday is 0, all that day's meetings), or "any". Without ``day`` the finder shows
  today's upcoming meetings, unless ``now`` is ticked, which has its own window.
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

from datetime import time

from django.db.models import Q
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
from groups.models import Attendance, FellowshipApproach, FellowshipAudience, meeting_time_zones
from resources import geo
from resources.models import Weekday
from resources.search import strip_near_me
from resources.vocabularies import meeting_guide_types

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
MEETING_TYPE_CHOICES = meeting_guide_types()
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

    @property
    def zones(self):
        """The time zones meetings are held in: from the cache, else one cheap query."""
        if self._zones is None:
            self._zones = meeting_time_zones()
        return self._zones

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            queryset = super().qs
            data = self.form.cleaned_data if self.is_valid() else {}
            if not data.get("day") and not data.get("now"):
                queryset = queryset.later_today(self.moment, zones=self.zones)
            self._qs = queryset.in_start_order(self.moment, zones=self.zones)
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
            moment = self.moment or timezone.now()
            condition |= schedule.later_today_condition(moment, self.zones)
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

    def filters_need_fixing(self):
        return any(name in self.errors for name in ALL_FILTERS)

    def notes(self):
        """What the page says about "near me" typed without a place."""
        if self.is_valid() and not self.location and strip_near_me(self.text)[1]:
            return [near_me_note(_("Near"))]
        return []

    def groups(self):
        """(name, legend, [Option], errors, opened) of each checkbox group.

        A group is shown opened when something in it needs fixing or was ticked; "today",
        ticked when no day was chosen, is not a choice the visitor made.
        """
        groups = []
        for name in CHOICE_FILTERS:
            chosen = set(self.sent(name))
            if name == "day" and self.showing_default_day:
                chosen = {TODAY}
            options = [
                Option(str(value), label, str(value) in chosen)
                for value, label in self.filters[name].extra["choices"]
            ]
            errors = self.form[name].errors
            opened = bool(errors) or any(
                option.checked and option.value != TODAY for option in options
            )
            groups.append((name, self.filters[name].label, options, errors, opened))
        return groups

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
