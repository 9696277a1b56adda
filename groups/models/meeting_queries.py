"""How meetings are found: which are public, when they are held, how near they are.

``Meeting.objects`` is a ``MeetingQuerySet``; ``meetings`` holds the model itself.
"""

from datetime import timedelta

from django.db import models
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups import schedule
from groups.models.meeting_choices import IN_PERSON_ATTENDANCE, MeetingFrequency, MeetingStatus
from groups.models.support_groups import Place
from resources import geo
from resources.models import Listing, ListingKind, ListingStatus
from resources.models.listing import SEARCH_FIELDS

__all__ = ["MeetingQuerySet", "AnyOf"]


class MeetingQuerySet(models.QuerySet):
    def current(self):
        """Not archived: an archived meeting is kept, with its history, but never shown."""
        return self.filter(archived_on__isnull=True)

    def archived(self):
        return self.filter(archived_on__isnull=False)

    def active(self):
        return self.current().filter(status=MeetingStatus.ACTIVE)

    def listed(self):
        """Active meetings of published groups: what the public sees."""
        return self.active().filter(group__status=ListingStatus.PUBLISHED)

    def public(self):
        """Meetings a visitor may open: active or temporarily closed, of published groups."""
        return self.on_schedule().filter(group__status=ListingStatus.PUBLISHED)

    def weekly(self):
        return self.filter(frequency=MeetingFrequency.WEEKLY)

    def on_schedule(self):
        """Active or temporarily closed, not archived: what a group's page lists (closed ones
        marked)."""
        return self.current().filter(
            status__in=[MeetingStatus.ACTIVE, MeetingStatus.TEMPORARILY_CLOSED]
        )

    def time_zones_in_use(self):
        """The distinct time zones of these meetings: one query, over all of them.

        The finder asks ``meeting_time_zones()`` instead, which is kept in the cache.
        """
        return sorted(set(self.order_by().values_list("time_zone", flat=True).distinct()))

    def happening_soon(self, moment=None, within=timedelta(hours=2), zones=None):
        """Meetings in progress at ``moment`` (default: now), or starting within ``within``.

        Judged in each meeting's own time zone; see ``groups.schedule.soon_condition``.
        ``zones`` saves the query for the zones in use when the caller already has them.
        """
        zones = self.time_zones_in_use() if zones is None else zones
        return self.filter(schedule.soon_condition(moment or timezone.now(), within, zones))

    def later_today(self, moment=None, zones=None):
        """Meetings held today in their own zone that have not started more than 15 min ago."""
        zones = self.time_zones_in_use() if zones is None else zones
        return self.filter(schedule.later_today_condition(moment or timezone.now(), zones))

    def today(self, moment=None, zones=None):
        zones = self.time_zones_in_use() if zones is None else zones
        return self.filter(schedule.today_condition(moment or timezone.now(), zones))

    def with_details(self):
        """With the group, its fellowship, the place and the types: what a meeting's page or
        a result shows, in one query plus one for the types. The group's stored search text
        (about 2 KB a group) is left out: no page shows it."""
        return (
            self.select_related("group__fellowship", "place")
            .defer(*(f"group__{field}" for field in SEARCH_FIELDS))
            .prefetch_related("types")
        )

    def in_start_order(self, moment=None, zones=None):
        """Ordered by the real instant of each meeting's next start from ``moment`` (weekly or
        monthly); meetings by appointment last."""
        zones = self.time_zones_in_use() if zones is None else zones
        if not zones:
            # No meeting anywhere yet: nothing to order by (and a constant is no key).
            return self.order_by("name", "pk")
        key = schedule.start_order(moment or timezone.now(), zones)
        # Meetings by appointment have no next start (NULL): after every scheduled one.
        return self.alias(starts_in=key).order_by(F("starts_in").asc(nulls_last=True), "name", "pk")

    def held_at(self, places, groups, also_places=None):
        """Meetings at one of ``places``, or at the address of one of ``groups`` when they
        have no place of their own (or at one of ``also_places`` whatever their group).

        The places and groups are looked up first, by their own indexes; only then their
        meetings, by theirs.
        """
        condition = Q(AnyOf("place", places.order_by().values("pk"))) | Q(
            AnyOf("group", groups.order_by().values("pk")), place__isnull=True
        )
        if also_places is not None:
            condition |= Q(AnyOf("place", also_places.order_by().values("pk")))
        return self.filter(condition)

    def near(self, location, miles):
        """In-person and hybrid meetings within ``miles``, annotated with ``distance``.

        Measured from the meeting's own place, or its group's address when it has none (or
        its place has no coordinates). The places and the groups within the circle are found
        first, through their coordinate indexes (GiST on PostgreSQL), and only the meetings
        held there are measured: never every meeting in the country.
        """
        places = geo.within_radius(Place.objects.all(), location, miles)
        groups = geo.within_radius(
            Listing.objects.of_kind(ListingKind.SUPPORT_GROUP), location, miles
        )
        # A place without coordinates: measured from the group's address (Coalesce below).
        unlocated = Place.objects.filter(latitude__isnull=True)
        located = (
            self.filter(attendance__in=IN_PERSON_ATTENDANCE)
            .held_at(places, groups, also_places=unlocated)
            .annotate(
                latitude=Coalesce("place__latitude", "group__latitude"),
                longitude=Coalesce("place__longitude", "group__longitude"),
            )
        )
        # Measures the few meetings left, with the same test as the subqueries.
        return geo.within_radius(located, location, miles)


class AnyOf(Func):
    """``field = ANY(ARRAY(subquery))`` on PostgreSQL, ``field IN (subquery)`` elsewhere.

    As ``= ANY(ARRAY(…))`` the subquery runs once, first, and its ids are then looked up
    through the index on ``field``; as ``IN (subquery)`` PostgreSQL may join it last, after
    reading every meeting. Same rows either way.
    """

    output_field = BooleanField()

    def __init__(self, field, queryset):
        super().__init__(F(field), Subquery(queryset))

    def _compile(self, compiler, template):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        subquery_sql, subquery_params = compiler.compile(self.source_expressions[1])
        return template.format(field_sql, subquery_sql), (*field_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra_context):
        return self._compile(compiler, "{} IN {}")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._compile(compiler, "{} = ANY(ARRAY{})")
