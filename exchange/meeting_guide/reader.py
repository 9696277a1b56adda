"""Reading a Meeting Guide JSON feed into the rows the shared writer saves (``exchange.rows``).

Every row is checked before anything is written and every problem is reported with its
position. Each feed row becomes one ``MeetingRow`` per day it is held, or a list of problems.
It accepts what the spec accepts and what real feeds do; a row is refused only when it cannot
be a meeting. Rules chosen here:

- ``day`` may be 0–6 (Sunday = 0), as a number or a string, an English day name ("Monday",
  "mon"), or a list of them. A list always makes one meeting per day with the slug suffixed
  ``-<day>`` (``mon-night`` with ``[1, 3]`` gives ``mon-night-1`` and ``mon-night-3``), even
  a list of one day, so a meeting keeps its slug when days are added to or removed from it.
- Times may be "20:00", "20:00:00", "8:00 PM", "8 pm", "noon" (12-hour times are counted).
- A row with no day or no time (missing, null or "") is a meeting by appointment: kept, with
  neither, and counted in the report. The spec makes day and time required only for weekly
  meetings. A day without a time, or a time without a day, is kept the same way, with a
  warning: a half-known schedule would send people at the wrong time.
- Bad optional data is dropped with a warning, counted by kind in the report: an end time equal
  to the start or earlier by 12 hours or more (one earlier by less is kept: the meeting ends
  past midnight, 23:30 to 00:30), an unknown type code or time zone, a bad
  conference link, bad coordinates, and the bad values of the details kept beside the
  meeting (``details.py``: the source's page, feedback, 7th-tradition handles, entity).
- A street address without coordinates makes a place that is listed by its address, not
  placed on a map. A place with neither (a town alone, or an approximate one without
  coordinates) is left out with a warning: such a meeting imports online when it has a
  link or phone, else it is refused.
- Time zone: the row's ``timezone``, else the import's ``time_zone``, else the place's (ZIP,
  state or province, coordinates: ``exchange.addresses``), else the row is refused. Never the
  site's ``TIME_ZONE``.
- Attendance: a conference link or phone and a place make a hybrid meeting,
  only the link or phone an online one, only the place an in-person one;
  ``attendance_option`` wins when present and it fits ("inactive" imports the meeting as no
  longer meeting).
"""

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from exchange.addresses import clean, parse_address, region_code, time_zone_of_place
from exchange.meeting_guide.details import details_of
from exchange.reading import (
    MAX_LENGTHS,
    RowProblems,
    coordinate,
    country_code,
    read_feed,
    text,
    web_address,
)
from exchange.rows import MeetingRow, PlaceRow
from groups.models import Attendance, Meeting, MeetingStatus
from groups.schedule import MIDNIGHT_SPAN, length
from resources.models import LocationPrecision, Term, known_time_zones
from resources.vocabularies import Vocabulary

__all__ = ["read_feed", "read_rows", "parse_row", "split_formatted_address"]

TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
TWELVE_HOUR = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?\s*m?\.?$")
DAY_NAMES = {
    name: day for day, name in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])
}
ATTENDANCE_OPTIONS = {"in_person", "online", "hybrid", "inactive"}
SLUG_MAX_LENGTH = Meeting._meta.get_field("slug").max_length


