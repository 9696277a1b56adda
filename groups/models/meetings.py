"""Meetings of peer support groups: when and where they meet, and how to find them."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups import schedule
from groups.models.source_details import SourceDetails
from groups.models.support_groups import Place, SupportGroup
from resources import geo, public_cache
from resources.models import (
    NEVER_DELETED,
    Listing,
    ListingKind,
    ListingStatus,
    Term,
    TimeStampedModel,
    Weekday,
    validate_time_zone,
)
from resources.models.history import CuratedHistory
from resources.models.listing import SEARCH_FIELDS
from resources.vocabularies import Vocabulary

__all__ = [
    "Attendance",
    "IN_PERSON_ATTENDANCE",
    "ONLINE_ATTENDANCE",
    "MeetingStatus",
    "MeetingFrequency",
    "WeekOfMonth",
    "MeetingKeptError",
    "MeetingQuerySet",
    "AnyOf",
    "Meeting",
    "TIME_ZONES_SECONDS",
    "meeting_time_zones",
]


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


# How people can attend each kind of meeting: in the room, online.
IN_PERSON_ATTENDANCE = (Attendance.IN_PERSON, Attendance.HYBRID)
ONLINE_ATTENDANCE = (Attendance.ONLINE, Attendance.HYBRID)


class MeetingStatus(models.TextChoices):
    """What is known about the meeting itself: set by curators, reports and feed imports (an
    import marks "no longer meets" the meetings its feed stops listing, and "active" again
    those it lists). Whether the site shows it at all is ``Meeting.archived_on``."""

    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    INACTIVE = "inactive", _("No longer meets")


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Once a month")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = 5, _("Last")


class MeetingKeptError(Exception):
    """A meeting of a group that has been public was about to be deleted: archive it instead."""


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
        """Ordered by the real instant of each meeting's next weekday start from ``moment``."""
        zones = self.time_zones_in_use() if zones is None else zones
        key = schedule.start_order(moment or timezone.now(), zones)
        return self.alias(starts_in=key).order_by("starts_in", "name", "pk")

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


