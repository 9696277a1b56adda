"""Postal addresses as feeds write them, and the time zone a place is in; all offline.

``parse_address()`` splits a one-line address ("979 West County Line Road, Hatboro, PA, 19040,
USA"; "100 Queen St W, Toronto, ON M5H 2N2, Canada"; "Springfield") into street, town,
state or province, postal code and country. ``time_zone_of_place()`` finds the IANA zone of a
place from its ZIP code, its state or province, or its coordinates (the nearest US ZIP),
never from the site's own ``TIME_ZONE``.
"""

import math
import re
from dataclasses import dataclass
from functools import cache

import zipcodes

from resources.models import known_time_zones, time_zone_of_postal_code

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
    "GU": "Guam", "VI": "Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip
CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
# The time zone of a state or province named without a ZIP code. Reviewed: only those
# where (nearly) every meeting is in one zone. States split between zones (FL, TX, MI, IN,
# KY, TN, ID, OR, NE, KS, ND, SD, AK, NU) are left out: their ZIP or coordinates decide,
# else the import's --time-zone. Ontario's north-west (Kenora, Dryden, Fort Frances) is
# Central: its postal codes are below.
REGION_TIME_ZONES = {
    ("US", code): zone
    for zone, codes in {
        "America/New_York": "CT DE DC GA ME MD MA NH NJ NY NC OH PA RI SC VT VA WV",
        "America/Chicago": "AL AR IL IA LA MN MS MO OK WI",
        "America/Denver": "CO MT NM UT WY",
        "America/Phoenix": "AZ",
        "America/Los_Angeles": "CA NV WA",
        "Pacific/Honolulu": "HI",
        "America/Puerto_Rico": "PR",
        "America/St_Thomas": "VI",
        "Pacific/Guam": "GU",
    }.items()
    for code in codes.split()
} | {
    ("CA", "ON"): "America/Toronto",
    ("CA", "QC"): "America/Toronto",
    ("CA", "NS"): "America/Halifax",
    ("CA", "PE"): "America/Halifax",
    ("CA", "NB"): "America/Moncton",
    ("CA", "NL"): "America/St_Johns",
    ("CA", "MB"): "America/Winnipeg",
    ("CA", "SK"): "America/Regina",
    ("CA", "AB"): "America/Edmonton",
    ("CA", "BC"): "America/Vancouver",
    ("CA", "YT"): "America/Whitehorse",
    ("CA", "NT"): "America/Edmonton",
}
ONTARIO_CENTRAL = ("P8N", "P8T", "P9A", "P9N", "P0V", "P0W", "P0X")
COUNTRIES = {
    "US": "US",
    "USA": "US",
    "U.S.": "US",
    "U.S.A.": "US",
    "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US",
    "CANADA": "CA",
}
ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
CANADIAN_POSTAL_CODE = re.compile(r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$", re.IGNORECASE)
UNIT = re.compile(
    r"^(?:suite|ste\.?|apt\.?|unit|room|rm\.?|floor|fl\.?|#|bldg\.?|building)\b|^#",
    re.IGNORECASE,
)
STATE_CODES = {**{n.casefold(): c for c, n in US_STATES.items()}}
PROVINCE_CODES = {n.casefold(): c for c, n in CA_PROVINCES.items()}


@dataclass(frozen=True)
class ParsedAddress:
    place_name: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""  # two letters, or "" when the address does not say


def clean(text):
    """Text with no-break spaces as spaces and runs of spaces as one."""
    return re.sub(r"\s+", " ", str(text).replace("\xa0", " ")).strip()


def region_code(text, country=""):
    """("PA", "US") for "pa", "Pennsylvania"; ("ON", "CA") for "Ontario"; None otherwise."""
    key = clean(text).rstrip(".").casefold()
    upper = key.upper()
    if country != "CA" and (upper in US_STATES or key in STATE_CODES):
        return (upper if upper in US_STATES else STATE_CODES[key]), "US"
    if country in ("", "CA") and (upper in CA_PROVINCES or key in PROVINCE_CODES):
        return (upper if upper in CA_PROVINCES else PROVINCE_CODES[key]), "CA"
    return None


def _postal_code(text):
    text = clean(text)
    if ZIP.match(text):
        return text, "US"
    if CANADIAN_POSTAL_CODE.match(text):
        code = text.upper().replace(" ", "")
        return f"{code[:3]} {code[3:]}", "CA"
    return None


def _region_and_code(part, country):
    """(state, postal code, country, town before them) read from the end of ``part``."""
    words = part.split(" ")
    postal = None
    for size in (2, 1):  # "M5H 2N2" is two words
        if len(words) >= size and (postal := _postal_code(" ".join(words[-size:]))):
            words = words[:-size]
            break
    state, found_country = "", ""
    for size in (4, 3, 2, 1):
        if len(words) >= size and (region := region_code(" ".join(words[-size:]), country)):
            # A lone two-word town such as "New York" stays a town unless something follows.
            state, found_country = region
            words = words[:-size]
            break
    if postal is None and not state:
        return None
    postal_code, postal_country = postal or ("", "")
    return state, postal_code, found_country or postal_country, " ".join(words)


def parse_address(formatted):
    """The parts of a one-line address; every part may be ""."""
    parts = [clean(part) for part in str(formatted or "").split(",")]
    parts = [part for part in parts if part]
    country = ""
    if parts and parts[-1].upper() in COUNTRIES:
        country = COUNTRIES[parts.pop().upper()]
    state = postal_code = city = ""
    # From the end: "PA", "19040", "PA 19040", "Hatboro PA 19040", "ON M5H 2N2".
    while parts and not (state and postal_code):
        read = _region_and_code(parts[-1], country)
        if read is None or (read[0] and state) or (read[1] and postal_code):
            break
        parts.pop()
        state, postal_code = state or read[0], postal_code or read[1]
        country = country or read[2]
        if read[3]:
            city = read[3]
            break
    said_more = state or postal_code or len(parts) > 1
    if not city and parts and (said_more or not _street_like(parts[-1])):
        city = parts.pop()
    place_name = ""
    if len(parts) > 1 and not _street_like(parts[0]) and any(map(_street_like, parts[1:])):
        place_name = parts.pop(0)
    return ParsedAddress(
        place_name=place_name,
        street=", ".join(parts),
        city=city,
        state=state,
        postal_code=postal_code,
        country=country,
    )


def _street_like(part):
    return bool(part[:1].isdigit() or UNIT.match(part) or part.upper().startswith("PO BOX"))


def time_zone_of_place(postal_code="", state="", country="", latitude=None, longitude=None):
    """The IANA time zone of a place, from its ZIP, state or province, or coordinates; or ""."""
    country = country or ""
    us_zip = postal_code and country in ("", "US") and ZIP.match(postal_code)
    if us_zip and (zone := time_zone_of_postal_code(postal_code, "US")):
        return zone
    if state:
        region = region_code(state, country)
        if region:
            code, region_country = region
            if (
                code == "ON"
                and postal_code
                and postal_code.upper().replace(" ", "")[:3] in ONTARIO_CENTRAL
            ):
                return "America/Winnipeg"
            if zone := REGION_TIME_ZONES.get((region_country, code)):
                return zone
    if latitude is not None and longitude is not None and country in ("", "US"):
        return time_zone_near(float(latitude), float(longitude))
    return ""


# A place farther than this from every US ZIP gets no time zone from its coordinates.
NEAREST_ZIP_KM = 60


def time_zone_near(latitude, longitude):
    """The time zone of the nearest US ZIP code within NEAREST_ZIP_KM, or ""."""
    grid = _zip_grid()
    best, best_km = "", NEAREST_ZIP_KM
    cell_lat, cell_lon = math.floor(latitude), math.floor(longitude)
    for d_lat in (-1, 0, 1):
        for d_lon in (-1, 0, 1):
            for zip_lat, zip_lon, zone in grid.get((cell_lat + d_lat, cell_lon + d_lon), ()):
                km = _km(latitude, longitude, zip_lat, zip_lon)
                if km < best_km:
                    best, best_km = zone, km
    return best


def _km(lat1, lon1, lat2, lon2):
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371 * math.hypot(x, y)


@cache
def _zip_grid():
    zones = known_time_zones()
    grid = {}
    for entry in zipcodes.list_all():
        zone = entry.get("timezone")
        try:
            lat, lon = float(entry["lat"]), float(entry["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if zone in zones and (lat or lon):
            grid.setdefault((math.floor(lat), math.floor(lon)), []).append((lat, lon, zone))
    return grid
