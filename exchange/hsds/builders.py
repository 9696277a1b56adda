"""HSDS 3.0 objects built from listings, as plain dicts the API and the export share.

Mapping decisions (see also ``ids``):

- every published listing is one *service*, status "active";
- its *organization* is the listing's Organization; a listing without one gets a synthetic
  organization of its own (HSDS requires one per service), named like the listing;
- an in-person listing with coordinates has one *location* (and one *service_at_location*).
  Its *address* is given only when the street address is public and complete (HSDS requires
  address_1, city, state, postal code and country). For approximate-precision listings, whose
  street is private, the location carries no address and only coordinates rounded to two
  decimals (about a kilometre), with the town in its description;
- opening hours and a support group's meetings are *schedules* (RFC 5545 fields). Times are
  local wall-clock "HH:MM": the HSDS ``timezone`` field is a fixed UTC offset, which cannot
  say "America/Chicago" across daylight saving, so the IANA zone is named in ``notes``;
- language terms are *languages*, payment terms and a sober home's weekly cost are
  *cost_options*; every vocabulary term and the listing's kind are *attributes* linking the
  service to a *taxonomy_term* (one *taxonomy* per vocabulary, plus one for kinds).
"""

from django.db.models import Prefetch

from exchange.hsds import ids
from exchange.hsds.locations import compact, listing_location, place_location
from groups.models import Attendance, Meeting, MeetingFrequency, WeekOfMonth
from resources.models import Listing, ListingKind, Term
from resources.vocabularies import Vocabulary

RRULE_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]  # Sunday = 0, as Weekday.
LISTING_KINDS = ids.LISTING_KIND_TAXONOMY
LISTING_KIND_TAXONOMY_LABEL = "Kind of listing"
ATTENDING = {
    Attendance.IN_PERSON: "In person",
    Attendance.ONLINE: "Online (video or phone)",
    Attendance.HYBRID: "In person, or online (video or phone)",
}


def services_queryset():
    """Published listings with everything a service needs, in a fixed number of queries:
    the page (typed kinds and organization joined), terms, opening hours, meetings and
    their types."""
    return (
        Listing.objects.published()
        .with_kind_details()
        .prefetch_related(
            "terms",
            "opening_hours",
            Prefetch(
                "supportgroup__meetings",
                queryset=Meeting.objects.active().select_related("place").prefetch_related("types"),
                to_attr="hsds_meetings",
            ),
        )
    )


def has_location(listing):
    return listing.offers_in_person and listing.has_coordinates


# Taxonomies and terms ---------------------------------------------------------------


def taxonomies():
    """One taxonomy per vocabulary, and one for the kinds of listing."""
    rows = [
        {
            "id": ids.taxonomy_id(vocabulary.value),
            "name": str(vocabulary.label),
            "description": f"{vocabulary.label}: a vocabulary of the Recovery Support Directory.",
        }
        for vocabulary in Vocabulary
    ]
    rows.append(
        {
            "id": ids.taxonomy_id(LISTING_KINDS),
            "name": str(LISTING_KIND_TAXONOMY_LABEL),
            "description": "The kinds of listing in the Recovery Support Directory.",
        }
    )
    return rows


def taxonomy_term(vocabulary, code, label):
    vocabulary_label = (
        LISTING_KIND_TAXONOMY_LABEL if vocabulary == LISTING_KINDS else Vocabulary(vocabulary).label
    )
    return {
        "id": ids.taxonomy_term_id(vocabulary, code),
        "code": code,
        "name": str(label),
        "description": f"{vocabulary_label}: {label}",
        "taxonomy": str(vocabulary_label),
        "taxonomy_id": ids.taxonomy_id(vocabulary),
    }


def taxonomy_terms():
    """Every term: the vocabularies' (one query) and the listing kinds."""
    terms = [
        taxonomy_term(term.vocabulary, term.code, term.label)
        for term in Term.objects.order_by("vocabulary", "position", "code")
    ]
    terms += [taxonomy_term(LISTING_KINDS, kind.value, kind.label) for kind in ListingKind]
    return terms


def term_ids():
    """{taxonomy term id: (vocabulary, code)} for every term, listing kinds included."""
    pairs = Term.objects.values_list("vocabulary", "code")
    mapping = {ids.taxonomy_term_id(v, c): (v, c) for v, c in pairs}
    mapping.update(
        {ids.taxonomy_term_id(LISTING_KINDS, k): (LISTING_KINDS, k) for k in ListingKind}
    )
    return mapping


