"""Invented directory data at national scale, for benchmarks: ``manage.py generate_demo``.

The run: remove what an earlier run made (``demo/erase.py``), invent rows of every kind
(``demo/invented.py``) and write them in bulk, table by table, with the one bulk writer
(``resources.bulk``: COPY on PostgreSQL). Typed listings use multi-table inheritance, so the
base Listing rows are written first with ids taken in advance, then each kind's own rows
with the same ids. No signal runs, so the stored search text is filled at the end in one
pass (``refresh_search_index``) and no history rows are written.
"""

import random
import time as clock
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from demo.erase import remove_generated
from demo.invented import (
    FELLOWSHIP_WEIGHTS,
    KIND_SHARES,
    MEETINGS_PER_GROUP,
    ORGANIZATION_SLUG_PREFIX,
    SOURCE,
    Inventor,
)
from demo.zip_table import ZipTable
from groups.fellowships import FELLOWSHIPS
from groups.models import Attendance, Fellowship, Meeting, Place
from resources.bulk import insert_rows, take_ids
from resources.models import (
    Listing,
    ListingKind,
    OpeningHours,
    Organization,
    Term,
    typed_listing_models,
)
from resources.search_index import refresh_search_index

__all__ = [
    "SOURCE",
    "ORGANIZATION_SLUG_PREFIX",
    "Generator",
    "remove_generated",
    "generated_counts",
]

# Rows kept in memory before they are written.
ROWS_PER_WRITE = 5000
KIND_MODELS = typed_listing_models()


@dataclass
class Plan:
    """How many rows of each kind a run makes."""

    listings: int
    meetings: int
    groups: int = 0
    kinds: list = field(default_factory=list)

    @classmethod
    def for_counts(cls, listings, meetings, rng):
        if listings < len(KIND_MODELS):
            raise ValueError(f"Ask for at least {len(KIND_MODELS)} listings: one of each kind.")
        groups = max(1, round(meetings / MEETINGS_PER_GROUP)) if meetings else listings // 10
        # Leave room for one listing of every other kind.
        groups = max(1, min(groups, listings - len(KIND_SHARES)))
        others = listings - groups
        # One of each kind first, then drawn by share; the order is shuffled by the seed.
        kinds = list(KIND_SHARES) + rng.choices(
            list(KIND_SHARES), weights=list(KIND_SHARES.values()), k=others - len(KIND_SHARES)
        )
        kinds += [ListingKind.SUPPORT_GROUP] * groups
        rng.shuffle(kinds)
        return cls(listings, meetings, groups, kinds)


class Rows:
    """Rows for one table, as {attname: value} dicts with every column of the table.

    Without ``with_id`` the database numbers the rows itself.
    """

    def __init__(self, model, with_id=True):
        self.model = model
        pk = model._meta.pk
        columns = [f for f in model._meta.local_concrete_fields if with_id or f is not pk]
        self.defaults = {f.attname: f.get_default() for f in columns}
        self.rows = []

    def add(self, **values):
        unknown = set(values) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no columns {sorted(unknown)}")
        self.rows.append({**self.defaults, **values})

    def __len__(self):
        return len(self.rows)


class ThroughRows:
    """Rows of a many-to-many table (without its id, which the database gives)."""

    def __init__(self, through, columns):
        self.model = through
        self.columns = columns
        self.rows = []

    def add(self, *values):
        self.rows.append(dict(zip(self.columns, values, strict=True)))


