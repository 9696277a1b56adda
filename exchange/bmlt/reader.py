"""Reading a BMLT root server's semantic JSON into the rows the shared writer saves.

BMLT (Basic Meeting List Toolbox) is what most NA areas and regions publish their meetings
with; ``client_interface/json/?switcher=GetSearchResults`` returns a JSON array of meeting
objects whose values are all strings (``exchange/data/bmlt/README.md`` describes them).
Rules chosen here:

- The slug is ``bmlt-<id_bigint>``; a row with ``published`` "0" is skipped (servers only
  return published ones unless asked).
- ``weekday_tinyint`` 1–7 with Sunday = 1 becomes our 0–6 with Sunday = 0.
- ``end = start_time + duration_time``; an end past midnight is left out with a warning
  (``Meeting.end_time > start_time`` is a database constraint), as the Meeting Guide reader
  does, and a zero or empty duration leaves the end out.
- ``venue_type`` 1 in person, 2 virtual, 3 hybrid gives the attendance when the row has what
  it needs (coordinates for a place, a link or phone for online); otherwise, and on legacy
  rows without it, the attendance comes from what the row has.
- Virtual meetings often carry the server's default centre as coordinates: those are dropped,
  and a virtual meeting's coordinates never give its time zone.
- ``formats`` keys become Meeting Guide type codes through ``FORMAT_TYPES``; keys that are
  attendance (VM, HY, TC) are known and give no type; other keys are reported as unknown.
- Time zone: the row's ``time_zone``, else the import's, else the place's (ZIP, state or
  province, coordinates: ``exchange.addresses``), else the row is refused.
- Service bodies (``service_body_bigint``) are not stored yet: ``MeetingRow`` has no region.
"""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from exchange.addresses import COUNTRIES, clean, region_code, time_zone_of_place
from exchange.meeting_guide.reader import MAX_LENGTHS, read_feed
from exchange.rows import FeedError, MeetingRow, PlaceRow
from groups.models import Attendance, MeetingStatus
from resources.models import LocationPrecision, Term, known_time_zones
from resources.vocabularies import Vocabulary

__all__ = ["FORMAT_TYPES", "FeedError", "read_feed", "read_rows", "meetings_of"]

# BMLT format key (NA's stock English keys, matched without case) → Meeting Guide type code.
# Reviewed: in BMLT "B" is Beginners (Meeting Guide's "B" is Big Book), so it maps to BE
# (Newcomer); NA's literature studies (Basic Text, It Works, Just for Today, Living Clean,
# Step Working Guides) are Meeting Guide's LIT, which has no Basic Text code.
FORMAT_TYPES = {
    "O": "O",
    "C": "C",
    "B": "BE",
    "BT": "LIT",
    "IW": "LIT",
    "JT": "LIT",
    "LC": "LIT",
    "SG": "LIT",
    "LIT": "LIT",
    "ST": "ST",
    "12X12": "ST",
    "TR": "TR",
    "W": "W",
    "M": "M",
    "Y": "Y",
    "YP": "Y",
    "SP": "SP",
    "SO": "SP",
    "D": "D",
    "ES": "S",
    "SPANISH": "S",
    "WC": "X",
    "CL": "CAN",
    "SL": "ASL",
    "ASL": "ASL",
}
# Keys that say how people attend, which venue_type and the links already give.
ATTENDANCE_FORMATS = {"VM", "HY", "TC"}
VENUE_TYPES = {"1": Attendance.IN_PERSON, "2": Attendance.ONLINE, "3": Attendance.HYBRID}
# BMLT's default map centre, which virtual meetings often keep as their coordinates.
DEFAULT_CENTRE = (Decimal("34.235918"), Decimal("-118.563659"))
HMS = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


