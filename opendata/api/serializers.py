"""What the API says about a listing, a meeting and a fellowship.

Addresses honour the listing's precision flag exactly as the pages do: an approximate place
shows its town only, and its coordinates rounded to 2 decimals (about 1 km).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from groups.models import Meeting
from resources import geo
from resources.models import ListingKind
from resources.vocabularies import Vocabulary


def _or_empty(string_format):
    """A string in ``string_format``, or "" when there is none (the models store blanks)."""
    return {
        "oneOf": [
            {"type": "string", "format": string_format},
            {"type": "string", "maxLength": 0},
        ],
        "description": "Empty when there is none.",
    }


@extend_schema_field(_or_empty("uri"))
class URLOrEmptyField(serializers.URLField):
    pass


@extend_schema_field(_or_empty("email"))
class EmailOrEmptyField(serializers.EmailField):
    pass


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "19:30"}
)
class HourMinuteField(serializers.TimeField):
    """A time of day as "HH:MM" (24-hour clock), in the listing's or meeting's time zone.

    Not OpenAPI's ``format: time``, which is RFC 3339's full time with seconds and offset.
    """

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class CoordinatesSerializer(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class AddressSerializer(serializers.Serializer):
    """The public part of an address: street lines and postal code only when exact."""

    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    town = serializers.CharField(help_text="City and state, such as “Chicago, IL”.")
    precision = serializers.ChoiceField(choices=["exact", "approximate"])


def public_address(place):
    exact = place.address_is_public
    return {
        "line1": place.address_line1 if exact else "",
        "line2": place.address_line2 if exact else "",
        "city": place.city,
        "region": place.region,
        "postal_code": place.postal_code if exact else "",
        "country": place.country,
        "town": place.town,
        "precision": place.location_precision,
    }


def public_coordinates(place):
    if not place.has_coordinates:
        return None
    if place.address_is_public:
        latitude, longitude = float(place.latitude), float(place.longitude)
    else:
        latitude, longitude = geo.round_coordinates(place.latitude, place.longitude)
    return {"latitude": latitude, "longitude": longitude}


def miles(obj):
    distance = getattr(obj, "distance", None)
    return None if distance is None else round(float(distance), 1)


def absolute(request, path):
    return request.build_absolute_uri(path) if request else path


class ListingSerializer(serializers.Serializer):
    """A listing as it appears in a list of results."""

    kind = serializers.ChoiceField(choices=ListingKind.choices)
    kind_label = serializers.SerializerMethodField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    summary = serializers.CharField()
    address = serializers.SerializerMethodField()
    coordinates = serializers.SerializerMethodField()
    distance = serializers.SerializerMethodField(
        help_text="Miles from `near`, rounded to 0.1; null without `near` (and for phone "
        "and online services added by `remote`)."
    )
    phone = serializers.CharField()
    website = URLOrEmptyField()
    delivery = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="This listing in the API.")
    html_url = serializers.SerializerMethodField(help_text="This listing's page on the site.")

    def get_kind_label(self, listing) -> str:
        return ListingKind(listing.kind).label

    @extend_schema_field(AddressSerializer)
    def get_address(self, listing):
        return public_address(listing)

    @extend_schema_field(CoordinatesSerializer(allow_null=True))
    def get_coordinates(self, listing):
        return public_coordinates(listing)

    def get_distance(self, listing) -> float | None:
        return miles(listing)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(["in_person", "online", "phone"]))
    )
    def get_delivery(self, listing):
        modes = {
            "in_person": "offers_in_person",
            "online": "offers_online",
            "phone": "offers_phone",
        }
        return [mode for mode, field in modes.items() if getattr(listing, field)]

    def get_url(self, listing) -> str:
        return reverse("api:listing-detail", [listing.slug], request=self.context.get("request"))

    def get_html_url(self, listing) -> str:
        return absolute(self.context.get("request"), listing.get_absolute_url())


class OpeningHoursSerializer(serializers.Serializer):
    day = serializers.IntegerField(source="weekday", help_text="0 is Sunday … 6 is Saturday.")
    day_name = serializers.CharField(source="get_weekday_display")
    opens = HourMinuteField()
    closes = HourMinuteField()


class OrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    website = URLOrEmptyField()


class FellowshipRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class GroupRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, group) -> str:
        return reverse("api:listing-detail", [group.slug], request=self.context.get("request"))


class MeetingPlaceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The hall or room; empty at the group's own address.")
    notes = serializers.CharField(help_text="Directions to the room.")
    address = AddressSerializer()
    coordinates = CoordinatesSerializer(allow_null=True)


class OnlineSerializer(serializers.Serializer):
    url = serializers.CharField()
    url_notes = serializers.CharField()
    phone = serializers.CharField()
    phone_notes = serializers.CharField()


class MeetingSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    group = GroupRefSerializer()
    fellowship = FellowshipRefSerializer(source="group.fellowship")
    day = serializers.IntegerField(
        source="weekday",
        allow_null=True,
        help_text="0 is Sunday … 6 is Saturday; null for a meeting by appointment.",
    )
    day_name = serializers.CharField(source="get_weekday_display", allow_null=True)
    time = HourMinuteField(source="start_time", allow_null=True)
    end_time = HourMinuteField(allow_null=True)
    time_zone = serializers.CharField()
    frequency = serializers.CharField()
    week_of_month = serializers.IntegerField(allow_null=True)
    schedule = serializers.CharField(
        help_text="“Every Tuesday”, “First Sunday of the month”, “By appointment”."
    )
    attendance = serializers.CharField()
    status = serializers.CharField()
    types = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField(help_text="Where to go; null for online only.")
    online = serializers.SerializerMethodField(help_text="How to join; null for in person only.")
    notes = serializers.CharField()
    distance = serializers.SerializerMethodField(help_text="Miles from `near`; null without.")
    html_url = serializers.SerializerMethodField()

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_types(self, meeting):
        return [{"code": term.code, "label": term.display_label} for term in meeting.types.all()]

    @extend_schema_field(MeetingPlaceSerializer(allow_null=True))
    def get_place(self, meeting):
        where = meeting.location
        if where is None:
            return None
        place = meeting.place
        return {
            "name": place.name if place else "",
            "notes": place.notes if place else "",
            "address": public_address(where),
            "coordinates": public_coordinates(where),
        }

    @extend_schema_field(OnlineSerializer(allow_null=True))
    def get_online(self, meeting):
        if not meeting.is_online:
            return None
        return {
            "url": meeting.conference_url,
            "url_notes": meeting.conference_url_notes,
            "phone": meeting.conference_phone,
            "phone_notes": meeting.conference_phone_notes,
        }

    def get_distance(self, meeting) -> float | None:
        return miles(meeting)

    def get_html_url(self, meeting) -> str:
        return absolute(self.context.get("request"), meeting.get_absolute_url())


def _json_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # Decimal money, kept exact


def kind_details(specific):
    """The fields only this kind of listing has; a choice comes with its label."""
    details = {}
    for field in type(specific)._meta.local_fields:
        if field.remote_field and field.remote_field.parent_link:
            continue
        if field.is_relation:
            related = getattr(specific, field.name)
            details[field.name] = (
                {"slug": related.slug, "name": related.name} if related is not None else None
            )
            continue
        details[field.name] = _json_value(getattr(specific, field.attname))
        if field.choices:
            details[f"{field.name}_label"] = getattr(specific, f"get_{field.name}_display")()
    return details


class ListingDetailSerializer(ListingSerializer):
    """Everything public about one listing, its kind's own fields included."""

    description = serializers.CharField()
    email = EmailOrEmptyField()
    sms = serializers.CharField()
    organization = OrganizationSerializer(allow_null=True)
    cost_notes = serializers.CharField()
    open_24_7 = serializers.BooleanField()
    hours_notes = serializers.CharField()
    opening_hours = OpeningHoursSerializer(many=True)
    time_zone = serializers.CharField()
    last_verified_on = serializers.DateField(allow_null=True)
    details = serializers.SerializerMethodField(
        help_text="The fields of this kind of listing, such as `role` for a clinician or "
        "`beds_available` for a sober living home; a choice has a `…_label` next to it."
    )
    terms = serializers.SerializerMethodField(
        help_text="Tags grouped by vocabulary code, as listed at /api/v1/vocabularies/."
    )
    meetings = serializers.SerializerMethodField(
        help_text="A support group's meetings (active or temporarily closed); empty otherwise."
    )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_details(self, listing):
        return kind_details(listing.specific)

    @extend_schema_field(
        serializers.DictField(
            child=CodeLabelSerializer(many=True), help_text="{vocabulary: [{code, label}]}"
        )
    )
    def get_terms(self, listing):
        grouped = {}
        for term in sorted(listing.terms.all(), key=lambda t: (t.vocabulary, t.position)):
            grouped.setdefault(term.vocabulary, []).append(
                {"code": term.code, "label": term.display_label}
            )
        order = list(Vocabulary.values)
        return dict(sorted(grouped.items(), key=lambda item: order.index(item[0])))

    @extend_schema_field(MeetingSerializer(many=True))
    def get_meetings(self, listing):
        if listing.kind != ListingKind.SUPPORT_GROUP:
            return []
        meetings = listing.specific.meetings.all()
        return MeetingSerializer(meetings, many=True, context=self.context).data


class FellowshipSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    approach = serializers.CharField()
    approach_label = serializers.CharField(source="get_approach_display")
    audience = serializers.CharField()
    audience_label = serializers.CharField(source="get_audience_display")
    website = URLOrEmptyField()
    description = serializers.CharField()
    html_url = serializers.SerializerMethodField()
    meetings_url = serializers.SerializerMethodField(help_text="Its meetings, any day.")

    def get_html_url(self, fellowship) -> str:
        path = reverse("directory:fellowship_detail", [fellowship.slug])
        return absolute(self.context.get("request"), path)

    def get_meetings_url(self, fellowship) -> str:
        path = reverse("api:meeting-list") + f"?fellowship={fellowship.slug}&day=any"
        return absolute(self.context.get("request"), path)


def meeting_queryset_for_detail():
    return Meeting.objects.on_schedule().select_related("place").prefetch_related("types")
