"""Meetings as iCalendar (RFC 5545) files, for "Add to calendar".

Written by hand: the format is small, and the rules that matter are here: CRLF line ends,
lines folded at 75 octets (never inside a UTF-8 character), text escaped (backslash, comma,
semicolon, newline), one VEVENT per meeting with a weekly or monthly RRULE. A meeting by
appointment has no day or time to put in a calendar: it gets no event.

Times are local wall-clock times with the meeting's IANA zone as TZID
(``DTSTART;TZID=America/Chicago:20261124T190000``), and each zone used has its VTIMEZONE, as
RFC 5545 requires (Outlook refuses a file without them). Those are written by the
``icalendar`` library from the same tz database Python reads, for ZONE_YEARS years from the
year the file is made: past the last change they list, a calendar keeps the last offset.
"""

from datetime import UTC, date, timedelta
from functools import cache

import icalendar
from django.utils import timezone
from django.utils.translation import gettext

from groups.models import MeetingFrequency
from groups.schedule import LAST_WEEK, next_occurrence, occurrence_end

PRODUCT_ID = "-//Recovery Support Directory//Meetings//EN"
DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
MAX_OCTETS = 75
# How many years of daylight-saving changes each VTIMEZONE lists.
ZONE_YEARS = 10


def escape(text):
    """TEXT value escaping (RFC 5545 3.3.11)."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Split a content line into 75-octet pieces; each continuation starts with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _local(moment):
    return moment.strftime("%Y%m%dT%H%M%S")


def rrule(meeting):
    day = DAYS[meeting.weekday]
    if meeting.frequency == MeetingFrequency.MONTHLY:
        week = -1 if meeting.week_of_month == LAST_WEEK else meeting.week_of_month
        return f"FREQ=MONTHLY;BYDAY={week}{day}"
    return f"FREQ=WEEKLY;BYDAY={day}"


def _where(meeting):
    place = meeting.location
    if place is None:
        return "Online"
    lines = list(place.public_address_lines)
    if meeting.place:
        lines.insert(0, meeting.place.name)
    where = ", ".join(line for line in lines if line)
    return gettext("%(where)s (and online)") % {"where": where} if meeting.is_online else where


def _description(meeting, page_url):
    names = {"fellowship": meeting.group.fellowship.name, "group": meeting.group.name}
    parts = [gettext("%(fellowship)s meeting of %(group)s.") % names]
    types = [term.label for term in meeting.types.all()]
    if types:
        parts.append(gettext("Type: %(types)s.") % {"types": ", ".join(types)})
    if meeting.conference_url:
        parts.append(gettext("Join online: %(link)s") % {"link": meeting.conference_url})
        if meeting.conference_url_notes:
            parts.append(meeting.conference_url_notes)
    if meeting.conference_phone:
        parts.append(gettext("Dial in: %(phone)s") % {"phone": meeting.conference_phone})
        if meeting.conference_phone_notes:
            parts.append(meeting.conference_phone_notes)
    if meeting.notes:
        parts.append(meeting.notes)
    parts.append(gettext("Details and changes: %(page)s") % {"page": page_url})
    return "\n".join(parts)


def event_lines(meeting, request, stamp):
    start = next_occurrence(meeting, stamp)
    end = occurrence_end(meeting, start)
    page_url = request.build_absolute_uri(meeting.get_absolute_url())
    zone = meeting.time_zone
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.slug}@{request.get_host()}",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={zone}:{_local(start)}",
        f"DTEND;TZID={zone}:{_local(end)}",
        f"RRULE:{rrule(meeting)}",
        f"SUMMARY:{escape(meeting.name)}",
        f"LOCATION:{escape(_where(meeting))}",
        f"URL:{meeting.conference_url or page_url}",
        f"DESCRIPTION:{escape(_description(meeting, page_url))}",
        "END:VEVENT",
    ]
    return lines


@cache
def vtimezone(zone, first_year):
    """The VTIMEZONE of ``zone`` from 1 January of ``first_year``, as folded CRLF text."""
    component = icalendar.Timezone.from_tzid(
        zone, first_date=date(first_year, 1, 1), last_date=date(first_year + ZONE_YEARS, 1, 1)
    )
    return component.to_ical().decode("utf-8")


def calendar(meetings, request, name, stamp=None):
    """The text of a VCALENDAR: the VTIMEZONE of each zone, one recurring event per meeting
    (none for meetings by appointment)."""
    stamp = stamp or timezone.now()
    # A meeting in progress starts yesterday at the earliest.
    first_year = (stamp - timedelta(days=1)).year
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    events = []
    scheduled = [meeting for meeting in meetings if not meeting.is_by_appointment]
    for meeting in scheduled:
        events += event_lines(meeting, request, stamp)
    zones = sorted({meeting.time_zone for meeting in scheduled})
    return (
        "".join(fold(line) + "\r\n" for line in lines)
        + "".join(vtimezone(zone, first_year) for zone in zones)
        + "".join(fold(line) + "\r\n" for line in [*events, "END:VCALENDAR"])
    )
