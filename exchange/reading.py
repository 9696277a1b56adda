"""What every reader shares (``exchange/meeting_guide/reader.py``, ``exchange/bmlt/reader.py``):
reading the JSON, cleaning a text to its column's length, and the checks of optional data
(coordinates, countries, web and e-mail addresses) that drop a bad value with a warning.

Warnings are (kind, detail) pairs appended to a list: the kind is what the report counts.
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from exchange.addresses import COUNTRIES, clean
from exchange.rows import FeedError
from groups.models import Meeting, Place
from resources.models import Listing

# The column each feed field is stored in, which says how long a value may be. Readers of
# other formats name the Meeting Guide field their value goes to.
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
    "district": (Meeting, "district"),
    "entity": (Meeting, "entity"),
    "entity_phone": (Meeting, "entity_phone"),
    "entity_location": (Meeting, "entity_location"),
    "url": (Meeting, "source_url"),
    "feedback_url": (Meeting, "feedback_url"),
    "entity_url": (Meeting, "entity_url"),
    "entity_logo": (Meeting, "entity_logo"),
}
MAX_LENGTHS = {
    name: model._meta.get_field(field).max_length for name, (model, field) in STORED_IN.items()
}
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class RowProblems(Exception):
    """A row that cannot be a meeting; ``problems`` lists every reason."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_feed(text):
    """The parsed feed; a FeedError unless it is JSON."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FeedError([f"The feed is not valid JSON: {error}"]) from error


def text(row, field, problems, column=None):
    """``row[field]`` as clean text ("" when missing); numbers are taken as text.

    A value that is not text, or longer than the column of ``column`` (default: ``field``,
    a key of ``STORED_IN``), adds a problem.
    """
    value = row.get(field)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(f"{field} must be text")
        return ""
    value = value.replace("\xa0", " ").strip()
    limit = MAX_LENGTHS.get(column or field)
    if limit and len(value) > limit:
        problems.append(f"{field} is longer than {limit} characters")
    return value


def optional_text(row, field, warnings, column=None):
    """Like ``text`` for optional data: a bad value is dropped with a warning."""
    problems = []
    value = text(row, field, problems, column)
    if problems:
        warnings.append(("bad optional values dropped", "; ".join(problems)))
        return ""
    return value


def coordinate(value, field, limit, warnings):
    """A latitude (``limit`` 90) or longitude (180) to six decimals; None when missing or bad."""
    if isinstance(value, str):
        value = value.replace("\xa0", " ").strip()
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        warnings.append(("bad coordinates dropped", f"{field} {value!r} is not a number"))
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        warnings.append(("bad coordinates dropped", f"{field} {value!r} is out of range"))
        return None
    return number.quantize(Decimal("0.000001"))


def country_code(value, field, warnings):
    """The two-letter code of "US", "USA", "Canada"…; "" when missing or unknown."""
    if value in (None, ""):
        return ""
    code = clean(value).upper()
    code = COUNTRIES.get(code, code)
    if not re.fullmatch(r"[A-Z]{2}", code):
        warnings.append(("unknown countries dropped", f"{field} {value!r} is not known"))
        return ""
    return code


def web_address(value, field, warnings, kind="bad web addresses dropped"):
    """``value`` when it is an http or https address, else "" with a warning."""
    if not value:
        return ""
    try:
        WEB_ADDRESS(value)
    except ValidationError:
        warnings.append((kind, f"{field} {value!r} is not a web address"))
        return ""
    return value


def email_address(value, field, warnings):
    """``value`` when it is an e-mail address, else "" with a warning."""
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        warnings.append(("bad e-mail addresses dropped", f"{field} {value!r} is not one"))
        return ""
    return value
