"""The Meeting Guide JSON feed: /api/meeting-guide.json.

A JSON array with one object per listed weekly meeting, in the format of the Meeting Guide
app (code4recovery/spec). Monthly meetings are left out: the format cannot say "first
Sunday". A meeting by appointment is written with no ``day`` and no ``time``, as the spec
allows (and as Meeting Guide reads "by appointment"), after the others. Where a place
publishes only its town (approximate precision), the feed gives the city and state without
street or ZIP and coordinates rounded to two decimals (about a kilometre). Online-only
meetings carry no address; hybrid ones carry both.

``?fellowship=AA`` (short name or slug) and ``?region=Chicago`` (the city) narrow it.

The feed has the shape of the spec's JSON Schema (``exchange/data/meeting_guide/``): a key
with nothing to say is left out rather than written empty, slugs longer than the spec's 64
characters are cut to 55 and given a hash of the whole slug (stable and still unique), and
dial-in numbers lose their spaces, dashes and brackets. What a source told us of a meeting
comes back out: its page (``url``, else our page), ``updated`` (the source's, else ours),
regions, district, feedback, 7th-tradition handles and service entity.

Each feed is made once per change of the data and then served as it is, from the cache or,
when large, from a file (``exchange/meeting_guide/feed_files.py``). Each visitor may ask
``FEED_REQUESTS_PER_MINUTE`` times in any minute (the site's limiter,
``recovery_site/ratelimit.py``); more answer 429 with Retry-After.
"""

import hashlib
import json
import re
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from exchange.meeting_guide import feed_files
from groups.models import (
    IN_PERSON_ATTENDANCE,
    ONLINE_ATTENDANCE,
    SOURCE_DETAIL_FIELDS,
    Fellowship,
    Meeting,
    MeetingFrequency,
    Place,
)
from recovery_site import ratelimit
from recovery_site.clients import client_address
from resources.models import Address, Listing, ListingKind, LocationPrecision

MAX_PARAMETER_LENGTH = 100
# Seconds a feed is kept (as long as clients may keep it, max-age); any save drops it sooner.
FEED_SECONDS = 300
# Bytes: a city's feed is kept in the cache; a larger one (the whole country's is 64 MB for
# 100,000 meetings) is written to a file rather than copied into every worker's memory or
# sent to Redis.
FEED_LARGEST_KEPT = 5_000_000
# Characters no fellowship or city name holds (NUL, line breaks, other controls).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

# What each meeting is read with: its own columns, then its place's and its group's name and
# address.
ADDRESS_FIELDS = ("name", *Address.ADDRESS_FIELDS)
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
    *SOURCE_DETAIL_FIELDS,
    "place_id",
    "place__notes",
    "group__summary",
    *(f"place__{name}" for name in ADDRESS_FIELDS),
    *(f"group__{name}" for name in ADDRESS_FIELDS),
)
# Slugs that reverse() and build_absolute_uri() leave exactly as they are.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# The spec's longest slug; a longer one keeps its first characters and a hash of the whole.
SLUG_MAX_LENGTH = 64
SLUG_HASH_LENGTH = 8
# What a dial-in number loses: the spec wants digits, a leading +, and , * # to dial on.
PHONE_SEPARATORS = re.compile(r"[\s().\-/]")


class BadRequest(Exception):
    pass


