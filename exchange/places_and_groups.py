"""Places and groups of an import, written in bulk before their meetings (``exchange.writer``).

Places are shared by meetings with the same location name and street address, whatever their
source; a row without coordinates leaves a place's coordinates as they are. Groups are
matched by fellowship, source label and name; they take their address and coordinates from
their first in-person meeting's place.
"""

from collections import defaultdict
from dataclasses import fields

from django.utils import timezone
from django.utils.text import slugify

from exchange.rows import PlaceRow
from groups.models import Attendance, Place, SupportGroup
from resources.bulk import BATCH, in_chunks, insert_objects, insert_rows
from resources.models import Address, Listing, ListingStatus

# The parts of an address that rows carry (one street line), written to places and groups.
ROW_ADDRESS_FIELDS = [
    name for name in Address.ADDRESS_FIELDS if name in {f.name for f in fields(PlaceRow)}
]
PLACE_FIELDS = [*ROW_ADDRESS_FIELDS, "notes"]
GROUP_FIELDS = [
    "summary",
    *ROW_ADDRESS_FIELDS,
    "offers_in_person",
    "offers_online",
    "time_zone",
    "status",
]


def save_places(job, rows):
    """{place key: Place}, creating and updating places as the feed says."""
    wanted = {}
    for row in rows:
        if row.place:
            wanted.setdefault(row.place.key, row.place)
    found = {}
    for chunk in in_chunks({place.name for place in wanted.values()}):
        for place in Place.objects.filter(name__in=chunk).order_by("pk"):
            key = (place.name, place.address_line1, place.city, place.region)
            found.setdefault(tuple(part.casefold() for part in key), place)
    to_create, to_update = [], []
    for key, data in wanted.items():
        values = {name: getattr(data, name) for name in PLACE_FIELDS}
        place = found.get(key)
        if place is not None and data.latitude is None:
            # A row without coordinates never takes away those the place has (another
            # source's, or a curator's): the two would otherwise swap them on every import.
            del values["latitude"], values["longitude"]
        if place is None:
            found[key] = Place(name=data.name, **values)
            to_create.append(found[key])
        elif any(getattr(place, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(place, name, value)
            to_update.append(place)
    Place.objects.bulk_create(to_create, batch_size=BATCH)
    Place.objects.bulk_update(to_update, PLACE_FIELDS, batch_size=BATCH)
    job.record(to_create, "+")
    job.record(to_update, "~")
    job.report.places_created, job.report.places_updated = len(to_create), len(to_update)
    return found


def save_groups(job, rows, places):
    """{(fellowship pk, group name): SupportGroup}, created or updated from their meetings,
    and the ids of those created or changed."""
    wanted = defaultdict(list)
    for row in rows:
        wanted[(job.fellowship_of(row).pk, row.group_name)].append(row)
    found = {}
    names = {name for _, name in wanted}
    for chunk in in_chunks(names):
        groups = SupportGroup.objects.filter(source=job.source, name__in=chunk).order_by("pk")
        for group in groups:
            found.setdefault((group.fellowship_id, group.name), group)
    taken = None
    to_create, to_update = [], []
    for key, meetings in wanted.items():
        values = _group_values(meetings)
        group = found.get(key)
        if group is None:
            if taken is None:
                taken = set(Listing.objects.values_list("slug", flat=True))
            group = SupportGroup(
                kind=SupportGroup.KIND,
                name=key[1],
                slug=_free_slug(key[1], taken),
                fellowship_id=key[0],
                source=job.source,
                **values,
            )
            found[key] = group
            to_create.append(group)
        elif any(getattr(group, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(group, name, value)
            to_update.append(group)
    _create_groups(to_create)
    now = timezone.now()
    for group in to_update:
        group.updated_at = now
    Listing.objects.bulk_update(to_update, [*GROUP_FIELDS, "updated_at"], batch_size=BATCH)
    job.record(to_create, "+", when=now)
    job.record(to_update, "~", when=now)
    job.report.groups_created, job.report.groups_updated = len(to_create), len(to_update)
    return found, [group.pk for group in to_create + to_update]


def _create_groups(groups):
    """Insert the base Listing rows in bulk, then the SupportGroup rows that extend them.

    bulk_create refuses multi-table inheritance and a save per group costs two round trips
    (and signals); groups can number thousands in a large feed.
    """
    now = timezone.now()
    base_fields = [f.name for f in Listing._meta.concrete_fields if not f.primary_key]
    listings = []
    for group in groups:
        group.created_at = group.updated_at = now
        listings.append(Listing(**{name: getattr(group, name) for name in base_fields}))
    insert_objects(Listing, listings)
    for group, listing in zip(groups, listings, strict=True):
        group.pk = group.listing_ptr_id = group.id = listing.pk
        group._state.adding = False
    insert_rows(
        SupportGroup,
        [{"listing_ptr_id": group.pk, "fellowship_id": group.fellowship_id} for group in groups],
    )


def _group_values(meetings):
    in_person = [row for row in meetings if row.attendance != Attendance.ONLINE]
    place = in_person[0].place if in_person else None
    summary = next((row.group_notes for row in meetings if row.group_notes), "")
    # A group that meets nowhere keeps no address: each field's default.
    no_address = {name: Listing._meta.get_field(name).get_default() for name in ROW_ADDRESS_FIELDS}
    values = {
        "summary": summary,
        **no_address,
        "offers_in_person": bool(in_person),
        "offers_online": any(row.attendance != Attendance.IN_PERSON for row in meetings),
        "time_zone": meetings[0].time_zone,
        "status": ListingStatus.PUBLISHED,
    }
    if place:
        values.update({name: getattr(place, name) for name in ROW_ADDRESS_FIELDS})
    return values


def _free_slug(name, taken):
    base = slugify(name)[:200].strip("-") or "group"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug
