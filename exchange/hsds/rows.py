"""What the HSDS reader hands the listing writer: organizations and services that no longer
say which format they came from (``exchange/rows.py`` holds the meetings' rows).

Positions name the table and row a value came from ("services.csv row 2", "services page 1
item 3"), so every problem and every term left unmatched is reported where it is.
"""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal


@dataclass(frozen=True)
class OrganizationRow:
    position: str
    external_id: str
    name: str
    website: str = ""
    description: str = ""


@dataclass(frozen=True)
class HoursRow:
    """One opening period of a listing (``resources.models.OpeningHours``)."""

    weekday: int  # Sunday = 0
    opens: time
    closes: time


@dataclass
class ServiceRow:
    """One HSDS service as one of our listings."""

    position: str
    external_id: str
    name: str
    kind: str  # a ListingKind value
    kind_detail: str = ""  # a clinician's role, a helpline's type…; "" for the kind's default
    kind_matched: bool = True  # False: no term said the kind; the default was taken
    organization_id: str = ""  # the source's organization id; "" for none
    description: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    sms: str = ""
    address: dict = field(default_factory=dict)  # Address fields, as Listing stores them
    offers_in_person: bool = False
    offers_online: bool = False
    offers_phone: bool = False
    hours: tuple = ()  # HoursRow, sorted
    open_24_7: bool = False
    hours_notes: str = ""
    time_zone: str = ""
    cost_notes: str = ""
    weekly_cost: Decimal | None = None
    last_verified_on: date | None = None
    terms: tuple = ()  # (vocabulary, code), sorted
    source_url: str = ""
