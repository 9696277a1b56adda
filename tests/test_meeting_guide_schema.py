"""Our Meeting Guide feed against the official JSON Schema (code4recovery/spec, MIT), copied
into exchange/data/meeting_guide/: the demo data and a feed with every optional field, 0 errors."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from exchange.meeting_guide.importer import import_feed
from groups.models import Meeting
from tests.factories import fellowship, make_meeting

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parents[1] / "exchange/data/meeting_guide"
FEED = reverse("exchange:meeting_guide_feed")

# Every field of the spec a source may publish, in the shapes the schema's patterns take.
EVERY_FIELD = {
    "name": "Lakeview Step Study",
    "slug": "lakeview-step-study",
    "day": 2,
    "time": "19:30",
    "end_time": "20:30",
    "timezone": "America/Chicago",
    "types": ["C", "ST", "X"],
    "notes": "Bring a Big Book.",
    "location": "Lakeview Church",
    "location_notes": "Enter by the side door on Elm St.",
    "formatted_address": "2400 N Clark St, Chicago, IL 60614, USA",
    "address": "2400 N Clark St",
    "city": "Chicago",
    "state": "IL",
    "postal_code": "60614",
    "country": "US",
    "latitude": 41.9248,
    "longitude": -87.6414,
    "approximate": "no",
    "regions": ["Chicago", "North Side", "Lakeview"],
    "district": "District 7",
    "conference_url": "https://zoom.example.org/j/1234567890",
    "conference_url_notes": "Passcode 1234",
    "conference_phone": "+13125550100",
    "conference_phone_notes": "Meeting ID 123 456 7890",
    "group": "Lakeview Group",
    "group_notes": "Business meeting on the first Tuesday.",
    "url": "https://aa-intergroup.example.org/meetings/lakeview-step-study/",
    "updated": "2026-01-15 18:04:05",
    "feedback_url": "https://aa-intergroup.example.org/feedback/",
    "feedback_emails": ["listings@aa-intergroup.example.org"],
    "venmo": "@LakeviewGroup",
    "paypal": "paypal.me/LakeviewGroup",
    "square": "$LakeviewGroup",
    "entity": "Example Area Intergroup",
    "entity_email": "office@aa-intergroup.example.org",
    "entity_location": "Serving the North Side",
    "entity_logo": "https://aa-intergroup.example.org/logo.png",
    "entity_phone": "+13125550199",
    "entity_website_url": "https://aa-intergroup.example.org/",
}


def validator():
    """The feed schema, its $refs resolved to our copies: nothing is fetched."""
    schemas = [json.loads(path.read_text()) for path in SCHEMAS.glob("*.schema.json")]
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas
    )
    feed_schema = next(schema for schema in schemas if schema["$id"].endswith("/feed.schema.json"))
    return Draft7Validator(
        feed_schema, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER
    )


# The schema's address patterns take only plain US addresses of letters: they refuse
# "2811 N 5th St" (an ordinal after a word), "Suite 2", "St. Paul", a ZIP+4 and every
# Canadian postal code. Our feed writes an address as it is rather than leave it out or bend
# it, so these patterns, and only these, may fail on real addresses.
ADDRESS_FIELDS = {"address", "formatted_address", "city", "postal_code"}


def errors_of(entries, *, but_address_patterns=False):
    """Every schema error, as "[position, field]: message"; with ``but_address_patterns``
    every one but the address patterns' (above)."""
    return [
        f"{list(error.absolute_path)}: {error.message}"
        for error in validator().iter_errors(entries)
        if not (
            but_address_patterns
            and error.validator == "pattern"
            and error.absolute_path[-1] in ADDRESS_FIELDS
        )
    ]


def exported(client):
    response = client.get(FEED)
    assert response.status_code == 200
    return json.loads(b"".join(response) if response.streaming else response.content)


def test_the_schema_finds_errors_at_all():
    # A check that passes everything would prove nothing.
    assert errors_of([{"name": "No slug", "time": "7pm", "entity_email": "office"}]) == [
        "[0]: 'slug' is a required property",
        "[0, 'time']: '7pm' does not match '^([01]?[0-9]|2[0-3]):[0-5][0-9]$'",
        "[0, 'entity_email']: 'office' is not a 'email'",
    ]


def test_the_demo_data_exports_with_no_schema_errors_but_real_addresses(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path
    call_command("load_demo", force=True, verbosity=0)

    entries = exported(client)

    assert len(entries) > 20
    assert errors_of(entries, but_address_patterns=True) == []
    # Most in-person meetings pass the address patterns too: they are checked, not ignored.
    in_person = [entry for entry in entries if "address" in entry]
    passing = [entry for entry in in_person if not errors_of([entry])]
    assert len(passing) > len(in_person) / 2


def test_a_feed_with_every_optional_field_comes_back_whole_and_valid(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path
    report = import_feed([EVERY_FIELD], fellowship="AA", source="intergroup")
    assert report.created == 1 and not report.warnings, report.lines()

    (entry,) = exported(client)

    assert errors_of([entry]) == []
    # What the source published comes back out, its own page and time included.
    for name, value in EVERY_FIELD.items():
        if name not in ("formatted_address", "country"):
            assert entry[name] == value, name
    assert entry["region"] == "Chicago"
    assert entry["sub_region"] == "North Side"
    assert entry["attendance_option"] == "hybrid"
    # Empty values are left out, never written as "".
    assert "" not in entry.values()


def test_a_slug_longer_than_64_characters_is_cut_the_same_way_every_time(
    client, settings, tmp_path
):
    settings.FEEDS_DIR = tmp_path
    long_slug = "the-tuesday-night-big-book-step-study-and-traditions-discussion-group"
    twin_slug = long_slug + "-2"
    make_meeting(slug=long_slug)
    make_meeting(slug=twin_slug)

    slugs = sorted(entry["slug"] for entry in exported(client))

    assert all(len(slug) <= 64 for slug in slugs)
    assert slugs[0] != slugs[1]
    assert all(slug.startswith(long_slug[:50]) for slug in slugs)
    Meeting.objects.update(notes="changed")  # a new generation of the feed
    assert sorted(entry["slug"] for entry in exported(client)) == slugs
    assert errors_of(exported(client)) == []


def test_an_online_meeting_of_our_own_is_valid_with_few_fields(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path
    fellowship("AA")
    make_meeting(
        slug="online",
        attendance="online",
        conference_url="https://zoom.example.org/j/42",
        conference_phone="(312) 555-0123",
    )

    (entry,) = exported(client)

    assert entry["conference_phone"] == "3125550123"
    assert errors_of([entry]) == []