class Generator:
    def __init__(self, seed, using="default", log=None):
        self.rng = random.Random(seed)
        self.using = using
        self.connection = connections[using]
        self.log = log or (lambda message: None)
        self.zips = ZipTable.load()
        terms = {}
        for term in Term.objects.using(using).filter(is_active=True).order_by("position"):
            terms.setdefault(term.vocabulary, {})[term.code] = term.pk
        self.terms = terms
        self.invent = Inventor(
            self.rng, terms, timezone.localdate(), timezone.now().replace(microsecond=0)
        )
        self.fellowships = {
            f.short_name: f.pk
            for f in Fellowship.objects.using(using).filter(
                short_name__in=[f["short_name"] for f in FELLOWSHIPS]
            )
        }
        self.counts = Counter()

    # ---- the run ---------------------------------------------------------------------

    def run(self, listings, meetings):
        missing = set(FELLOWSHIP_WEIGHTS) - set(self.fellowships)
        if missing or not self.terms:
            raise ValueError("The fellowships and vocabulary terms are missing: run migrate first.")
        plan = Plan.for_counts(listings, meetings, self.rng)
        started = clock.monotonic()
        with transaction.atomic(using=self.using), self.search_indexes_dropped():
            removed = remove_generated(self.using)
            if removed:
                self.log(f"Removed {removed:,} previously generated listings.")
            organizations = self.organizations(max(1, listings // 200))
            ids = self.take_ids(Listing, len(plan.kinds))
            groups = self.listings(plan, ids, organizations)
            self.log(f"Listings written ({clock.monotonic() - started:.0f} s).")
            self.meetings(groups, meetings)
            self.log(f"Meetings written ({clock.monotonic() - started:.0f} s).")
            indexed = refresh_search_index(
                Listing.objects.using(self.using).filter(source=SOURCE), batch_size=2000
            )
            self.log(f"Search text stored for {indexed:,} listings.")
        return self.counts

    # ---- writing ---------------------------------------------------------------------

    @contextmanager
    def search_indexes_dropped(self):
        """On PostgreSQL, drop the listing table's GIN indexes while rows are deleted, written
        and given their search text, and build them again after: one build is far quicker
        than 200,000 updates of each. Their definitions are read from the database, so they
        come back as they were. Inside the run's transaction, other sessions wait for the
        table rather than search it without them.
        """
        if self.connection.vendor != "postgresql":
            yield
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = %s "
                "AND indexdef LIKE %s",
                [Listing._meta.db_table, "% USING gin %"],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        yield
        with self.connection.cursor() as cursor:
            # Foreign keys are checked at commit; PostgreSQL builds no index on a table with
            # checks pending, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def take_ids(self, model, count):
        return take_ids(model, count, using=self.using)

    def write(self, rows):
        """Write ``rows`` (Rows or ThroughRows) to their table, then forget them."""
        insert_rows(rows.model, rows.rows, using=self.using)
        self.counts[rows.model._meta.label] += len(rows.rows)
        rows.rows = []

    # ---- organizations and listings --------------------------------------------------

    def organizations(self, count):
        rows = Rows(Organization)
        ids = self.take_ids(Organization, count)
        for number, pk in enumerate(ids):
            rows.add(id=pk, **self.invent.organization(number))
        self.write(rows)
        return ids

    def listings(self, plan, ids, organizations):
        """Write every listing; return the support groups as (id, zip, in person, time zone)."""
        base = Rows(Listing)
        children = {kind: Rows(model) for kind, model in KIND_MODELS.items()}
        terms = ThroughRows(Listing.terms.through, ["listing_id", "term_id"])
        hours = Rows(OpeningHours, with_id=False)
        groups = []
        fellowships = [self.fellowships[name] for name in FELLOWSHIP_WEIGHTS]
        fellowship_weights = list(FELLOWSHIP_WEIGHTS.values())
        for number, (pk, kind) in enumerate(zip(ids, plan.kinds, strict=True)):
            place = self.zips.pick(self.rng)
            values, child = self.invent.listing(kind, place, number)
            values.update(id=pk, kind=kind, slug=f"{slugify(values['name'])[:190]}-g{number + 1}")
            with_organization = kind in (
                ListingKind.TREATMENT_PROGRAM,
                ListingKind.COMMUNITY_RESOURCE,
            )
            if with_organization and self.rng.random() < 0.1:
                values["organization_id"] = self.rng.choice(organizations)
            base.add(**values)
            if kind == ListingKind.SUPPORT_GROUP:
                # Every fellowship has a group before they are drawn by weight.
                if len(groups) < len(fellowships):
                    fellowship = fellowships[len(groups)]
                else:
                    fellowship = self.rng.choices(fellowships, weights=fellowship_weights)[0]
                child["fellowship_id"] = fellowship
                groups.append((pk, place, values["offers_in_person"], values["time_zone"]))
            children[kind].add(listing_ptr_id=pk, **child)
            for term in self.invent.listing_terms(KIND_MODELS[kind], child):
                terms.add(pk, term)
            if not values["open_24_7"] and kind in (
                ListingKind.CLINICIAN,
                ListingKind.TREATMENT_PROGRAM,
                ListingKind.COMMUNITY_RESOURCE,
            ):
                for weekday, opens, closes in self.invent.opening_hours():
                    hours.add(listing_id=pk, weekday=weekday, opens=opens, closes=closes)
            if len(base) >= ROWS_PER_WRITE:
                self.write_listings(base, children, terms, hours)
        self.write_listings(base, children, terms, hours)
        return groups

    def write_listings(self, base, children, terms, hours):
        self.write(base)
        for rows in children.values():
            self.write(rows)
        self.write(terms)
        self.write(hours)

    # ---- meetings --------------------------------------------------------------------

    def meetings(self, groups, count):
        if not groups or not count:
            return
        rng = self.rng
        place_rows = Rows(Place)
        meeting_rows = Rows(Meeting)
        types = ThroughRows(Meeting.types.through, ["meeting_id", "term_id"])
        meeting_ids = self.take_ids(Meeting, count)
        places = {}  # group id → its meeting place id, for groups that meet elsewhere
        place_ids = iter(self.take_ids(Place, len(groups)))
        for number, pk in enumerate(meeting_ids):
            # Every group has a meeting before the rest are handed out at random.
            group_id, place, in_person, zone = groups[
                number if number < len(groups) else rng.randrange(len(groups))
            ]
            attendance = self.invent.attendance(in_person)
            place_id = None
            if attendance != Attendance.ONLINE and (group_id in places or rng.random() < 0.4):
                if group_id not in places:
                    places[group_id] = next(place_ids)
                    place_rows.add(id=places[group_id], **self.invent.meeting_place(place))
                place_id = places[group_id]
            values = self.invent.meeting(number, place, zone, attendance)
            meeting_rows.add(id=pk, group_id=group_id, place_id=place_id, **values)
            for term in self.invent.meeting_types():
                types.add(pk, term)
            if len(meeting_rows) >= ROWS_PER_WRITE:
                self.write_meetings(place_rows, meeting_rows, types)
        self.write_meetings(place_rows, meeting_rows, types)

    def write_meetings(self, places, meetings, types):
        self.write(places)
        self.write(meetings)
        self.write(types)


def generated_counts(using="default"):
    """(generated listings, their meetings) now in the database."""
    listings = Listing.objects.using(using).filter(source=SOURCE)
    meetings = Meeting.objects.using(using).filter(group__source=SOURCE)
    return listings.count(), meetings.count()