def read_rows(data, job, default_fellowship, default_time_zone=""):
    """The valid meetings of the feed list ``data``, in feed order.

    Problems go to ``job.report.skipped``, warnings and unknown type codes to the report too,
    each warning counted by kind in ``job.report.warning_counts``; the slugs of skipped rows
    to ``job.kept_slugs`` (their meetings stay as they are). ``default_time_zone`` is used
    for rows without a valid ``timezone``, before the place's own.
    """
    report = job.report
    known_codes = {
        code.casefold(): code
        for code in Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list(
            "code", flat=True
        )
    }
    rows, first_position = [], {}
    for position, row in enumerate(data, start=1):
        where = describe(position, row)
        warnings = []
        try:
            meetings = parse_row(
                position, row, default_fellowship, known_codes, warnings, default_time_zone
            )
            problems = []
            if meetings[0].fellowship.casefold() not in job.fellowships:
                problems.append(f"no fellowship {meetings[0].fellowship!r}")
            for meeting in meetings:
                if meeting.slug in first_position:
                    problems.append(
                        f"slug {meeting.slug!r} is already used by row "
                        f"{first_position[meeting.slug]}"
                    )
            if problems:
                raise RowProblems(problems)
        except RowProblems as error:
            report.skipped += [f"{where}: {problem}" for problem in error.problems]
            if isinstance(row, dict) and isinstance(row.get("slug"), str):
                job.kept_slugs.add(row["slug"].strip())
            continue
        for kind, detail in warnings:
            report.warning_counts[kind] += 1
            if detail:
                report.warnings.append(f"{where}: {detail}")
        for code in row.get("types") or [] if isinstance(row.get("types"), list) else []:
            if isinstance(code, str) and clean(code).casefold() not in known_codes:
                report.unknown_types.setdefault(clean(code), []).append(position)
                report.warning_counts["unknown type codes left out"] += 1
        for meeting in meetings:
            first_position[meeting.slug] = position
            report.by_appointment += meeting.weekday is None
        rows += meetings
    return rows


def describe(position, row):
    slug = row.get("slug") if isinstance(row, dict) else None
    if isinstance(slug, str | int) and str(slug).strip():
        return f"row {position} (slug '{slug}')"
    return f"row {position}"


def _text(row, field, problems):
    return text(row, field, problems)


def _time(value, field, problems, warnings):
    """A time from "20:00", "20:00:00", "8:00 PM", "8 pm", "8:00p.m.", "noon"; else None."""
    text = str(value).replace("\xa0", " ").strip().lower() if isinstance(value, str) else ""
    text = {"noon": "12:00", "midnight": "00:00"}.get(text, text)
    if match := TIME.match(text):
        hours, minutes = match.groups()
        return time(int(hours), int(minutes))
    if match := TWELVE_HOUR.match(text):
        hours, minutes, half = match.groups()
        hours = int(hours) % 12 + (12 if half == "p" else 0)
        warnings.append(("times written as 12-hour", None))
        return time(hours, int(minutes or 0))
    problems.append(f"{field} {value!r} is not a time from 00:00 to 23:59")
    return None


def _day(day):
    """0–6 from 0–6, "3", "Monday", "mon", "Tues."; else None."""
    if isinstance(day, bool):
        return None
    if isinstance(day, str):
        text = day.replace("\xa0", " ").strip().rstrip(".").casefold()
        if text.isdigit():
            day = int(text)
        else:
            return DAY_NAMES.get(text[:3]) if len(text) >= 3 else None
    if isinstance(day, int) and 0 <= day <= 6:
        return day
    return None


def _days(value, problems):
    if isinstance(value, list):
        if not value:
            return None, False  # no day at all: by appointment
        days = [_day(day) for day in value]
        if None in days:
            problems.append(f"day {value!r} must list days 0–6 (Sunday is 0)")
            return None, False
        return sorted(set(days)), True
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    day = _day(value)
    if day is None:
        problems.append(f"day {value!r} is not 0–6 (Sunday is 0)")
        return None, False
    return [day], False


def split_formatted_address(formatted):
    """Best effort: "123 Main St, Anytown, OK 12345, USA" → (street, city, state, ZIP)."""
    parsed = parse_address(formatted)
    return parsed.street, parsed.city, parsed.state, parsed.postal_code


