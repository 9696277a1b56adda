"""The choices a meeting is described by: how people attend, its status, how often it is held.

Apart from ``meetings`` so that module stays a readable size; ``groups.models`` exports both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Attendance",
    "IN_PERSON_ATTENDANCE",
    "ONLINE_ATTENDANCE",
    "MeetingStatus",
    "MeetingFrequency",
    "SCHEDULED_FREQUENCIES",
    "WeekOfMonth",
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
    # Arranged on request (Meeting Guide's rows with no day or time): no day, no time.
    BY_APPOINTMENT = "by_appointment", _("By appointment")


# The frequencies held on a day at a time: these have a weekday and a start time.
SCHEDULED_FREQUENCIES = (MeetingFrequency.WEEKLY, MeetingFrequency.MONTHLY)


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = 5, _("Last")
