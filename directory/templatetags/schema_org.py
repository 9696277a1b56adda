"""schema.org JSON-LD for a listing page, so search engines can show the phone and hours.

The data is built as a plain dict and escaped the way Django's ``json_script`` does it;
``json_script`` itself cannot be used because it always writes type="application/json".
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from directory.templatetags.directory import web_url
from resources.models import ClinicianRole, ListingKind, Weekday

register = template.Library()

SCHEMA_TYPES = {
    ListingKind.CLINICIAN: "MedicalBusiness",
    ListingKind.TREATMENT_PROGRAM: "MedicalClinic",
    ListingKind.SOBER_LIVING_HOME: "LodgingBusiness",
    ListingKind.HELPLINE: "Organization",
    ListingKind.COMMUNITY_RESOURCE: "Organization",
    ListingKind.SUPPORT_GROUP: "Organization",
}
PHYSICIAN_ROLES = {ClinicianRole.ADDICTION_MEDICINE, ClinicianRole.PSYCHIATRIST}
# Only LocalBusiness and its subtypes take openingHours.
TYPES_WITH_HOURS = {"Physician", "MedicalBusiness", "MedicalClinic", "LodgingBusiness"}
DAY_CODES = {
    Weekday.SUNDAY: "Su",
    Weekday.MONDAY: "Mo",
    Weekday.TUESDAY: "Tu",
    Weekday.WEDNESDAY: "We",
    Weekday.THURSDAY: "Th",
    Weekday.FRIDAY: "Fr",
    Weekday.SATURDAY: "Sa",
}
# What json_script escapes, so the text can never close the script element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def schema_type(listing):
    specific = listing.specific
    if listing.kind == ListingKind.CLINICIAN and specific.role in PHYSICIAN_ROLES:
        return "Physician"
    return SCHEMA_TYPES[listing.kind]


def postal_address(place):
    """Only what the page itself shows: the town alone for an approximate place."""
    address = {
        "@type": "PostalAddress",
        "addressLocality": place.city,
        "addressRegion": place.region,
        "addressCountry": place.country,
    }
    if place.address_is_public:
        street = ", ".join(line for line in (place.address_line1, place.address_line2) if line)
        address.update(streetAddress=street, postalCode=place.postal_code)
    return {key: value for key, value in address.items() if value}


def opening_hours(listing):
    if listing.open_24_7:
        return ["Mo-Su 00:00-23:59"]
    return [
        f"{DAY_CODES[period.weekday]} {period.opens:%H:%M}-{period.closes:%H:%M}"
        for period in listing.opening_hours.all()
    ]


def listing_data(listing, page_url):
    data = {
        "@context": "https://schema.org",
        "@type": schema_type(listing),
        "name": listing.name,
        "url": page_url,
        "description": listing.summary,
        "telephone": listing.phone,
        "email": listing.email,
        "sameAs": web_url(listing.website),
    }
    if listing.city or listing.region:
        data["address"] = postal_address(listing)
    if listing.address_is_public and listing.has_coordinates:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(listing.latitude),
            "longitude": float(listing.longitude),
        }
    if data["@type"] in TYPES_WITH_HOURS:
        data["openingHours"] = opening_hours(listing)
    return {key: value for key, value in data.items() if value}


@register.filter
def json_ld(data):
    """``<script type="application/ld+json">`` holding ``data``, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def listing_json_ld(context, listing):
    page_url = context["request"].build_absolute_uri(listing.get_absolute_url())
    return json_ld(listing_data(listing, page_url))
