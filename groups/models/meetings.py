"""Meetings of peer support groups: when and where they meet, and how to find them."""

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups import schedule
from groups.models.meeting_choices import (
    IN_PERSON_ATTENDANCE,
    ONLINE_ATTENDANCE,
    SCHEDULED_FREQUENCIES,
    Attendance,
    MeetingFrequency,
    MeetingStatus,
    WeekOfMonth,
)
from groups.models.meeting_queries import MeetingQuerySet
from groups.models.source_details import SourceDetails
from groups.models.support_groups import Place, SupportGroup
from groups.models.texts import TranslatedNotes
from resources import public_cache
from resources.geo.distances import box_spans
from resources.models import (
    NEVER_DELETED,
    Listing,
    ListingKind,
    Term,
    TimeStampedModel,
    Weekday,
    validate_time_zone,
)
from resources.models.history import CuratedHistory
from resources.vocabularies import Vocabulary

__all__ = [
    "MeetingKeptError",
    "Meeting",
    "TIME_ZONES_SECONDS",
    "meeting_time_zones",
    "meeting_zone_boxes",
    "time_zones_near",
]


class MeetingKeptError(Exception):
    """A meeting of a group that has been public was about to be deleted: archive it instead."""


class Meeting(TranslatedNotes, SourceDetails, TimeStampedModel):
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
    # Empty only for a meeting by appointment (see the constraint meeting_schedule_fits).
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday, null=True, blank=True)
    frequency = models.CharField(
        _("how often"),
        max_length=20,
        choices=MeetingFrequency,
        default=MeetingFrequency.WEEKLY,
        help_text=_(
            "Monthly meetings are left out of the Meeting Guide feed, which has no way to say so."
            " A meeting by appointment has no day or time: people contact the group to"
            " arrange it."
        ),
    )
    week_of_month = models.PositiveSmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth,
        null=True,
        blank=True,
        help_text=_("For monthly meetings: first Sunday, last Friday…"),
    )
    start_time = models.TimeField(_("starts"), null=True, blank=True)
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
        # Meetings by appointment (no day) after the others, on every database.
        ordering = [F("weekday").asc(nulls_last=True), "start_time", "name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["weekday", "start_time"], name="meeting_day_time"),
            # meeting_time_zones() used to jump from zone to zone through it; it now reads
            # the zones with their boxes (meeting_zone_boxes), and nothing uses it.
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
                condition=Q(
                    frequency__in=[MeetingFrequency.WEEKLY, MeetingFrequency.BY_APPOINTMENT],
                    week_of_month__isnull=True,
                )
                | Q(
                    frequency=MeetingFrequency.MONTHLY,
                    week_of_month__isnull=False,
                    week_of_month__gte=1,
                    week_of_month__lte=5,
                ),
                name="meeting_frequency_week_valid",
            ),
            # Weekly and monthly meetings are held on a day at a time; one by appointment
            # has neither (nor an end), whatever a form or an import forgot to clear.
            models.CheckConstraint(
                condition=Q(
                    frequency__in=SCHEDULED_FREQUENCIES,
                    weekday__isnull=False,
                    start_time__isnull=False,
                )
                | Q(
                    frequency=MeetingFrequency.BY_APPOINTMENT,
                    weekday__isnull=True,
                    start_time__isnull=True,
                    end_time__isnull=True,
                ),
                name="meeting_schedule_fits",
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
        if self.is_by_appointment:
            return f"{self.name} ({self.schedule})"
        return f"{self.name} ({self.get_weekday_display()} {self.start_time:%H:%M})"

    def get_absolute_url(self):
        return reverse("directory:meeting_detail", kwargs={"slug": self.slug})

    # Django's own get_FOO_display translates every choice's label to find one, on each
    # call; the finder shows 50 meetings a page, each asking for these.
    def get_weekday_display(self):
        return _choice_label(Weekday, self.weekday)

    def get_week_of_month_display(self):
        return _choice_label(WeekOfMonth, self.week_of_month)

    def get_attendance_display(self):
        return _choice_label(Attendance, self.attendance)

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
    def is_by_appointment(self):
        """Arranged on request: no day or time (also a meeting whose form left them empty)."""
        return (
            self.frequency == MeetingFrequency.BY_APPOINTMENT
            or self.weekday is None
            or self.start_time is None
        )

    @property
    def schedule(self):
        """ "Every Tuesday", "First Sunday of the month" or "By appointment"."""
        if self.is_by_appointment:
            return MeetingFrequency.BY_APPOINTMENT.label
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

    def _schedule_errors(self):
        """What the form must fix so the day and time fit how often the meeting is held."""
        errors = {}
        if self.frequency == MeetingFrequency.BY_APPOINTMENT:
            for name in ("weekday", "start_time", "end_time", "week_of_month"):
                if getattr(self, name) is not None:
                    errors[name] = _(
                        "Leave this empty for a meeting by appointment: it has no day or time."
                    )
        else:
            if self.weekday is None:
                errors["weekday"] = _(
                    "Choose the day, or make the meeting “By appointment” under “How often”."
                )
            if self.start_time is None:
                errors["start_time"] = _(
                    "Give the start time, or make the meeting “By appointment” under “How often”."
                )
        return errors

    def clean(self):
        super().clean()
        errors = {}
        if self.frequency == MeetingFrequency.MONTHLY and not self.week_of_month:
            errors["week_of_month"] = _("Say which week of the month the meeting is held.")
        if self.frequency == MeetingFrequency.WEEKLY and self.week_of_month:
            errors["week_of_month"] = _("Leave the week empty for a weekly meeting.")
        errors |= self._schedule_errors()
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


def _choice_label(choices, value):
    """The label of ``value`` among ``choices``; as Django's, a value not among them is
    shown as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# How long the time zones and their boxes are kept; saving any meeting drops them at once.
TIME_ZONES_SECONDS = 300


def meeting_time_zones():
    """Every time zone any meeting is held in, whatever its status, sorted.

    A superset of the zones of any set of meetings, which is all the schedule conditions
    need (they group zones by local clock, so an unused zone costs nothing).
    """
    return sorted(meeting_zone_boxes())


def time_zones_near(location, miles):
    """The time zones of the meetings ``Meeting.objects.near(location, miles)`` can find.

    A superset: every zone whose box (see ``meeting_zone_boxes``) meets the box that
    ``near`` itself draws round the circle first. A search near Chicago then builds its
    schedule conditions for two or three zones, not the twenty-odd in use across the
    country. Only the boxes are kept: the searched place is compared with them here, never
    kept.
    """
    # The very box within_radius draws before it measures anything.
    south, north, spans = box_spans(float(location.latitude), float(location.longitude), miles)
    return sorted(
        zone
        for zone, box in meeting_zone_boxes().items()
        if box is not None
        and box[0] <= north
        and box[1] >= south
        and any(box[2] <= east and box[3] >= west for west, east in spans)
    )


def meeting_zone_boxes():
    """{time zone: (south, north, west, east)} for every zone any meeting is held in,
    whatever its status: the box round the points its in-person and hybrid meetings are
    measured from, or None when it has none (online meetings are near nowhere).

    Kept in the public cache, which any save of a meeting, its place or its group drops.
    A zone that crosses the 180th meridian gets a box round the world: too wide, never
    wrong.
    """
    return public_cache.kept("meeting-zone-boxes", (), _read_zone_boxes, TIME_ZONES_SECONDS)


def _read_zone_boxes():
    connection = connections[Meeting.objects.db]
    quote = connection.ops.quote_name
    attendance = [str(value) for value in IN_PERSON_ATTENDANCE]
    in_person = f"meeting.attendance IN ({', '.join(['%s'] * len(attendance))})"
    # The point a meeting is measured from, as in MeetingQuerySet.near: its place's, or its
    # group's when the place is missing or has no coordinates. A group's id is its
    # listing's; saying its kind lets PostgreSQL read the groups' coordinates from the
    # index support_group_point_gist rather than every listing. About 75 ms for 100,000
    # meetings, once a generation.
    sql = f"""
        SELECT meeting.time_zone,
            MIN(COALESCE(place.latitude, grp.latitude)),
            MAX(COALESCE(place.latitude, grp.latitude)),
            MIN(COALESCE(place.longitude, grp.longitude)),
            MAX(COALESCE(place.longitude, grp.longitude))
        FROM {quote(Meeting._meta.db_table)} meeting
        LEFT JOIN {quote(Place._meta.db_table)} place
            ON place.id = meeting.place_id AND {in_person}
        LEFT JOIN {quote(Listing._meta.db_table)} grp
            ON grp.id = meeting.group_id AND grp.kind = %s AND {in_person}
            AND (place.latitude IS NULL OR place.longitude IS NULL)
        GROUP BY meeting.time_zone
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*attendance, str(ListingKind.SUPPORT_GROUP), *attendance])
        rows = cursor.fetchall()
    return {
        zone: None if None in box else tuple(float(value) for value in box) for zone, *box in rows
    }
