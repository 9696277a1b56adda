"""Where a visitor is: a place typed (or sent by the browser) turned into coordinates.

Privacy comes first: a visitor's place is turned into coordinates here, in-process,
from the offline ZIP table of the ``zipcodes`` package. Nothing is sent to another
host, nothing is logged, and ``resolve_near`` is deliberately not memoised, so no
visitor's input stays in memory either; only the town index built from the table is.

What ``resolve_near`` understands, tried in this order:

* coordinates, "41.92,-87.65", as the "Use my location" button sends them; they are
  rounded to 2 decimals (about 1 km) before anything else sees them, and their state is
  guessed from the nearest ZIP within 30 miles ("" at sea or abroad);
* a ZIP code, "60614", "60614-1234", or one at the end of "Chicago, IL 60614";
* a town and state, "Chicago, IL", "chicago il", "Saint Paul, Minnesota", "St. Paul MN";
  a town's centre is the mean of its active standard ZIP centroids;
* a state alone, "Ohio": its namesake town if it has one ("New York"), else refused with
  its largest towns as suggestions; never a namesake elsewhere (Ohio, IL);
* a bare town name, when exactly one state has a town of that name. A name found in
  several states ("Denver") is refused with those towns as suggestions, largest first
  (by number of ZIP codes, the table's only measure of size): guessing the state would
  silently send someone to the wrong one.
"""

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import zipcodes
from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 100
MAX_SUGGESTIONS = 5
COORDINATE_DECIMALS = 2

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip

# Spellings that name the same place: "St. Paul" and "Saint Paul", "Mt" and "Mount".
_WORD_FORMS = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt", "&": "and"}
_COUNTRY_SUFFIX = re.compile(r"[\s,]+(?:u\.?s\.?a?\.?|united states(?: of america)?)$", re.I)
_COORDINATES = re.compile(r"([+-]?\d{1,3}(?:\.\d+)?)\s*,\s*([+-]?\d{1,3}(?:\.\d+)?)")
_ZIP = re.compile(r"(?:.*?[\s,]+)?(\d{5})(?:[-\s]?\d{4})?")


class PlaceNotFound(ValueError):
    """Raised with a message to show the visitor and up to 5 "City, ST" suggestions."""

    def __init__(self, message, suggestions=()):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class Location:
    label: str
    latitude: float
    longitude: float
    region: str = ""

    def __str__(self):
        return self.label


@dataclass(frozen=True, slots=True)
class _Town:
    name: str
    state: str
    latitude: float
    longitude: float
    zip_count: int

    @property
    def label(self):
        return f"{self.name}, {self.state}"


def round_coordinates(latitude, longitude):
    """Coordinates rounded to 2 decimals, about 1 km: enough to search, too coarse to track."""
    return round(float(latitude), COORDINATE_DECIMALS), round(float(longitude), COORDINATE_DECIMALS)


def parse_coordinates(text):
    """(latitude, longitude) rounded, from "41.92,-87.65"; None if the text is not a pair.

    Raises PlaceNotFound for a pair outside the globe, such as "91,0".
    """
    match = _COORDINATES.fullmatch(text.strip())
    if not match:
        return None
    latitude, longitude = (float(part) for part in match.groups())
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise PlaceNotFound(
            _(
                "Those coordinates are not on the map: latitude goes from -90 to 90 "
                "and longitude from -180 to 180."
            )
        )
    return round_coordinates(latitude, longitude)


def resolve_near(text):
    """The Location a visitor typed, None for blank input; raises PlaceNotFound otherwise."""
    if text is None or not str(text).strip():
        return None
    text = str(text)
    if len(text) > MAX_QUERY_LENGTH:
        raise PlaceNotFound(
            _(
                "That is too long to be a place. "
                "Try a 5-digit ZIP code or a city and state, like Chicago, IL."
            )
        )
    shown = _printable(text)
    coordinates = parse_coordinates(shown)
    if coordinates:
        latitude, longitude = coordinates
        return Location(_("your location"), latitude, longitude, _state_near(*coordinates))
    zip_match = _ZIP.fullmatch(shown)
    if zip_match:
        return _resolve_zip(zip_match.group(1))
    return _resolve_town(shown)


def names_a_place(text):
    """True when ``text`` reads as a town (in its state, or in any state) or a state.

    Read from the index ``resolve_near`` reads, as it reads it, but without its answer to
    a miss: close spellings take it half a second, and most words after "in" are no place
    (directory/understanding.py asks this of the words after "in").
    """
    if _state_code(text):
        return True
    for town, state in _readings(_printable(text)):
        # A state that is none ("") makes the reading no place.
        key = _key(town)
        if (key, state) in _towns() if state is not None else key in _towns_by_key():
            return True
    return False


