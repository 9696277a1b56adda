"""Reading a Meeting Guide JSON feed into the rows the shared writer saves (``exchange.rows``).

Every row is checked before anything is written and every problem is reported with its
position. Each feed row becomes one ``MeetingRow`` per day it is held, or a list of problems.
Rules that the feed format leaves open, chosen here:

- ``day`` may be an integer 0–6 (Sunday = 0) or a list of them. A list always makes one
  meeting per day with the slug suffixed ``-<day>`` (``mon-night`` with ``[1, 3]`` gives
  ``mon-night-1`` and ``mon-night-3``), even a list of one day, so a meeting keeps its
  slug when days are added to or removed from the list.
- ``end_time`` before ``time`` by at most six hours past midnight (23:00–00:30) is a
  meeting that crosses midnight, which the directory cannot store: the end is dropped with
  a warning. Any other end not after the start is an error.
- A missing ``timezone`` is taken from the US ZIP code, else the site's ``TIME_ZONE``.
- Unknown type codes are reported (``read_rows``); the meeting imports without them.
- Attendance: a conference link or phone and a place (coordinates) make a hybrid meeting,
  only the link or phone an online one, only the place an in-person one;
  ``attendance_option`` wins when present ("inactive" imports the meeting as no longer
  meeting). There is no geocoding: a meeting held somewhere needs latitude and longitude.
"""

import json
import re
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug

from exchange.rows import FeedError, MeetingRow, PlaceRow
from groups.models import Attendance, Meeting, MeetingStatus, Place
from resources.models import (
    Listing,
    LocationPrecision,
    Term,
    known_time_zones,
    time_zone_of_postal_code,
)
from resources.vocabularies import Vocabulary

TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# A meeting ending this long after midnight, or less, is read as crossing midnight.
MIDNIGHT_GRACE = timedelta(hours=6)
COUNTRY_NAMES = {"USA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US"}
STATE_AND_ZIP = re.compile(r"^([A-Za-z]{2})(?:\s+(\d{5}(?:-\d{4})?))?$")
ATTENDANCE_OPTIONS = {"in_person", "online", "hybrid", "inactive"}
# The column each feed field is stored in, which says how long a value may be.
STORED_IN = {
    "name": (Meeting, "name"),
    "location": (Place, "name"),
    "location_notes": (Place, "notes"),
    "address": (Place, "address_line1"),
    "city": (Place, "city"),
    "state": (Place, "region"),
    "postal_code": (Place, "postal_code"),
    "group": (Listing, "name"),
    "group_notes": (Listing, "summary"),
    "conference_url": (Meeting, "conference_url"),
    "conference_url_notes": (Meeting, "conference_url_notes"),
    "conference_phone": (Meeting, "conference_phone"),
    "conference_phone_notes": (Meeting, "conference_phone_notes"),
}
MAX_LENGTHS = {
    name: model._meta.get_field(field).max_length for name, (model, field) in STORED_IN.items()
}
SLUG_MAX_LENGTH = Meeting._meta.get_field("slug").max_length


