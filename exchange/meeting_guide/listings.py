"""Places and groups of a Meeting Guide import, written in bulk before their meetings.

Places are shared by meetings with the same location name and street address. Groups are
matched by fellowship, source label and name; they take their address and coordinates from
their first in-person meeting's place.
"""

from collections import defaultdict

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from groups.models import Attendance, Place, SupportGroup
from resources.models import Listing, ListingStatus, LocationPrecision

BATCH = 1000
PLACE_FIELDS = [
    "address_line1",
    "city",
    "region",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "notes",
]
GROUP_FIELDS = [
    "summary",
    "address_line1",
    "city",
    "region",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "offers_in_person",
    "offers_online",
    "time_zone",
    "status",
]


def save_places(rows, report, history):
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
        if place is None:
            found[key] = Place(name=data.name, **values)
            to_create.append(found[key])
        elif any(getattr(place, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(place, name, value)
            to_update.append(place)
    Place.objects.bulk_create(to_create, batch_size=BATCH)
    Place.objects.bulk_update(to_update, PLACE_FIELDS, batch_size=BATCH)
    history.record(to_create, "+")
    history.record(to_update, "~")
    report.places_created, report.places_updated = len(to_create), len(to_update)
    return found


def save_groups(rows, fellowship_of, places, source, report, history):
    """{(fellowship pk, group name): SupportGroup}, created or updated from their meetings."""
    wanted = defaultdict(list)
    for row in rows:
        wanted[(fellowship_of[row.slug].pk, row.group_name)].append(row)
    found = {}
    names = {name for _, name in wanted}
    for chunk in in_chunks(names):
        groups = SupportGroup.objects.filter(source=source, name__in=chunk).order_by("pk")
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
                source=source,
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
    history.record(to_create, "+", when=now)
    history.record(to_update, "~", when=now)
    report.groups_created, report.groups_updated = len(to_create), len(to_update)
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
    Listing.objects.bulk_create(listings, batch_size=BATCH)
    for group, listing in zip(groups, listings, strict=True):
        group.pk = group.listing_ptr_id = group.id = listing.pk
        group._state.adding = False
    table = connection.ops.quote_name(SupportGroup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (listing_ptr_id, fellowship_id) VALUES (%s, %s)",
            [(group.pk, group.fellowship_id) for group in groups],
        )


def _group_values(meetings):
    in_person = [row for row in meetings if row.attendance != Attendance.ONLINE]
    place = in_person[0].place if in_person else None
    summary = next((row.group_notes for row in meetings if row.group_notes), "")
    values = {
        "summary": summary,
        "address_line1": "",
        "city": "",
        "region": "",
        "postal_code": "",
        "country": "US",
        "latitude": None,
        "longitude": None,
        "location_precision": LocationPrecision.EXACT,
        "offers_in_person": bool(in_person),
        "offers_online": any(row.attendance != Attendance.IN_PERSON for row in meetings),
        "time_zone": meetings[0].time_zone,
        "status": ListingStatus.PUBLISHED,
    }
    if place:
        values.update({name: getattr(place, name) for name in PLACE_FIELDS if name != "notes"})
    return values


def _free_slug(name, taken):
    base = slugify(name)[:200].strip("-") or "group"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def in_chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