def _place(row, problems, warnings):
    location = _text(row, "location", problems)
    street = _text(row, "address", problems)
    city = _text(row, "city", problems)
    state = _text(row, "state", problems)
    postal_code = _text(row, "postal_code", problems)
    formatted = _text(row, "formatted_address", problems)
    latitude = coordinate(row.get("latitude"), "latitude", 90, warnings)
    longitude = coordinate(row.get("longitude"), "longitude", 180, warnings)
    if (latitude is None) != (longitude is None):
        warnings.append(("bad coordinates dropped", "latitude and longitude go together"))
        latitude = longitude = None
    if (latitude, longitude) == (0, 0):
        warnings.append(("bad coordinates dropped", "coordinates 0, 0 are not a place"))
        latitude = longitude = None
    country = country_code(row.get("country"), "country", warnings)
    parsed = parse_address(formatted) if formatted else None
    if parsed and not (street or city):
        street, city = parsed.street, parsed.city
        location = location or parsed.place_name
    if parsed:
        state, postal_code = state or parsed.state, postal_code or parsed.postal_code
        country = country or parsed.country
    if state and (region := region_code(state, country)):
        state, country = region[0], country or region[1]
    country = country or "US"
    city = city or _text(row, "region", problems)
    if formatted and (len(street) > MAX_LENGTHS["address"] or len(city) > MAX_LENGTHS["city"]):
        problems.append("formatted_address has a street or city longer than the columns take")
    context = PlaceContext(postal_code, state, country, latitude, longitude)
    if not (street or formatted or latitude is not None):
        return None, context
    approximate = row.get("approximate")
    approximate = approximate is True or str(approximate).strip().lower() in ("yes", "true", "1")
    if latitude is None and (approximate or not street):
        # A place without coordinates is listed by its street address, not on a map; a
        # town alone is no place to go to (online meetings often give one, for the zone).
        if street:
            warnings.append(
                (
                    "approximate addresses without coordinates left out",
                    "the address is approximate and has no coordinates: left out",
                )
            )
        return None, context
    place = PlaceRow(
        name=location or street or city,
        address_line1="" if approximate else street,
        city=city,
        region=state,
        postal_code="" if approximate else postal_code,
        country=country,
        latitude=latitude,
        longitude=longitude,
        location_precision=(
            LocationPrecision.APPROXIMATE if approximate else LocationPrecision.EXACT
        ),
        notes=_text(row, "location_notes", problems),
    )
    return place, context


@dataclass
class PlaceContext:
    """What a row says of where it is, for its time zone even when it has no place."""

    postal_code: str
    state: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None


def _attendance(row, place, has_conference, problems, warnings):
    option = row.get("attendance_option")
    option = option.strip().lower().replace("-", "_") if isinstance(option, str) else option
    if option not in (None, "", *ATTENDANCE_OPTIONS):
        warnings.append(
            ("unknown attendance options ignored", f"attendance_option {option!r} is not known")
        )
        option = None
    elif option in ("online", "hybrid") and not has_conference:
        warnings.append(
            ("attendance options that do not fit ignored", f"{option} without a conference link")
        )
        option = None
    elif option in ("in_person", "hybrid") and not place:
        warnings.append(
            ("attendance options that do not fit ignored", f"{option} without an address")
        )
        option = None
    status = MeetingStatus.INACTIVE if option == "inactive" else MeetingStatus.ACTIVE
    if option in ("online", "hybrid", "in_person"):
        return Attendance(option), status
    if place and has_conference:
        return Attendance.HYBRID, status
    if has_conference:
        return Attendance.ONLINE, status
    if place:
        return Attendance.IN_PERSON, status
    problems.append(
        "a meeting needs a street address or coordinates, or a conference link or phone"
    )
    return None, status