def read_feed(text):
    """The parsed feed; a FeedError unless it is JSON."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FeedError([f"The feed is not valid JSON: {error}"]) from error


def read_rows(data, job, default_fellowship):
    """The valid meetings of the feed list ``data``, in feed order.

    Problems go to ``job.report.skipped``, warnings and unknown type codes to the report too;
    the slugs of skipped rows to ``job.kept_slugs`` (their meetings stay as they are).
    """
    report = job.report
    known_codes = set(
        Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", flat=True)
    )
    rows, first_position = [], {}
    for position, row in enumerate(data, start=1):
        where = describe(position, row)
        warnings = []
        try:
            meetings = parse_row(position, row, default_fellowship, known_codes, warnings)
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
        report.warnings += [f"{where}: {warning}" for warning in warnings]
        for code in row.get("types") or []:
            if code not in known_codes:
                report.unknown_types.setdefault(code, []).append(position)
        for meeting in meetings:
            first_position[meeting.slug] = position
        rows += meetings
    return rows


class RowProblems(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def describe(position, row):
    slug = row.get("slug") if isinstance(row, dict) else None
    if isinstance(slug, str | int) and str(slug).strip():
        return f"row {position} (slug '{slug}')"
    return f"row {position}"


def _text(row, field, problems):
    value = row.get(field)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(f"{field} must be text")
        return ""
    value = value.strip()
    limit = MAX_LENGTHS.get(field)
    if limit and len(value) > limit:
        problems.append(f"{field} is longer than {limit} characters")
    return value


def _time(value, field, problems):
    if not isinstance(value, str) or not TIME.match(value.strip()):
        problems.append(f"{field} {value!r} is not a time from 00:00 to 23:59")
        return None
    hours, minutes = TIME.match(value.strip()).groups()
    return time(int(hours), int(minutes))


def _days(value, problems):
    def valid(day):
        return isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6

    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, list):
        bad = [day for day in value if not valid(day)]
        if not value or bad:
            problems.append(f"day {value!r} must list days 0–6 (Sunday is 0)")
            return None, False
        return sorted(set(value)), True
    if value is None:
        problems.append("day is missing")
        return None, False
    if not valid(value):
        problems.append(f"day {value!r} is not 0–6 (Sunday is 0)")
        return None, False
    return [value], False


def _coordinate(row, field, limit, problems):
    value = row.get(field)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{field} {value!r} is not a number")
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        problems.append(f"{field} {value!r} is out of range")
        return None
    return number.quantize(Decimal("0.000001"))


def _country(value, problems):
    value = (value or "US").strip().upper()
    value = COUNTRY_NAMES.get(value, value)
    if not re.fullmatch(r"[A-Z]{2}", value):
        problems.append(f"country {value!r} is not a two-letter code")
        return "US"
    return value


def split_formatted_address(formatted):
    """Best effort: "123 Main St, Anytown, OK 12345, USA" → (street, city, state, ZIP)."""
    parts = [part.strip() for part in formatted.split(",") if part.strip()]
    if parts and (parts[-1].upper() in COUNTRY_NAMES or parts[-1].upper() == "US"):
        parts.pop()
    state = postal_code = ""
    if parts and (match := STATE_AND_ZIP.match(parts[-1])):
        state, postal_code = match.group(1).upper(), match.group(2) or ""
        parts.pop()
    city = parts.pop() if parts else ""
    return ", ".join(parts), city, state, postal_code


def _place(row, problems):
    location = _text(row, "location", problems)
    street = _text(row, "address", problems)
    city = _text(row, "city", problems)
    state = _text(row, "state", problems)
    postal_code = _text(row, "postal_code", problems)
    formatted = _text(row, "formatted_address", problems)
    latitude = _coordinate(row, "latitude", 90, problems)
    longitude = _coordinate(row, "longitude", 180, problems)
    if formatted and not (street or city):
        street, city, formatted_state, formatted_zip = split_formatted_address(formatted)
        state, postal_code = state or formatted_state, postal_code or formatted_zip
    city = city or _text(row, "region", problems)
    if formatted and (len(street) > MAX_LENGTHS["address"] or len(city) > MAX_LENGTHS["city"]):
        problems.append("formatted_address has a street or city longer than the columns take")
    has_address = bool(street or formatted or latitude is not None or longitude is not None)
    if not has_address:
        return None
    if latitude is None or longitude is None:
        problems.append("a meeting held somewhere needs latitude and longitude")
        return None
    approximate = row.get("approximate")
    approximate = approximate is True or str(approximate).strip().lower() in ("yes", "true", "1")
    return PlaceRow(
        name=location or street or city,
        address_line1="" if approximate else street,
        city=city,
        region=state,
        postal_code="" if approximate else postal_code,
        country=_country(row.get("country"), problems),
        latitude=latitude,
        longitude=longitude,
        location_precision=(
            LocationPrecision.APPROXIMATE if approximate else LocationPrecision.EXACT
        ),
        notes=_text(row, "location_notes", problems),
    )


def _attendance(row, place, has_conference, problems):
    option = row.get("attendance_option")
    status = MeetingStatus.ACTIVE
    if option in (None, "", "inactive"):
        status = MeetingStatus.INACTIVE if option == "inactive" else MeetingStatus.ACTIVE
        if place and has_conference:
            return Attendance.HYBRID, status
        if has_conference:
            return Attendance.ONLINE, status
        if place:
            return Attendance.IN_PERSON, status
        problems.append("a meeting needs a place with coordinates or a conference link or phone")
        return None, status
    if option not in ATTENDANCE_OPTIONS:
        problems.append(f"attendance_option {option!r} is not one of in_person, online, hybrid")
        return None, status
    if option in ("online", "hybrid") and not has_conference:
        problems.append(f"an {option} meeting needs a conference_url or conference_phone")
    if option in ("in_person", "hybrid") and not place:
        problems.append(f"an {option.replace('_', '-')} meeting needs a place with coordinates")
    return Attendance(option), status


def parse_row(position, row, default_fellowship, known_codes, warnings):
    """The meetings of one feed row (one per day), or ``RowProblems`` with every problem."""
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
    start = _time(row.get("time"), "time", problems)
    end = None
    if row.get("end_time") not in (None, ""):
        end = _time(row.get("end_time"), "end_time", problems)
    if start and end and end <= start:
        crossing = datetime.combine(datetime.min, end) + timedelta(days=1)
        if end != start and crossing - datetime.combine(datetime.min, start) <= MIDNIGHT_GRACE:
            warnings.append(f"end_time {end:%H:%M} is after midnight: the end time is left out")
        else:
            problems.append(f"end_time {end:%H:%M} is not after time {start:%H:%M}")
        end = None

    place = _place(row, problems)
    conference_url = _text(row, "conference_url", problems)
    if conference_url:
        try:
            URLValidator(schemes=["http", "https"])(conference_url)
        except ValidationError:
            problems.append(f"conference_url {conference_url!r} is not a web address")
    conference_phone = _text(row, "conference_phone", problems)
    attendance, status = _attendance(row, place, bool(conference_url or conference_phone), problems)

    time_zone = _text(row, "timezone", problems)
    if time_zone and time_zone not in known_time_zones():
        problems.append(f"timezone {time_zone!r} is not an IANA time zone name")
    elif not time_zone:
        postal_code = _text(row, "postal_code", problems) or (place.postal_code if place else "")
        country = place.country if place else "US"
        time_zone = time_zone_of_postal_code(postal_code, country) or settings.TIME_ZONE

    types = row.get("types") or []
    if not isinstance(types, list) or not all(isinstance(code, str) for code in types):
        problems.append("types must be a list of codes")
        types = []

    fellowship = _text(row, "fellowship", problems) or default_fellowship
    if not fellowship:
        problems.append("no fellowship: give --fellowship")
    if problems:
        raise RowProblems(problems)

    slugs = [f"{slug}-{day}" for day in days] if suffixed else [slug]
    if any(len(each) > SLUG_MAX_LENGTH for each in slugs):
        raise RowProblems([f"slug is longer than {SLUG_MAX_LENGTH} characters"])
    group_name = _text(row, "group", problems) or (place.name if place else name)
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
            type_codes=tuple(sorted({code for code in types if code in known_codes})),
            notes=_text(row, "notes", problems),
            group_name=group_name,
            group_notes=_text(row, "group_notes", problems),
            fellowship=fellowship,
        )
        for meeting_slug, day in zip(slugs, days, strict=True)
    ]