@require_safe
def meeting_guide_feed(request):
    response = _feed_response(request)
    # Public, read-only data: any site may read it, errors included.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _feed_response(request):
    decision = ratelimit.hit(
        "feeds", client_address(request), settings.FEED_REQUESTS_PER_MINUTE, 60
    )
    if not decision.allowed:
        response = JsonResponse(
            {"error": f"Too many requests: try again in {decision.retry_after} seconds."},
            status=429,
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    try:
        fellowship, region = _parameter(request, "fellowship"), _parameter(request, "region")
        # The same feed for everyone who asks the same thing of the same site.
        response = feed_files.serve(
            request,
            (fellowship, region, request.build_absolute_uri("/")),
            lambda out: _write_feed(request, fellowship, region, out),
            largest=FEED_LARGEST_KEPT,
            seconds=FEED_SECONDS,
        )
    except BadRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    patch_cache_control(response, public=True, max_age=FEED_SECONDS)
    return response


def _write_feed(request, fellowship, region, out):
    """Write the feed's JSON (what JsonResponse would write) to the binary file ``out``, a
    meeting at a time; BadRequest for a fellowship we do not know."""
    meetings = _meetings(fellowship, region)
    types = _types(meetings)
    url = _url_maker(request)
    out.write(b"[")
    rows = meetings.values(*MEETING_FIELDS).iterator(chunk_size=2000)
    for number, row in enumerate(rows):
        if number:
            out.write(b", ")
        entry = _entry(row, types.get(row["pk"], []), url)
        out.write(json.dumps(entry, cls=DjangoJSONEncoder).encode())
    out.write(b"]")


def _parameter(request, name):
    value = request.GET.get(name)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_PARAMETER_LENGTH:
        raise BadRequest(f"{name} must be between 1 and {MAX_PARAMETER_LENGTH} characters.")
    if CONTROL_CHARACTERS.search(value):
        raise BadRequest(f"{name} must not contain control characters.")
    return value


def _meetings(fellowship, region):
    # Queries: 1. the meetings with their groups and places; 2. their types (plus 1. the
    # fellowship, when one is asked for).
    meetings = (
        Meeting.objects.listed()
        .exclude(frequency=MeetingFrequency.MONTHLY)
        .order_by(F("weekday").asc(nulls_last=True), "start_time", "slug")
    )
    if fellowship is not None:
        found = Fellowship.objects.filter(
            Q(short_name__iexact=fellowship) | Q(slug__iexact=fellowship)
        ).first()
        if found is None:
            raise BadRequest(f"No fellowship {fellowship!r}: use a short name such as AA.")
        meetings = meetings.filter(group__fellowship=found)
    if region is not None:
        # The city of the meeting's place, or of its group when it meets at the group's
        # address. The places and groups of that city are found first, by index
        # (place_city_upper, support_group_city_upper), then their meetings.
        places = Place.objects.filter(city__iexact=region)
        groups = Listing.objects.of_kind(ListingKind.SUPPORT_GROUP).filter(city__iexact=region)
        meetings = meetings.held_at(places, groups)
    return meetings


def _types(meetings):
    """{meeting id: [type code, …]} of ``meetings``, codes in alphabetical order: one query."""
    through = Meeting.types.through.objects.filter(meeting__in=meetings.order_by().values("pk"))
    codes = {}
    for meeting_id, code in through.order_by("term__code").values_list("meeting_id", "term__code"):
        codes.setdefault(meeting_id, []).append(code)
    return codes


def _url_maker(request):
    """slug → the meeting page's absolute URL, as build_absolute_uri(get_absolute_url())."""
    sample = "meeting-slug"
    head, tail = request.build_absolute_uri(
        reverse("directory:meeting_detail", kwargs={"slug": sample})
    ).rsplit(sample, 1)

    def url(slug):
        if PLAIN_SLUG.fullmatch(slug):
            return f"{head}{slug}{tail}"
        return request.build_absolute_uri(
            reverse("directory:meeting_detail", kwargs={"slug": slug})
        )

    return url


def _time(value):
    return value.strftime("%H:%M")


def _entry(row, types, url):
    """One meeting of the feed from its ``MEETING_FIELDS`` row; empty values left out."""
    updated = row["source_updated"] or row["updated_at"]
    regions = row["regions"] or []
    entry = {
        "name": row["name"],
        "slug": feed_slug(row["slug"]),
        "day": row["weekday"],
        "time": _time(row["start_time"]) if row["start_time"] else "",
        "end_time": _time(row["end_time"]) if row["end_time"] else "",
        "timezone": row["time_zone"],
        "types": types,
        "attendance_option": row["attendance"],
        "group": row["group__name"],
        "group_notes": row["group__summary"],
        "notes": row["notes"],
        "url": row["source_url"] or url(row["slug"]),
        "updated": updated.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "district": row["district"],
        "feedback_url": row["feedback_url"],
        "feedback_emails": row["feedback_emails"],
        "venmo": row["venmo"],
        "paypal": f"paypal.me/{row['paypal']}" if row["paypal"] else "",
        "square": row["square"],
        "entity": row["entity"],
        "entity_email": row["entity_email"],
        "entity_location": row["entity_location"],
        "entity_logo": row["entity_logo"],
        "entity_phone": row["entity_phone"],
        "entity_website_url": row["entity_url"],
        "location_notes": row["location_notes"],
    }
    if row["attendance"] in ONLINE_ATTENDANCE:
        entry.update(
            conference_url=row["conference_url"],
            conference_url_notes=row["conference_url_notes"],
            conference_phone=PHONE_SEPARATORS.sub("", row["conference_phone"]),
            conference_phone_notes=row["conference_phone_notes"],
        )
    if row["attendance"] in IN_PERSON_ATTENDANCE:
        if row["place_id"] is not None:
            entry.update(_location(row, "place__", row["place__notes"]))
        else:
            entry.update(_location(row, "group__", ""))
    # An online meeting's notes on where it is: a place's are its directions.
    entry["location_notes"] = entry["location_notes"] or row["location_notes"]
    if regions:
        # The source's regions, widest first, win over the town; the list only when the
        # region and sub-region cannot hold it.
        entry.update(region=regions[0], sub_region=regions[1] if len(regions) > 1 else "")
        entry["regions"] = regions if len(regions) > 2 else []
    return {key: value for key, value in entry.items() if value not in ("", [], None)}


def feed_slug(slug):
    """``slug``, or when longer than the spec allows its start and a hash of the whole:
    the same slug on every export, and as unique as the slugs themselves."""
    if len(slug) <= SLUG_MAX_LENGTH:
        return slug
    digest = hashlib.blake2b(slug.encode(), digest_size=SLUG_HASH_LENGTH // 2).hexdigest()
    return f"{slug[: SLUG_MAX_LENGTH - SLUG_HASH_LENGTH - 1]}-{digest}"


def _location(row, prefix, notes):
    """Place fields from the address of the meeting's place (``prefix`` "place__") or of
    its group ("group__")."""
    where = {name: row[prefix + name] for name in ADDRESS_FIELDS}
    exact = where["location_precision"] == LocationPrecision.EXACT
    city, region = where["city"], where["region"]
    street = ", ".join(line for line in (where["address_line1"], where["address_line2"]) if line)
    fields = {
        "location": where["name"],
        "location_notes": notes,
        "address": street if exact else "",
        "city": city,
        "state": region,
        "postal_code": where["postal_code"] if exact else "",
        "country": where["country"],
        "region": city,
        "approximate": "no" if exact else "yes",
    }
    if exact:
        state_zip = " ".join(part for part in (region, where["postal_code"]) if part)
        parts = (street, city, state_zip, where["country"])
        fields["formatted_address"] = ", ".join(part for part in parts if part)
    else:
        fields["formatted_address"] = ", ".join(part for part in (city, region) if part)
    if where["latitude"] is not None and where["longitude"] is not None:
        digits = 6 if exact else 2
        fields["latitude"] = round(float(where["latitude"]), digits)
        fields["longitude"] = round(float(where["longitude"]), digits)
    return fields