def parse_row(position, row, default_fellowship, known_codes, warnings, default_time_zone=""):
    """The meetings of one feed row (one per day), or ``RowProblems`` with every problem.

    ``warnings`` receives (kind, detail) pairs: the kind is what the report counts.
    A row without a day or a time is one meeting by appointment (no weekday, no times).
    """
    if not isinstance(row, dict):
        raise RowProblems(["is not a JSON object"])
    problems = []
    slug = _text(row, "slug", problems)
    if not slug:
        problems.append("slug is missing")
    else:
        try:
            validate_slug(slug)
        except ValidationError:
            problems.append("slug may only hold letters, digits, hyphens and underscores")
    name = _text(row, "name", problems)
    if not name:
        problems.append("name is missing")
    days, suffixed = _days(row.get("day"), problems)
    start = None
    if row.get("time") not in (None, "") and str(row.get("time")).strip():
        start = _time(row.get("time"), "time", problems, warnings)
    end = None
    if row.get("end_time") not in (None, "") and str(row.get("end_time")).strip():
        end = _time(row.get("end_time"), "end_time", [], warnings)
        if end is None:
            warnings.append(
                ("end times dropped", f"end_time {row.get('end_time')!r} is not a time")
            )
    if start and end and end <= start and (end == start or length(start, end) >= MIDNIGHT_SPAN):
        # An end before the start by less than 12 hours is the next day: kept (23:30-00:30).
        warnings.append(
            ("end times dropped", f"end_time {end:%H:%M} is not after time {start:%H:%M}")
        )
        end = None

    place, where = _place(row, problems, warnings)
    conference_url = web_address(
        _text(row, "conference_url", problems),
        "conference_url",
        warnings,
        kind="bad conference links dropped",
    )
    conference_phone = _text(row, "conference_phone", problems)
    has_conference = bool(conference_url or conference_phone)
    attendance, status = _attendance(row, place, has_conference, problems, warnings)

    time_zone = _text(row, "timezone", problems)
    if time_zone and time_zone not in known_time_zones():
        warnings.append(
            ("unknown time zones ignored", f"timezone {time_zone!r} is not an IANA time zone")
        )
        time_zone = ""
    time_zone = (
        time_zone
        or default_time_zone
        or time_zone_of_place(
            where.postal_code, where.state, where.country, where.latitude, where.longitude
        )
    )
    if not time_zone and not problems:
        problems.append(
            "no time zone: the row has no timezone and no ZIP, state or province, or "
            "coordinates that tell; give the import one with --time-zone"
        )

    types = row.get("types") or []
    if isinstance(types, str):
        types = [code for code in re.split(r"[,\s]+", types) if code]
    if not isinstance(types, list) or not all(isinstance(code, str) for code in types):
        warnings.append(("types that are not a list dropped", None))
        types = []

    fellowship = _text(row, "fellowship", problems) or default_fellowship
    if not fellowship:
        problems.append("no fellowship: give --fellowship")
    if problems:
        raise RowProblems(problems)
    if days is None or start is None:
        if days is not None or start is not None:
            alone = "a day without a time" if start is None else "a time without a day"
            warnings.append(
                ("day or time alone: kept as by appointment", f"{alone}: kept as by appointment")
            )
        days, suffixed, start, end = [None], False, None, None

    slugs = [f"{slug}-{day}" for day in days] if suffixed else [slug]
    if any(len(each) > SLUG_MAX_LENGTH for each in slugs):
        raise RowProblems([f"slug is longer than {SLUG_MAX_LENGTH} characters"])
    group_name = _text(row, "group", problems) or (place.name if place else name)
    details = details_of(row, warnings, has_place=bool(place) and attendance != Attendance.ONLINE)
    type_codes = set()
    for code in types:
        known = known_codes.get(clean(code).casefold())
        if known:
            type_codes.add(known)
    return [
        MeetingRow(
            position=position,
            slug=meeting_slug,
            name=name,
            weekday=day,
            start_time=start,
            end_time=end,
            time_zone=time_zone,
            attendance=attendance,
            status=status,
            place=place if attendance != Attendance.ONLINE else None,
            conference_url=conference_url if attendance != Attendance.IN_PERSON else "",
            conference_url_notes=_text(row, "conference_url_notes", problems),
            conference_phone=conference_phone if attendance != Attendance.IN_PERSON else "",
            conference_phone_notes=_text(row, "conference_phone_notes", problems),
            type_codes=tuple(sorted(type_codes)),
            notes=_text(row, "notes", problems),
            group_name=group_name,
            group_notes=_text(row, "group_notes", problems),
            fellowship=fellowship,
            details=details,
        )
        for meeting_slug, day in zip(slugs, days, strict=True)
    ]