class Meeting(SourceDetails, TimeStampedModel):
    group = models.ForeignKey(
        SupportGroup,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("group"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    # Where an import found it: the import's source label and the source's own slug, by
    # which each later import of that source finds it again. Blank for meetings curators
    # made. The site's ``slug`` is the source's when it was free, and never changes.
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        default="",
        editable=False,
        help_text=_("The import that brings this meeting; blank when curators made it."),
    )
    source_slug = models.CharField(
        _("slug in the source"), max_length=220, blank=True, default="", editable=False
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    frequency = models.CharField(
        _("how often"),
        max_length=10,
        choices=MeetingFrequency,
        default=MeetingFrequency.WEEKLY,
        help_text=_(
            "Monthly meetings are left out of the Meeting Guide feed, which has no way to say so."
        ),
    )
    week_of_month = models.PositiveSmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth,
        null=True,
        blank=True,
        help_text=_("For monthly meetings: first Sunday, last Friday…"),
    )
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(
        _("ends"),
        null=True,
        blank=True,
        help_text=_("An end before the start is the next day: 23:30 to 00:30."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name of the meeting's own time zone, for example America/Denver."),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance, default=Attendance.IN_PERSON
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("place"),
        help_text=_("Leave empty when the meeting is at the group's own address."),
    )
    conference_url = models.URLField(_("online meeting link"), blank=True, default="")
    conference_url_notes = models.CharField(
        _("online meeting notes"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Meeting ID and passcode, if people need them."),
    )
    conference_phone = models.CharField(_("dial-in phone"), max_length=60, blank=True, default="")
    conference_phone_notes = models.CharField(
        _("dial-in notes"), max_length=300, blank=True, default=""
    )
    types = models.ManyToManyField(
        Term,
        verbose_name=_("meeting types"),
        blank=True,
        related_name="meetings",
        limit_choices_to={"vocabulary": Vocabulary.MEETING_TYPE},
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus, default=MeetingStatus.ACTIVE
    )
    # A curator's decision, apart from ``status`` on purpose: a feed import rewrites the
    # status of the meetings it brings (and marks "no longer meets" those it drops), but
    # never touches this, so a meeting a curator took off the site stays off it.
    archived_on = models.DateField(
        _("archived on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Archived meetings are kept with their history but shown nowhere on the site. "
            "Use the actions “Archive” and “Restore”."
        ),
    )

    objects = MeetingQuerySet.as_manager()
    history = CuratedHistory(m2m_fields=["types"])

    class Meta:
        ordering = ["weekday", "start_time", "name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["weekday", "start_time"], name="meeting_day_time"),
            # meeting_time_zones() jumps from zone to zone through it.
            models.Index(fields=["time_zone"], name="meeting_time_zone"),
            # The finder near a place on a day (today, or a weekday): the meetings of the
            # places, and of the groups (for meetings at the group's address), within the
            # circle, on that day. See MeetingQuerySet.near().
            models.Index(fields=["weekday", "place"], name="meeting_day_place"),
            models.Index(
                fields=["weekday", "group"],
                condition=Q(place__isnull=True),
                name="meeting_day_group_no_place",
            ),
        ]
        constraints = [
            # Each source's meetings are its own, found by the source's slug.
            models.UniqueConstraint(
                fields=["source", "source_slug"],
                condition=~Q(source=""),
                name="meeting_source_slug_unique",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="meeting_weekday_range"
            ),
            models.CheckConstraint(
                # An end before the start is the next day (23:30 to 00:30).
                condition=Q(end_time__isnull=True) | ~Q(end_time=models.F("start_time")),
                name="meeting_end_differs_from_start",
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=Attendance.values), name="meeting_attendance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            # A monthly meeting says which week; a weekly one has none.
            models.CheckConstraint(
                condition=Q(frequency=MeetingFrequency.WEEKLY, week_of_month__isnull=True)
                | Q(
                    frequency=MeetingFrequency.MONTHLY,
                    week_of_month__isnull=False,
                    week_of_month__gte=1,
                    week_of_month__lte=5,
                ),
                name="meeting_frequency_week_valid",
            ),
            # People must be able to join an online or hybrid meeting.
            models.CheckConstraint(
                condition=Q(attendance=Attendance.IN_PERSON)
                | ~Q(conference_url="")
                | ~Q(conference_phone=""),
                name="meeting_online_has_link_or_phone",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_weekday_display()} {self.start_time:%H:%M})"

    def get_absolute_url(self):
        return reverse("directory:meeting_detail", kwargs={"slug": self.slug})

    @property
    def is_archived(self):
        return self.archived_on is not None

    def delete(self, *args, **kwargs):
        # Once its group has been public the meeting may have been found, shared, put in a
        # calendar: it is archived, never deleted. (QuerySet.delete() does not come here.)
        group_status = (
            Listing.objects.filter(pk=self.group_id).values_list("status", flat=True).first()
        )
        if group_status in NEVER_DELETED:
            raise MeetingKeptError(
                f"{self.name!r} belongs to a group that has been published, so it is kept: "
                "archive it instead."
            )
        return super().delete(*args, **kwargs)

    @property
    def schedule(self):
        """ "Every Tuesday" or "First Sunday of the month"."""
        day = self.get_weekday_display()
        if self.frequency == MeetingFrequency.MONTHLY and self.week_of_month:
            week = self.get_week_of_month_display()
            return _("%(week)s %(day)s of the month") % {"week": week, "day": day}
        return _("Every %(day)s") % {"day": day}

    @property
    def is_in_person(self):
        return self.attendance in IN_PERSON_ATTENDANCE

    @property
    def is_online(self):
        return self.attendance in ONLINE_ATTENDANCE

    @property
    def location(self):
        """Where to go: the meeting's own place, else the group's address (or None if online)."""
        if not self.is_in_person:
            return None
        return self.place or self.group

    def clean(self):
        super().clean()
        errors = {}
        if self.frequency == MeetingFrequency.MONTHLY and not self.week_of_month:
            errors["week_of_month"] = _("Say which week of the month the meeting is held.")
        if self.frequency == MeetingFrequency.WEEKLY and self.week_of_month:
            errors["week_of_month"] = _("Leave the week empty for a weekly meeting.")
        if self.end_time and self.start_time and not schedule.plausible_end(self):
            errors["end_time"] = _(
                "The meeting must end after it starts. An earlier end time is the next day,"
                " for a meeting of less than 12 hours (23:30 to 00:30)."
            )
        if self.is_online and not (self.conference_url or self.conference_phone):
            errors["conference_url"] = _(
                "An online or hybrid meeting needs a link or a dial-in phone number."
            )
        if self.is_in_person and self.place is None:
            group = getattr(self, "group", None)
            if group is not None and not group.has_coordinates:
                errors["place"] = _(
                    "Choose a place: the group has no address with coordinates to meet at."
                )
        if errors:
            raise ValidationError(errors)


# How long the list of time zones is kept; saving any meeting drops it at once.
TIME_ZONES_SECONDS = 300


def meeting_time_zones():
    """Every time zone any meeting is held in, whatever its status, sorted.

    A superset of the zones of any set of meetings, which is all the schedule conditions
    need (they group zones by local clock, so an unused zone costs nothing). Kept in the
    public cache, which any save of a meeting drops; made afresh it is one cheap query.
    """
    return public_cache.kept("meeting-time-zones", (), _read_time_zones, TIME_ZONES_SECONDS)


def _read_time_zones():
    connection = connections[Meeting.objects.db]
    if connection.vendor != "postgresql":
        return sorted(Meeting.objects.order_by().values_list("time_zone", flat=True).distinct())
    # A plain DISTINCT reads every meeting (100,000 rows for some 20 zones); this jumps
    # through the index ``meeting_time_zone`` from each zone to the next, one probe a zone.
    table = connection.ops.quote_name(Meeting._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT time_zone FROM (
                WITH RECURSIVE zones (time_zone) AS (
                    (SELECT time_zone FROM {table} ORDER BY time_zone LIMIT 1)
                    UNION ALL
                    SELECT (
                        SELECT meeting.time_zone FROM {table} AS meeting
                        WHERE meeting.time_zone > zones.time_zone
                        ORDER BY meeting.time_zone LIMIT 1
                    )
                    FROM zones WHERE zones.time_zone IS NOT NULL
                )
                SELECT time_zone FROM zones WHERE time_zone IS NOT NULL
            ) AS zones
            """
        )
        return sorted(row[0] for row in cursor.fetchall())
