"""The Meeting Guide JSON feed: /api/meeting-guide.json.

A JSON array with one object per listed weekly meeting, in the format of the Meeting Guide
app (code4recovery/spec). Monthly meetings are left out: the format cannot say "first
Sunday". Where a place publishes only its town (approximate precision), the feed gives
the city and state without street or ZIP and coordinates rounded to two decimals
(about a kilometre). Online-only meetings carry no address; hybrid ones carry both.

``?fellowship=AA`` (short name or slug) and ``?region=Chicago`` (the city) narrow it.
"""

import json
import re
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from groups.models import AnyOf, Attendance, Fellowship, Meeting, Place
from resources import public_cache
from resources.models import Listing, ListingKind, LocationPrecision

MAX_PARAMETER_LENGTH = 100
# Seconds a feed is kept (as long as clients may keep it, max-age); any save drops it sooner.
FEED_SECONDS = 300
# A city's feed is kept; the whole country's (64 MB for 100,000 meetings) is made each time
# rather than copied into every worker's memory or sent to Redis.
FEED_LARGEST_KEPT = 5_000_000

# What each row is read with: the meeting's own columns, then its place's and its group's.
ADDRESS_FIELDS = (
    "name",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "location_precision",
)
MEETING_FIELDS = (
    "pk",
    "name",
    "slug",
    "weekday",
    "start_time",
    "end_time",
    "time_zone",
    "attendance",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "notes",
    "updated_at",
    "place_id",
    "place__notes",
    "group__summary",
    *(f"place__{name}" for name in ADDRESS_FIELDS),
    *(f"group__{name}" for name in ADDRESS_FIELDS),
)
IN_PERSON = {Attendance.IN_PERSON, Attendance.HYBRID}
ONLINE = {Attendance.ONLINE, Attendance.HYBRID}
# Slugs that reverse() and build_absolute_uri() leave exactly as they are.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class BadRequest(Exception):
    pass


@require_safe
def meeting_guide_feed(request):
    # The same feed for everyone who asks the same thing of the same site: kept whole.
    parts = (request.GET.get("fellowship"), request.GET.get("region"))
    base = request.build_absolute_uri("/")
    try:
        body = public_cache.kept(
            "meeting-guide-feed",
            (*parts, base),
            lambda: _feed(request),
            FEED_SECONDS,
            largest=FEED_LARGEST_KEPT,
        )
    except BadRequest as error:
        response = JsonResponse({"error": str(error)}, status=400)
    else:
        response = HttpResponse(body, content_type="application/json")
        patch_cache_control(response, public=True, max_age=FEED_SECONDS)
    # Public, read-only data: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _feed(request):
    """The feed's JSON text (what JsonResponse would write); BadRequest for bad parameters."""
    meetings = _meetings(request.GET)
    rows = list(meetings.values_list(*MEETING_FIELDS))
    types = _types(meetings, [row[0] for row in rows])
    url = _url_maker(request)
    entries = [_entry(row, types.get(row[0], []), url) for row in rows]
    return json.dumps(entries, cls=DjangoJSONEncoder)


def _parameter(query, name):
    value = query.get(name)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_PARAMETER_LENGTH:
        raise BadRequest(f"{name} must be between 1 and {MAX_PARAMETER_LENGTH} characters.")
    return value


def _meetings(query):
    # Queries: 1. the meetings with their groups and places; 2. their types (plus 1. the
    # fellowship, when one is asked for).
    meetings = Meeting.objects.listed().weekly().order_by("weekday", "start_time", "slug")
    if (fellowship := _parameter(query, "fellowship")) is not None:
        found = Fellowship.objects.filter(
            Q(short_name__iexact=fellowship) | Q(slug__iexact=fellowship)
        ).first()
        if found is None:
            raise BadRequest(f"No fellowship {fellowship!r}: use a short name such as AA.")
        meetings = meetings.filter(group__fellowship=found)
    if (region := _parameter(query, "region")) is not None:
        # The city of the meeting's place, or of its group when it meets at the group's
        # address. The places and groups of that city are found first, by index
        # (place_city_upper, support_group_city_upper), then their meetings.
        places = Place.objects.filter(city__iexact=region).order_by().values("pk")
        groups = (
            Listing.objects.of_kind(ListingKind.SUPPORT_GROUP)
            .filter(city__iexact=region)
            .order_by()
            .values("pk")
        )
        meetings = meetings.filter(
            Q(AnyOf("place", places)) | Q(AnyOf("group", groups), place__isnull=True)
        )
    return meetings