class RowProblems(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def meetings_of(data):
    """The meeting list of a response: a bare array, or ``{"meetings": [...], ...}``."""
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        return data["meetings"]
    if isinstance(data, list):
        return data
    raise FeedError(
        ["A BMLT response must be a JSON list of meetings (switcher=GetSearchResults)."]
    )


def read_rows(data, job, fellowship, default_time_zone=""):
    """The valid meetings of the BMLT list ``data``, in order, as ``MeetingRow`` s.

    Problems go to ``job.report.skipped``, warnings to the report counted by kind, unknown
    format keys to ``job.report.unknown_types``; the slugs of refused rows to
    ``job.kept_slugs`` so their meetings stay as they are.
    """
    report = job.report
    known_codes = set(
        Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", flat=True)
    )
    rows, seen = [], {}
    for position, row in enumerate(data, start=1):
        where = f"row {position}"
        if isinstance(row, dict) and str(row.get("id_bigint", "")).strip():
            where = f"row {position} (id {str(row['id_bigint']).strip()})"
        warnings, unknown = [], []
        try:
            if isinstance(row, dict) and str(row.get("published", "1")).strip() == "0":
                report.warning_counts["unpublished meetings skipped"] += 1
                continue
            meeting = parse_row(
                position, row, fellowship, known_codes, warnings, unknown, default_time_zone
            )
            if meeting.slug in seen:
                raise RowProblems([f"id is already used by row {seen[meeting.slug]}"])
        except RowProblems as error:
            report.skipped += [f"{where}: {problem}" for problem in error.problems]
            if isinstance(row, dict) and str(row.get("id_bigint", "")).strip():
                job.kept_slugs.add(f"bmlt-{str(row['id_bigint']).strip()}")
            continue
        for kind, detail in warnings:
            report.warning_counts[kind] += 1
            if detail:
                report.warnings.append(f"{where}: {detail}")
        for key in unknown:
            report.unknown_types.setdefault(key, []).append(position)
            report.warning_counts["unknown format keys left out"] += 1
        seen[meeting.slug] = position
        rows.append(meeting)
    return rows


def _text(row, field, problems, column=None):
    value = row.get(field)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(f"{field} must be text")
        return ""
    value = value.replace("\xa0", " ").strip()
    limit = MAX_LENGTHS.get(column)
    if limit and len(value) > limit:
        problems.append(f"{field} is longer than {limit} characters")
    return value


def _hms(value):
    match = HMS.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours), int(minutes), int(seconds or 0)


def _coordinate(row, field, limit, warnings):
    value = _text(row, field, [])
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        warnings.append(("bad coordinates dropped", f"{field} {value!r} is not a number"))
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        warnings.append(("bad coordinates dropped", f"{field} {value!r} is out of range"))
        return None
    return number.quantize(Decimal("0.000001"))


def _coordinates(row, warnings):
    latitude = _coordinate(row, "latitude", 90, warnings)
    longitude = _coordinate(row, "longitude", 180, warnings)
    if latitude is None or longitude is None or (latitude, longitude) == (0, 0):
        return None, None
    if (latitude, longitude) == DEFAULT_CENTRE:
        warnings.append(("placeholder coordinates dropped", None))
        return None, None
    return latitude, longitude


def _country(value, warnings):
    if not value:
        return ""
    text = clean(value).upper()
    code = COUNTRIES.get(text, text)
    if not re.fullmatch(r"[A-Z]{2}", code):
        warnings.append(("unknown countries dropped", f"location_nation {value!r} is not known"))
        return ""
    return code


def _types(row, known_codes, unknown):
    codes = set()
    for key in str(row.get("formats") or "").split(","):
        key = clean(key)
        if not key or key.upper() in ATTENDANCE_FORMATS:
            continue
        code = FORMAT_TYPES.get(key.upper())
        if code and code in known_codes:
            codes.add(code)
        else:
            unknown.append(key)
    return tuple(sorted(codes))


def _end(start, duration, warnings):
    if not duration or duration == (0, 0, 0):
        return None
    begin = datetime.combine(datetime.min, start)
    end = begin + timedelta(hours=duration[0], minutes=duration[1])
    if end.date() != begin.date():
        warnings.append(
            (
                "end times after midnight dropped (not stored yet)",
                f"the meeting ends after midnight ({end:%H:%M}): the end time is left out",
            )
        )
        return None
    return end.time()