def attribute(link_id, link_entity, vocabulary, code, label):
    return {
        "id": ids.attribute_id(link_id, vocabulary, code),
        "link_id": link_id,
        "link_type": vocabulary,
        "link_entity": link_entity,
        "taxonomy_term_id": ids.taxonomy_term_id(vocabulary, code),
        "taxonomy_term": taxonomy_term(vocabulary, code, label),
    }


# Organizations ----------------------------------------------------------------------


def organization(org):
    return compact(
        {
            "id": ids.organization_id(org.pk),
            "name": org.name,
            "description": org.description or f"{org.name}, in the Recovery Support Directory.",
            "website": org.website,
        }
    )


def synthetic_organization(listing):
    """The stand-in organization of a listing that has none."""
    return compact(
        {
            "id": ids.listing_organization_id(listing.pk),
            "name": listing.name,
            "description": f"The provider of “{listing.name}”, listed without an organization.",
            "website": listing.website,
            "email": listing.email,
        }
    )


def organization_of(listing):
    if listing.organization_id:
        return organization(listing.organization)
    return synthetic_organization(listing)


# Services ---------------------------------------------------------------------------


def service_fields(listing):
    """The one-to-one fields of a service (the shape of HSDS's service lists)."""
    service_id = ids.service_id(listing.pk)
    accreditations = [
        term.label for term in listing.terms.all() if term.vocabulary == Vocabulary.ACCREDITATION
    ]
    return compact(
        {
            "id": service_id,
            "organization_id": (
                ids.organization_id(listing.organization_id)
                if listing.organization_id
                else ids.listing_organization_id(listing.pk)
            ),
            "name": listing.name,
            "alternate_name": "",
            "description": listing.description or listing.summary,
            "url": listing.website,
            "email": listing.email,
            "status": "active",
            "fees_description": listing.cost_notes,
            "accreditations": "; ".join(accreditations),
            "assured_date": listing.last_verified_on and listing.last_verified_on.isoformat(),
            "last_modified": listing.updated_at.isoformat(),
        }
    )


def service(listing, with_locations=True):
    """A fully nested service. ``with_locations=False`` leaves out service_at_locations
    (for the service inside a service_at_location)."""
    service_id = ids.service_id(listing.pk)
    body = service_fields(listing)
    body.update(
        compact(
            {
                "organization": organization_of(listing),
                "phones": phones(listing, service_id),
                "schedules": schedules(listing, service_id),
                "languages": languages(listing, service_id),
                "cost_options": cost_options(listing, service_id),
                "attributes": attributes(listing, service_id),
                "service_at_locations": (
                    [service_at_location(listing, with_service=False)]
                    if with_locations and has_location(listing)
                    else []
                )
                + (
                    [place_service_at_location(listing, place) for place in meeting_places(listing)]
                    if with_locations
                    else []
                ),
            }
        )
    )
    return body


def phones(listing, service_id):
    rows = []
    if listing.phone:
        rows.append(("voice", listing.phone))
    if listing.sms:
        rows.append(("text", listing.sms))
    return [
        {
            "id": ids.phone_id(listing.pk, phone_type),
            "service_id": service_id,
            "number": number,
            "type": phone_type,
        }
        for phone_type, number in rows
    ]


def schedules(listing, service_id):
    zone_note = f"Times are local time in {listing.time_zone}." if listing.time_zone else ""
    rows = []
    if listing.open_24_7:
        rows.append(
            {
                "id": ids.open_24_7_schedule_id(listing.pk),
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": "MO,TU,WE,TH,FR,SA,SU",
                "opens_at": "00:00",
                "closes_at": "23:59",
                "description": "Open 24 hours a day, 7 days a week.",
            }
        )
    for period in listing.opening_hours.all():
        rows.append(
            {
                "id": ids.opening_hours_schedule_id(period.pk),
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": RRULE_DAYS[period.weekday],
                "opens_at": f"{period.opens:%H:%M}",
                "closes_at": f"{period.closes:%H:%M}",
                "description": f"Open {period}.",
                "notes": " ".join(filter(None, [listing.hours_notes, zone_note])),
            }
        )
    # Meetings at another place are that place's service_at_location's schedules.
    group = getattr(listing.specific, "hsds_meetings", None)
    for meeting in group or []:
        if not meeting.place_id:
            rows.append(meeting_schedule(meeting, service_id))
    for row in rows:
        row["service_id"] = service_id
        if "notes" not in row:
            row["notes"] = zone_note
    return [compact(row) for row in rows]


def meeting_byday(meeting):
    """ "TU" weekly; "1SU" on the first Sunday or "-1FR" on the last Friday monthly."""
    day = RRULE_DAYS[meeting.weekday]
    if meeting.frequency != MeetingFrequency.MONTHLY:
        return day
    week = -1 if meeting.week_of_month == WeekOfMonth.LAST else meeting.week_of_month
    return f"{week}{day}"


