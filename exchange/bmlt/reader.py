"""Reading a BMLT root server's semantic JSON into the rows the shared writer saves.

BMLT (Basic Meeting List Toolbox) is what most NA areas and regions publish their meetings
with; ``client_interface/json/?switcher=GetSearchResults`` returns a JSON array of meeting
objects whose values are all strings (``exchange/data/bmlt/README.md`` describes them).
Rules chosen here:

- The slug is ``bmlt-<id_bigint>``; a row with ``published`` "0" is skipped (servers only
  return published ones unless asked).
- ``weekday_tinyint`` 1–7 with Sunday = 1 becomes our 0–6 with Sunday = 0.
- ``end = start_time + duration_time``, kept when it is past midnight (23:30 for 1 hour
  ends at 00:30, the next day, as ``Meeting.end_time`` allows); a zero or empty duration, or
  one of 12 hours or more, leaves the end out.
- ``venue_type`` 1 in person, 2 virtual, 3 hybrid gives the attendance when the row has what
  it needs (coordinates for a place, a link or phone for online); otherwise, and on legacy
  rows without it, the attendance comes from what the row has.
- Virtual meetings often carry the server's default centre as coordinates: those are dropped,
  and a virtual meeting's coordinates never give its time zone.
- Formats are matched on their ``world_id`` (NAWS's code, the same on every server) through
  ``WORLD_TYPES`` when the response carries its formats (``get_used_formats=1`` gives
  ``{"meetings": [...], "formats": [...]}``), else on the row's ``formats`` keys through
  ``FORMAT_TYPES`` (keys differ from server to server and language to language). Formats
  that are attendance (VM, HY/HYBR, TC) are known and give no type; others are reported
  as unknown.
- Time zone: the row's ``time_zone``, else the import's, else the place's (ZIP, state or
  province, coordinates: ``exchange.addresses``), else the row is refused.
- The service body (``service_body_name``, servers 4.0 and later) is the meeting's region, as
  BMLT's own Meeting Guide output has it; a row without the name has none.
"""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

from exchange.addresses import clean, region_code, time_zone_of_place
from exchange.reading import (
    RowProblems,
    coordinate,
    country_code,
    read_feed,
    text,
    web_address,
)
from exchange.rows import FeedError, MeetingDetails, MeetingRow, PlaceRow
from groups.models import Attendance, MeetingStatus
from groups.schedule import MIDNIGHT_SPAN
from resources.models import LocationPrecision, Term, known_time_zones
from resources.vocabularies import Vocabulary

__all__ = [
    "FORMAT_TYPES",
    "WORLD_TYPES",
    "FeedError",
    "read_feed",
    "read_rows",
    "meetings_of",
    "formats_of",
]

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
# NAWS world ids (GetFormats ``world_id``, the same on every server) → Meeting Guide type
# code. Reviewed as FORMAT_TYPES; NAWS's literature studies are Meeting Guide's LIT.
WORLD_TYPES = {
    "OPEN": "O",
    "CLOSED": "C",
    "BEG": "BE",
    "SPK": "SP",
    "DISC": "D",
    "STEP": "ST",
    "TRAD": "TR",
    "LIT": "LIT",
    "BT": "LIT",
    "IW": "LIT",
    "JFT": "LIT",
    "LC": "LIT",
    "SWG": "LIT",
    "GP": "LIT",
    "SPAD": "LIT",
    "WCHR": "X",
    "W": "W",
    "M": "M",
    "Y": "Y",
    "GL": "LGBTQ",
    "CAN": "CAN",
    "SMOK": "SM",
    "CW": "CF",
    "MED": "MED",
}
# Keys (and world ids) that say how people attend, which venue_type and the links give.
ATTENDANCE_FORMATS = {"VM", "HY", "HYBR", "TC"}
VENUE_TYPES = {"1": Attendance.IN_PERSON, "2": Attendance.ONLINE, "3": Attendance.HYBRID}
# BMLT's default map centre, which virtual meetings often keep as their coordinates.
DEFAULT_CENTRE = (Decimal("34.235918"), Decimal("-118.563659"))
HMS = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def meetings_of(data):
    """The meeting list of a response: a bare array, or ``{"meetings": [...], ...}``."""
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        return data["meetings"]
    if isinstance(data, list):
        return data
    raise FeedError(
        ["A BMLT response must be a JSON list of meetings (switcher=GetSearchResults)."]
    )


