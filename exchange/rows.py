"""What a reader hands the shared writer: rows that no longer say which format they came from.

An importer is a reader and the writer. The reader (``exchange/meeting_guide/reader.py``)
turns a file or feed into these rows, checked and with every problem reported by position;
the writer (``exchange/writer.py``) saves them in bulk, with history, search text and the
kept pages forgotten. A new format needs only a reader that makes these rows.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
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
    latitude: Decimal | None  # None: listed by its street address, not placed on a map
    longitude: Decimal | None
    location_precision: str
    notes: str

    @property
    def key(self):
        """Places are shared by meetings with the same name and street address."""
        parts = (self.name, self.address_line1, self.city, self.region)
        return tuple(part.casefold() for part in parts)


@dataclass(frozen=True)
class MeetingDetails:
    """What a source says of a meeting beyond when and where; the fields are those of
    ``groups.models.SourceDetails``, checked (web and e-mail addresses, handles)."""

    source_url: str = ""
    source_updated: datetime | None = None
    regions: tuple = ()  # widest first
    district: str = ""
    location_notes: str = ""  # of a meeting without a place; a place's go to its notes
    feedback_url: str = ""
    feedback_emails: tuple = ()
    venmo: str = ""
    paypal: str = ""
    square: str = ""
    entity: str = ""
    entity_email: str = ""
    entity_phone: str = ""
    entity_location: str = ""
    entity_url: str = ""
    entity_logo: str = ""

    def values(self):
        """{model field: value}, lists where the model stores JSON lists."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in self.__dict__.items()
        }


@dataclass
class MeetingRow:
    """One meeting on one weekday, of a group named by its fellowship and name; or one by
    appointment, with neither weekday nor times (people arrange it with the group)."""

    position: int  # where the row is in its file, for messages
    slug: str
    name: str
    weekday: int | None  # None: by appointment
    start_time: time | None  # None exactly when ``weekday`` is
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
    details: MeetingDetails = field(default_factory=MeetingDetails)