def warm_up():
    """Build the town and ZIP indexes now (about a second) instead of in a visitor's request.

    For a server start-up hook such as gunicorn's ``post_worker_init``.
    """
    _towns_by_key()
    _keys_by_state()
    _zip_index()


# Resolving places ---------------------------------------------------------------------


def _printable(text):
    """The text without control or unpaired surrogate characters, spaces collapsed."""
    kept = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(kept.split())


def _words(text):
    """Lower-case ASCII words: "Coeur d’Alène" → ["coeur", "dalene"]."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`]", "", text)
    return re.findall(r"[a-z0-9&]+", text)


def _key(text):
    """A town name's key: words joined, so "O Fallon", "O'Fallon" and "OFallon" agree."""
    return "".join(_WORD_FORMS.get(word, word) for word in _words(text))


def _state_code(text):
    """ "IL", "il" or "Illinois" → "IL"; None for anything else."""
    key = "".join(_words(text))
    if key.upper() in STATES:
        return key.upper()
    return _state_names().get(key)


@cache
def _state_names():
    return {"".join(_words(name)): code for code, name in STATES.items()}


def _is_civilian(record):
    """Military APO/FPO/DPO codes, wherever the table files them, are no place to search."""
    return record["zip_code_type"] != "MILITARY" and record["city"] not in ("Apo", "Fpo", "Dpo")


def _coordinates(record):
    """A ZIP record's (latitude, longitude), or None: the table writes "unknown" as 0, 0."""
    latitude, longitude = float(record["lat"]), float(record["long"])
    if latitude == longitude == 0:
        return None
    return latitude, longitude


class _Zip(NamedTuple):
    city: str
    latitude: float
    longitude: float
    active: bool
    standard: bool


@cache
def _towns():
    """{(key, state): _Town}, each town placed at the mean of its best ZIP centroids.

    Active standard ZIPs are the town's streets; a town with none (only P.O. boxes, or
    only retired codes) falls back to its active ZIPs, then to any of its ZIPs. ZIPs
    without coordinates are left out, and so is a town that has no others.

    The package's 42k dicts are read once and dropped: kept alive in every web process
    they would lengthen each full garbage collection by a noticeable pause.
    ``filter_by()`` with no filter returns them without pinning them in its own cache.
    """
    keys = {}  # 19k distinct town names; each is normalised once
    groups = defaultdict(list)
    for record in zipcodes.filter_by():
        coordinates = _coordinates(record)
        if coordinates is None or not _is_civilian(record):
            continue
        city = record["city"]
        key = keys.get(city)
        if key is None:
            key = keys[city] = _key(city)
        groups[key, record["state"]].append(
            _Zip(city, *coordinates, record["active"], record["zip_code_type"] == "STANDARD")
        )
    towns = {}
    for (key, state), zips in groups.items():
        best = [z for z in zips if z.active and z.standard] or [z for z in zips if z.active] or zips
        towns[key, state] = _Town(
            name=Counter(z.city for z in zips).most_common(1)[0][0],
            state=state,
            latitude=round(math.fsum(z.latitude for z in best) / len(best), 6),
            longitude=round(math.fsum(z.longitude for z in best) / len(best), 6),
            zip_count=len(zips),
        )
    return towns


@cache
def _towns_by_key():
    """{key: [_Town, …]} across states, largest town first."""
    by_key = defaultdict(list)
    for (key, _state), town in _towns().items():
        by_key[key].append(town)
    for towns in by_key.values():
        towns.sort(key=lambda town: (-town.zip_count, town.state))
    return dict(by_key)


@cache
def _keys_by_state():
    """{state: [key, …]}, largest town first."""
    towns = _towns()
    by_state = defaultdict(list)
    for key, state in sorted(towns, key=lambda pair: -towns[pair].zip_count):
        by_state[state].append(key)
    return dict(by_state)


def _resolve_zip(code):
    """A ZIP's centroid; for the few without one (P.O. boxes mostly), its town's centre."""
    found = _zip_index().get(code)
    if found:
        city, state, latitude, longitude = found.split("\t")
        coordinates = (float(latitude), float(longitude)) if latitude else None
        coordinates = coordinates or _town_centre(city, state)
    if not found or not coordinates:
        raise PlaceNotFound(
            _("We couldn't find the ZIP code %(zip)s. Check the number, or try a city and state.")
            % {"zip": code}
        )
    return Location(f"{city}, {state} {code}", *coordinates, state)


