"""What a reader hands the shared writer: rows that no longer say which format they came from.

An importer is a reader and the writer. The reader (``exchange/meeting_guide/reader.py``)
turns a file or feed into these rows, checked and with every problem reported by position;
the writer (``exchange/writer.py``) saves them in bulk, with history, search text and the
kept pages forgotten. A new format needs only a reader that makes these rows.
"""

from dataclasses import dataclass
from datetime import time
from decimal import Decimal


class FeedError(Exception):
    """The file or feed cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlaceRow:
    """Where meetings are held; the fields are those of ``groups.models.Place``."""

    name: str
    address_line1: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: Decimal
    longitude: Decimal
    location_precision: str
    notes: str

    @property
    def key(self):
        """Places are shared by meetings with the same name and street address."""
        parts = (self.name, self.address_line1, self.city, self.region)
        return tuple(part.casefold() for part in parts)


@dataclass
class MeetingRow:
    """One meeting on one weekday, of a group named by its fellowship and name."""

    position: int  # where the row is in its file, for messages
    slug: str
    name: str
    weekday: int
    start_time: time
    end_time: time | None
    time_zone: str
    attendance: str
    status: str
    place: PlaceRow | None
    conference_url: str
    conference_url_notes: str
    conference_phone: str
    conference_phone_notes: str
    type_codes: tuple
    notes: str
    group_name: str
    group_notes: str
    fellowship: str  # a fellowship's short name or slug, any case