def parse_row(position, row, fellowship, known_codes, warnings, unknown, default_time_zone=""):
    """The meeting of one BMLT row, or ``RowProblems`` with every problem."""
    if not isinstance(row, dict):
        raise RowProblems(["is not a JSON object"])
    problems = []
    ident = _text(row, "id_bigint", problems)
    if not ident.isdigit():
        problems.append("id_bigint is missing or not a number")
    name = _text(row, "meeting_name", problems, "name")
    if not name:
        problems.append("meeting_name is missing")
    weekday = _text(row, "weekday_tinyint", problems)
    if weekday not in {"1", "2", "3", "4", "5", "6", "7"}:
        problems.append(f"weekday_tinyint {weekday!r} is not 1–7 (Sunday is 1)")
    start = _hms(row.get("start_time"))
    if start is None:
        problems.append(f"start_time {row.get('start_time')!r} is not a time HH:MM:SS")
    duration = _hms(row.get("duration_time")) if row.get("duration_time") else None
    if row.get("duration_time") and duration is None:
        warnings.append(("bad durations dropped", f"duration_time {row['duration_time']!r}"))

    street = _text(row, "location_street", problems, "address")
    city = _text(row, "location_municipality", problems, "city")
    state = _text(row, "location_province", problems, "state")
    postal_code = _text(row, "location_postal_code_1", problems, "postal_code")
    country = _country(_text(row, "location_nation", problems), warnings)
    if state and (region := region_code(state, country)):
        state, country = region[0], country or region[1]
    country = country or "US"
    venue = VENUE_TYPES.get(_text(row, "venue_type", problems))
    latitude, longitude = _coordinates(row, warnings)
    if venue == Attendance.ONLINE:
        latitude = longitude = None
    place = None
    if latitude is not None:
        place = PlaceRow(
            name=_text(row, "location_text", problems, "location") or street or city,
            address_line1=street,
            city=city,
            region=state,
            postal_code=postal_code,
            country=country,
            latitude=latitude,
            longitude=longitude,
            location_precision=LocationPrecision.EXACT,
            notes=_text(row, "location_info", problems, "location_notes"),
        )
    elif street and venue != Attendance.ONLINE:
        warnings.append(
            (
                "addresses without coordinates left out (not stored yet)",
                "the address has no latitude and longitude: left out",
            )
        )

    link = _text(row, "virtual_meeting_link", problems, "conference_url")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            warnings.append(
                ("bad conference links dropped", f"virtual_meeting_link {link!r} is not a link")
            )
            link = ""
    phone = _text(row, "phone_meeting_number", problems, "conference_phone")
    online = bool(link or phone)
    if place and online:
        attendance = venue if venue in (Attendance.HYBRID, Attendance.IN_PERSON) else None
        attendance = attendance or Attendance.HYBRID
    elif online:
        attendance = Attendance.ONLINE
    elif place:
        attendance = Attendance.IN_PERSON
    else:
        attendance = None
        problems.append(
            "a meeting needs an address with latitude and longitude, or a link or phone"
        )
    if venue and attendance and venue != attendance:
        warnings.append(
            (
                "venue types that do not fit ignored",
                f"venue_type says {venue.label.lower()}, the row is {attendance.label.lower()}",
            )
        )

    time_zone = _text(row, "time_zone", problems)
    if time_zone and time_zone not in known_time_zones():
        warnings.append(("unknown time zones ignored", f"time_zone {time_zone!r} is not known"))
        time_zone = ""
    time_zone = (
        time_zone
        or default_time_zone
        or time_zone_of_place(postal_code, state, country, latitude, longitude)
    )
    if not time_zone and not problems:
        problems.append(
            "no time zone: the row has no time_zone and no ZIP, state or province, or "
            "coordinates that tell; give the import one with --time-zone"
        )
    url_notes = _text(row, "virtual_meeting_additional_info", problems, "conference_url_notes")
    notes = _text(row, "comments", problems)
    if problems:
        raise RowProblems(problems)

    start_time = time(start[0], start[1])
    return MeetingRow(
        position=position,
        slug=f"bmlt-{ident}",
        name=name,
        weekday=int(weekday) - 1,
        start_time=start_time,
        end_time=_end(start_time, duration, warnings),
        time_zone=time_zone,
        attendance=attendance,
        status=MeetingStatus.ACTIVE,
        place=place if attendance != Attendance.ONLINE else None,
        conference_url=link if attendance != Attendance.IN_PERSON else "",
        conference_url_notes=url_notes if attendance != Attendance.IN_PERSON else "",
        conference_phone=phone if attendance != Attendance.IN_PERSON else "",
        conference_phone_notes="",
        type_codes=_types(row, known_codes, unknown),
        notes=notes,
        group_name=name,
        group_notes="",
        fellowship=fellowship,
    )