@cache
def _zip_index():
    """{ZIP: "city\tstate\tlatitude\tlongitude"} of every civilian ZIP (no coordinates: "").

    Read once: ``zipcodes.matching`` scans the package's 42,000 records on every call,
    about 3 ms of every search near a ZIP. Kept as plain strings, which the garbage
    collector never walks, rather than 42,000 tuples alive in every web process.
    """
    index = {}
    for record in zipcodes.filter_by():
        if _is_civilian(record) and record["zip_code"] not in index:
            latitude, longitude = _coordinates(record) or ("", "")
            fields = (record["city"], record["state"], str(latitude), str(longitude))
            index[record["zip_code"]] = "\t".join(fields)
    return index


def _town_centre(city, state):
    town = _towns().get((_key(city), state))
    return town and (town.latitude, town.longitude)


def _readings(text):
    """The (town, state) pairs ``text`` may mean, most likely first; state None if not given.

    With a comma the state is after the last one. Without, a state code or name at the end
    is peeled off ("chicago il"), and the whole text is also tried as a town name, so a
    town whose name ends in a state ("Rocky Mount" read as "Rocky, MT") is still found.
    """
    text = _COUNTRY_SUFFIX.sub("", text)
    if "," in text:
        town, state = (part.strip() for part in text.rsplit(",", 1))
        if not state:
            return [(town, None)]
        return [(town, _state_code(state) or "")]
    words = text.split()
    readings = []
    for size in (3, 2, 1):
        if len(words) > size:
            state = _state_code(" ".join(words[-size:]))
            if state:
                readings.append((" ".join(words[:-size]), state))
                break
    return [*readings, (text, None)]


def _resolve_town(text):
    only_state = _state_code(text)
    if only_state:
        return _resolve_state(text, only_state)
    readings = _readings(text)
    for town_text, state in readings:
        key = _key(town_text)
        if state:
            town = _towns().get((key, state))
            if town:
                return Location(town.label, town.latitude, town.longitude, town.state)
        elif state is None:
            towns = _towns_by_key().get(key, [])
            if len(towns) == 1:
                town = towns[0]
                return Location(town.label, town.latitude, town.longitude, town.state)
            if towns:
                suggestions = [town.label for town in towns[:MAX_SUGGESTIONS]]
                raise PlaceNotFound(
                    _("“%(place)s” is in more than one state. Add the state, like %(example)s.")
                    % {"place": town_text, "example": suggestions[0]},
                    suggestions,
                )
    town_text, state = readings[0]
    if not text:
        message = _(
            "We couldn't find that place. "
            "Try a 5-digit ZIP code or a city and state, like Chicago, IL."
        )
    else:
        message = _(
            "We couldn't find “%(place)s”. "
            "Try a 5-digit ZIP code or a city and state, like Chicago, IL."
        ) % {"place": text}
    raise PlaceNotFound(message, _suggestions(_key(town_text), state))


def _resolve_state(text, state):
    """A state alone is too wide for a radius: its namesake town ("New York"), or a question.

    A town of that name elsewhere ("Ohio" is a town in Illinois) is never the answer.
    """
    town = _towns().get((_key(text), state))
    if town:
        return Location(town.label, town.latitude, town.longitude, town.state)
    largest = [_towns()[key, state].label for key in _keys_by_state()[state][:MAX_SUGGESTIONS]]
    raise PlaceNotFound(
        _("%(state)s is a whole state. Add a town or a ZIP code, like %(example)s.")
        % {"state": STATES[state], "example": largest[0]},
        largest,
    )


def _suggestions(key, state):
    """Up to 5 "City, ST" labels close to ``key``: the same name in other states first,
    then, given a state, close spellings in that state; without one, anywhere."""
    if not key:
        return []
    found = [town for town in _towns_by_key().get(key, []) if town.state != state]
    if state:
        close = difflib.get_close_matches(key, _keys_by_state().get(state, []), MAX_SUGGESTIONS)
        found += [_towns()[match, state] for match in close]
    else:
        close = difflib.get_close_matches(key, _towns_by_key().keys(), MAX_SUGGESTIONS)
        found += [town for match in close for town in _towns_by_key()[match]]
    labels = list(dict.fromkeys(town.label for town in found))
    return labels[:MAX_SUGGESTIONS]


def _state_near(latitude, longitude, miles=30):
    """The state of the nearest active ZIP centroid within ``miles``; "" at sea or abroad.

    A best guess near state lines, used only to offer that state's phone and online help.
    """
    nearby = [
        (coordinates, z["state"])
        for z in zipcodes.filter_by_coordinates(latitude, longitude, miles)
        if z["active"] and _is_civilian(z) and (coordinates := _coordinates(z))
    ]
    if not nearby:
        return ""
    _nearest, state = min(
        nearby,
        key=lambda pair: zipcodes.haversine(longitude, latitude, pair[0][1], pair[0][0]),
    )
    return state