def meeting_schedule(meeting, service_id):
    """A meeting's schedule row; one by appointment has no recurrence or times (HSDS leaves
    them optional), only its description."""
    monthly = meeting.frequency == MeetingFrequency.MONTHLY
    ends = f"–{meeting.end_time:%H:%M}" if meeting.end_time else ""
    types = ", ".join(term.label for term in meeting.types.all())
    if meeting.is_by_appointment:
        when = {"description": f"{meeting.name}: {meeting.schedule}"}
    else:
        when = {
            "freq": "MONTHLY" if monthly else "WEEKLY",
            "wkst": "MO",
            "byday": meeting_byday(meeting),
            "opens_at": f"{meeting.start_time:%H:%M}",
            "closes_at": meeting.end_time and f"{meeting.end_time:%H:%M}",
            "description": f"{meeting.name}: {meeting.schedule}, {meeting.start_time:%H:%M}{ends}",
        }
    when["description"] += (f" ({types})" if types else "") + "."
    return compact(
        {
            "id": ids.meeting_schedule_id(meeting.pk),
            # Held at the group's address: the service's; elsewhere: that place's
            # service_at_location's (HSDS links a schedule to one of them).
            "service_id": None if meeting.place_id else service_id,
            "service_at_location_id": meeting.place_id
            and ids.place_service_at_location_id(meeting.group_id, meeting.place_id),
            **when,
            "schedule_link": meeting.conference_url,
            "attending_type": ATTENDING.get(meeting.attendance, ""),
            "notes": f"Times are local time in {meeting.time_zone}.",
            "attributes": [
                attribute(
                    ids.meeting_schedule_id(meeting.pk),
                    "schedule",
                    Vocabulary.MEETING_TYPE.value,
                    term.code,
                    term.label,
                )
                for term in meeting.types.all()
            ],
        }
    )


def languages(listing, service_id):
    return [
        {
            "id": ids.language_id(listing.pk, term.code),
            "service_id": service_id,
            "name": term.label,
            "code": term.code,
        }
        for term in listing.terms.all()
        if term.vocabulary == Vocabulary.LANGUAGE
    ]


def cost_options(listing, service_id):
    rows = [
        compact(
            {
                "id": ids.cost_option_id(listing.pk, term.code),
                "service_id": service_id,
                "option": term.label,
                "amount": 0 if term.code == "free" else None,
                "currency": "USD" if term.code == "free" else "",
            }
        )
        for term in listing.terms.all()
        if term.vocabulary == Vocabulary.PAYMENT
    ]
    weekly_cost = getattr(listing.specific, "weekly_cost", None)
    if weekly_cost is not None:
        rows.append(
            {
                "id": ids.cost_option_id(listing.pk, "weekly-cost"),
                "service_id": service_id,
                "option": "Rent",
                "amount": float(weekly_cost),
                "currency": "USD",
                "amount_description": "per week",
            }
        )
    return rows


def attributes(listing, service_id):
    rows = [
        attribute(service_id, "service", term.vocabulary, term.code, term.label)
        for term in listing.terms.all()
    ]
    kind = ListingKind(listing.kind)
    rows.append(attribute(service_id, "service", LISTING_KINDS, kind.value, kind.label))
    return rows


# Locations --------------------------------------------------------------------------


def service_at_location(listing, with_service=True):
    body = {
        "id": ids.service_at_location_id(listing.pk),
        "service_id": ids.service_id(listing.pk),
        "location_id": ids.location_id(listing.pk),
        "location": listing_location(listing),
    }
    if with_service:
        body["service"] = service(listing, with_locations=False)
    return body


def meeting_places(listing):
    """The places other than its own address where a group's meetings are held, in order."""
    places = {}
    for meeting in getattr(listing.specific, "hsds_meetings", None) or []:
        if meeting.place_id:
            places.setdefault(meeting.place_id, meeting.place)
    return list(places.values())


def place_service_at_location(listing, place):
    """A group's meetings at another place: a service_at_location of their own, so a
    consumer sends people to where the meeting is, not to the group's address."""
    service_id = ids.service_id(listing.pk)
    at_place = ids.place_service_at_location_id(listing.pk, place.pk)
    return compact(
        {
            "id": at_place,
            "service_id": service_id,
            "location_id": ids.place_location_id(place.pk),
            "description": f"Meetings of {listing.name} at {place.name}.",
            "location": place_location(place),
            "schedules": [
                meeting_schedule(meeting, service_id)
                for meeting in listing.specific.hsds_meetings
                if meeting.place_id == place.pk
            ],
        }
    )