def _types(meetings, ids):
    """{meeting id: [type code, …]} of the meetings ``ids`` just read, codes in alphabetical
    order: one query."""
    through = Meeting.types.through.objects.order_by("term__code")
    if connections[meetings.db].vendor == "postgresql":
        through = through.filter(meeting_id__in=ids)  # the meetings' filter is not run again
    else:
        # SQLite limits the parameters of a query; a subquery has no such limit.
        through = through.filter(meeting__in=meetings.order_by().values("pk"))
    codes = {}
    for meeting_id, code in through.values_list("meeting_id", "term__code"):
        codes.setdefault(meeting_id, []).append(code)
    return codes


def _url_maker(request):
    """slug → the meeting page's absolute URL, as build_absolute_uri(get_absolute_url())."""
    sample = "meeting-slug"
    head, tail = request.build_absolute_uri(
        reverse("groups:meeting_detail", kwargs={"slug": sample})
    ).rsplit(sample, 1)

    def url(slug):
        if PLAIN_SLUG.fullmatch(slug):
            return f"{head}{slug}{tail}"
        return request.build_absolute_uri(reverse("groups:meeting_detail", kwargs={"slug": slug}))

    return url


def _time(value):
    return value.strftime("%H:%M")


def _entry(row, types, url):
    (
        _pk,
        name,
        slug,
        weekday,
        start_time,
        end_time,
        time_zone,
        attendance,
        conference_url,
        conference_url_notes,
        conference_phone,
        conference_phone_notes,
        notes,
        updated_at,
        place_id,
        place_notes,
        group_summary,
    ) = row[:17]
    place = row[17 : 17 + len(ADDRESS_FIELDS)]
    group = row[17 + len(ADDRESS_FIELDS) :]
    entry = {
        "name": name,
        "slug": slug,
        "day": weekday,
        "time": _time(start_time),
        "timezone": time_zone,
        "types": types,
        "attendance_option": attendance,
        "group": group[0],
        "group_notes": group_summary,
        "notes": notes,
        "url": url(slug),
        "updated": updated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    if end_time:
        entry["end_time"] = _time(end_time)
    if attendance in ONLINE:
        entry.update(
            conference_url=conference_url,
            conference_url_notes=conference_url_notes,
            conference_phone=conference_phone,
            conference_phone_notes=conference_phone_notes,
        )
    if attendance in IN_PERSON:
        if place_id is not None:
            entry.update(_location(place, place_notes))
        else:
            entry.update(_location(group, ""))
    return entry


def _location(where, notes):
    """Place fields; ``where`` holds the ADDRESS_FIELDS of the meeting's place or its group."""
    (
        name,
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        latitude,
        longitude,
        precision,
    ) = where
    exact = precision == LocationPrecision.EXACT
    street = ", ".join(line for line in (line1, line2) if line)
    fields = {
        "location": name,
        "location_notes": notes,
        "address": street if exact else "",
        "city": city,
        "state": region,
        "postal_code": postal_code if exact else "",
        "country": country,
        "region": city,
        "approximate": "no" if exact else "yes",
    }
    town = ", ".join(part for part in (city, region) if part)
    if exact:
        state_zip = " ".join(part for part in (region, postal_code) if part)
        parts = (street, city, state_zip, country)
        fields["formatted_address"] = ", ".join(part for part in parts if part)
    else:
        fields["formatted_address"] = town
    if latitude is not None and longitude is not None:
        digits = 6 if exact else 2
        fields["latitude"] = round(float(latitude), digits)
        fields["longitude"] = round(float(longitude), digits)
    return fields