def formats_of(data):
    """{key string or format id: world id} of the formats a response carries with its
    meetings (``get_used_formats=1``); {} for a bare list of meetings."""
    formats = data.get("formats") if isinstance(data, dict) else None
    world_ids = {}
    for each in formats if isinstance(formats, list) else []:
        if not isinstance(each, dict) or not isinstance(each.get("world_id"), str):
            continue
        world_id = clean(each["world_id"]).upper()
        if world_id and isinstance(each.get("key_string"), str):
            world_ids[clean(each["key_string"]).upper()] = world_id
        if world_id and str(each.get("id", "")).strip():
            world_ids[f"#{str(each['id']).strip()}"] = world_id
    return world_ids


def read_rows(data, job, fellowship, default_time_zone="", world_ids=None):
    """The valid meetings of the BMLT list ``data``, in order, as ``MeetingRow`` s.

    Problems go to ``job.report.skipped``, warnings to the report counted by kind, unknown
    format keys to ``job.report.unknown_types``; the slugs of refused rows to
    ``job.kept_slugs`` so their meetings stay as they are. ``world_ids`` is what
    ``formats_of`` gives, to match formats on their world id.
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
                position,
                row,
                fellowship,
                (known_codes, world_ids or {}),
                warnings,
                unknown,
                default_time_zone,
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
    return text(row, field, problems, column or "")


def _hms(value):
    match = HMS.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours), int(minutes), int(seconds or 0)


def _coordinates(row, warnings):
    latitude = coordinate(_text(row, "latitude", []), "latitude", 90, warnings)
    longitude = coordinate(_text(row, "longitude", []), "longitude", 180, warnings)
    if latitude is None or longitude is None or (latitude, longitude) == (0, 0):
        return None, None
    if (latitude, longitude) == DEFAULT_CENTRE:
        warnings.append(("placeholder coordinates dropped", None))
        return None, None
    return latitude, longitude


def _types(row, codes, unknown):
    """The Meeting Guide codes of the row's formats: by world id when the response gave
    them (``codes`` is (known codes, ``formats_of``)), else by key."""
    known_codes, world_ids = codes
    keys = [clean(key) for key in str(row.get("formats") or "").split(",")]
    ids = [f"#{clean(each)}" for each in str(row.get("format_shared_id_list") or "").split(",")]
    found = set()
    for key in filter(None, keys):
        world_id = world_ids.get(key.upper(), "")
        if key.upper() in ATTENDANCE_FORMATS or world_id in ATTENDANCE_FORMATS:
            continue
        code = WORLD_TYPES.get(world_id) or FORMAT_TYPES.get(key.upper())
        if code and code in known_codes:
            found.add(code)
        else:
            unknown.append(key)
    # Formats named only by their id (a server that leaves the keys out).
    for each in ids:
        code = WORLD_TYPES.get(world_ids.get(each, ""))
        if code in known_codes:
            found.add(code)
    return tuple(sorted(found))


def _end(start, duration, warnings):
    """Start plus duration; past midnight it is the next day (23:30 + 1 h ends at 00:30)."""
    length = timedelta(hours=duration[0], minutes=duration[1]) if duration else None
    if not length:
        return None
    if length >= MIDNIGHT_SPAN:
        warnings.append(
            ("end times dropped", f"the meeting lasts {duration[0]} hours: the end is left out")
        )
        return None
    return (datetime.combine(datetime.min, start) + length).time()


def parse_row(position, row, fellowship, codes, warnings, unknown, default_time_zone=""):
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
    country = country_code(_text(row, "location_nation", problems), "location_nation", warnings)
    if state and (region := region_code(state, country)):
        state, country = region[0], country or region[1]
    country = country or "US"
    venue = VENUE_TYPES.get(_text(row, "venue_type", problems))
    latitude, longitude = _coordinates(row, warnings)
    if venue == Attendance.ONLINE:
        latitude = longitude = None
    location_notes = _text(row, "location_info", problems, "location_notes")
    place = None
    # A street address without coordinates is listed by its address, not on a map.
    if latitude is not None or (street and venue != Attendance.ONLINE):
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
            notes=location_notes,
        )

    link = web_address(
        _text(row, "virtual_meeting_link", problems, "conference_url"),
        "virtual_meeting_link",
        warnings,
        kind="bad conference links dropped",
    )
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
        problems.append("a meeting needs a street address or coordinates, or a link or phone")
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
        type_codes=_types(row, codes, unknown),
        notes=notes,
        group_name=name,
        group_notes="",
        fellowship=fellowship,
        details=MeetingDetails(
            regions=tuple(filter(None, [_text(row, "service_body_name", [])[:200]])),
            location_notes=location_notes if attendance == Attendance.ONLINE else "",
        ),
    )
