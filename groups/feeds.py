"""The Meeting Guide JSON feed: /api/meeting-guide.json.

A JSON array with one object per listed weekly meeting, in the format of the Meeting Guide
app (code4recovery/spec). Monthly meetings are left out: the format cannot say "first
Sunday". Where a place publishes only its town (approximate precision), the feed gives
the city and state without street or ZIP and coordinates rounded to two decimals
(about a kilometre). Online-only meetings carry no address; hybrid ones carry both.

``?fellowship=AA`` (short name or slug) and ``?region=Chicago`` (the city) narrow it.
"""

from datetime import UTC

from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from groups.models import Fellowship, Meeting
from resources.models import Term

MAX_PARAMETER_LENGTH = 100


class BadRequest(Exception):
    pass


@require_safe
def meeting_guide_feed(request):
    try:
        meetings = _meetings(request.GET)
    except BadRequest as error:
        response = JsonResponse({"error": str(error)}, status=400)
    else:
        response = JsonResponse([_entry(request, meeting) for meeting in meetings], safe=False)
        patch_cache_control(response, public=True, max_age=300)
    # Public, read-only data: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _parameter(query, name):
    value = query.get(name)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_PARAMETER_LENGTH:
        raise BadRequest(f"{name} must be between 1 and {MAX_PARAMETER_LENGTH} characters.")
    return value


def _meetings(query):
    # Queries: 1. the meetings with their groups, fellowships and places; 2. their types
    # (plus 1. the fellowship, when one is asked for).
    meetings = (
        Meeting.objects.listed()
        .weekly()
        .select_related("group__fellowship", "place")
        .prefetch_related(Prefetch("types", queryset=Term.objects.order_by("code")))
        .order_by("weekday", "start_time", "slug")
    )
    if (fellowship := _parameter(query, "fellowship")) is not None:
        found = Fellowship.objects.filter(
            Q(short_name__iexact=fellowship) | Q(slug__iexact=fellowship)
        ).first()
        if found is None:
            raise BadRequest(f"No fellowship {fellowship!r}: use a short name such as AA.")
        meetings = meetings.filter(group__fellowship=found)
    if (region := _parameter(query, "region")) is not None:
        meetings = meetings.filter(
            Q(place__city__iexact=region) | Q(place__isnull=True, group__city__iexact=region)
        )
    return meetings


def _time(value):
    return value.strftime("%H:%M")


def _entry(request, meeting):
    group = meeting.group
    entry = {
        "name": meeting.name,
        "slug": meeting.slug,
        "day": meeting.weekday,
        "time": _time(meeting.start_time),
        "timezone": meeting.time_zone,
        "types": [term.code for term in meeting.types.all()],
        "attendance_option": meeting.attendance,
        "group": group.name,
        "group_notes": group.summary,
        "notes": meeting.notes,
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
        "updated": meeting.updated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    if meeting.end_time:
        entry["end_time"] = _time(meeting.end_time)
    if meeting.is_online:
        entry.update(
            conference_url=meeting.conference_url,
            conference_url_notes=meeting.conference_url_notes,
            conference_phone=meeting.conference_phone,
            conference_phone_notes=meeting.conference_phone_notes,
        )
    if meeting.is_in_person:
        entry.update(_location(meeting.place or group, meeting.place))
    return entry


def _location(where, place):
    """Place fields; ``where`` is the meeting's place or its group, both Addresses."""
    exact = where.address_is_public
    street = ", ".join(line for line in (where.address_line1, where.address_line2) if line)
    fields = {
        "location": where.name,
        "location_notes": place.notes if place else "",
        "address": street if exact else "",
        "city": where.city,
        "state": where.region,
        "postal_code": where.postal_code if exact else "",
        "country": where.country,
        "region": where.city,
        "approximate": "no" if exact else "yes",
    }
    town = ", ".join(part for part in (where.city, where.region) if part)
    if exact:
        state_zip = " ".join(part for part in (where.region, where.postal_code) if part)
        parts = (street, where.city, state_zip, where.country)
        fields["formatted_address"] = ", ".join(part for part in parts if part)
    else:
        fields["formatted_address"] = town
    if where.has_coordinates:
        digits = 6 if exact else 2
        fields["latitude"] = round(float(where.latitude), digits)
        fields["longitude"] = round(float(where.longitude), digits)
    return fields
