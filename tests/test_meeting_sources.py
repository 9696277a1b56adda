"""Each source keeps its own meetings, and no accident deactivates a source (issue 14).

Feeds are written here, in the shapes intergroups publish: several feeds of one fellowship,
each imported with its own --source, whose slugs coincide.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from exchange.meeting_guide.importer import FeedError, import_feed
from groups.models import Meeting, MeetingStatus
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def meeting(slug, city, *, name="Big Book Study", day=1, **fields):
    """An in-person row of a feed, at a hall in ``city``."""
    places = {
        "Anaheim": ("CA", "92805", "America/Los_Angeles", 33.83, -117.91),
        "Dover": ("DE", "19901", "America/New_York", 39.16, -75.52),
        "Hatboro": ("PA", "19040", "America/New_York", 40.17, -75.10),
    }
    state, postal_code, zone, latitude, longitude = places[city]
    return {
        "name": name,
        "slug": slug,
        "day": day,
        "time": "19:00",
        "end_time": "20:00",
        "timezone": zone,
        "location": f"{city} Hall",
        "address": f"1 Main St {city}",
        "city": city,
        "state": state,
        "postal_code": postal_code,
        "country": "US",
        "latitude": latitude,
        "longitude": longitude,
        "group": f"{name} {city}",
        "types": ["O"],
        **fields,
    }


CALIFORNIA = [
    meeting("big-book-study", "Anaheim"),
    meeting("11th-step", "Anaheim", name="11th Step"),
    meeting("primary-purpose", "Anaheim", name="Primary Purpose", day=3),
]
DELAWARE = [
    meeting("big-book-study", "Dover"),
    meeting("11th-step", "Dover", name="11th Step", day=4),
    meeting("dover-sunrise", "Dover", name="Sunrise", day=0),
]


def run(feed, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    text = json.dumps(feed)
    call_command(
        "import_meeting_guide",
        "-",
        *args,
        stdin=io.StringIO(text),
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue(), err.getvalue()


def by_source(source):
    return {m.source_slug: m for m in Meeting.objects.filter(source=source).select_related("place")}


def test_feeds_with_the_same_slugs_keep_their_own_meetings():
    import_feed(CALIFORNIA, fellowship="AA", source="california")
    import_feed(DELAWARE, fellowship="AA", source="delaware")

    california, delaware = by_source("california"), by_source("delaware")
    assert california["big-book-study"].slug == "big-book-study"
    assert delaware["big-book-study"].slug == "big-book-study-2"
    assert delaware["dover-sunrise"].slug == "dover-sunrise"
    assert california["big-book-study"].place.city == "Anaheim"
    assert delaware["big-book-study"].place.city == "Dover"
    slugs = {m.pk: m.slug for m in Meeting.objects.all()}

    # Each again, in either order: nothing changes, not even a site slug.
    for feed, source in [(CALIFORNIA, "california"), (DELAWARE, "delaware")] * 2:
        report = import_feed(feed, fellowship="AA", source=source)
        assert (report.created, report.updated, report.deactivated) == (0, 0, 0)
        assert report.unchanged == 3
    assert {m.pk: m.slug for m in Meeting.objects.all()} == slugs
    assert by_source("delaware")["big-book-study"].place.city == "Dover"
    assert by_source("delaware")["big-book-study"].time_zone == "America/New_York"
    assert by_source("california")["big-book-study"].place.city == "Anaheim"
    assert by_source("california")["big-book-study"].time_zone == "America/Los_Angeles"


def test_a_change_in_one_source_changes_only_its_meetings():
    import_feed(CALIFORNIA, fellowship="AA", source="california")
    import_feed(DELAWARE, fellowship="AA", source="delaware")
    moved = [meeting("big-book-study", "Hatboro"), *DELAWARE[1:]]

    report = import_feed(moved, fellowship="AA", source="delaware")

    assert (report.created, report.updated, report.deactivated) == (0, 1, 0)
    assert by_source("delaware")["big-book-study"].place.city == "Hatboro"
    assert by_source("california")["big-book-study"].place.city == "Anaheim"
    # A source that drops a slug deactivates its own meeting, never the other source's.
    report = import_feed(DELAWARE[1:], fellowship="AA", source="delaware", allow_deactivate=True)
    assert report.deactivated == 1
    assert by_source("delaware")["big-book-study"].status == MeetingStatus.INACTIVE
    assert by_source("california")["big-book-study"].status == MeetingStatus.ACTIVE


def test_a_curators_meeting_is_never_taken_over():
    by_hand = make_meeting(slug="big-book-study", name="By hand")

    import_feed(CALIFORNIA, fellowship="AA", source="california")
    import_feed(CALIFORNIA[1:], fellowship="AA", source="california", allow_deactivate=True)

    by_hand.refresh_from_db()
    assert (by_hand.name, by_hand.source, by_hand.status) == ("By hand", "", MeetingStatus.ACTIVE)
    assert by_source("california")["big-book-study"].slug == "big-book-study-2"


def test_a_meeting_whose_own_slug_is_free_gets_it_before_suffixes_are_given():
    make_meeting(slug="big-book-study")
    feed = [meeting("big-book-study", "Dover"), meeting("big-book-study-2", "Dover", day=2)]

    import_feed(feed, fellowship="AA", source="delaware")

    assert {m.source_slug: m.slug for m in by_source("delaware").values()} == {
        "big-book-study-2": "big-book-study-2",
        "big-book-study": "big-book-study-3",
    }


def test_an_empty_feed_deactivates_nothing_and_says_so():
    run(DELAWARE, fellowship="AA", source="delaware")

    output, _ = run([], fellowship="AA", source="delaware")

    assert "0 deactivated" in output
    assert "lists no meeting that could be imported: none of the 3 active meetings" in output
    assert not Meeting.objects.filter(status=MeetingStatus.INACTIVE).exists()
    # Even when told it may deactivate.
    run([], fellowship="AA", source="delaware", allow_deactivate=True)
    assert not Meeting.objects.filter(status=MeetingStatus.INACTIVE).exists()


def test_a_feed_whose_every_row_is_refused_deactivates_nothing():
    run(DELAWARE, fellowship="AA", source="delaware")
    refused = [{**row, "name": ""} for row in DELAWARE] + [{"slug": "x"}]

    output, _ = run(refused, fellowship="AA", source="delaware", skip_invalid=True)

    assert "0 created, 0 updated, 0 unchanged, 0 deactivated" in output
    assert not Meeting.objects.filter(status=MeetingStatus.INACTIVE).exists()


def eight_meetings():
    return [meeting(f"m{number}", "Dover", day=number % 7) for number in range(8)]


def test_deactivating_more_than_a_quarter_of_a_source_needs_a_flag():
    run(eight_meetings(), fellowship="AA", source="delaware")
    before = list(Meeting.objects.order_by("pk").values())
    shorter = eight_meetings()[:5]
    shorter[0]["name"] = "Renamed"

    with pytest.raises(CommandError, match=r"deactivate 3 of the 8 active meetings .*\(38%"):
        run(shorter, fellowship="AA", source="delaware")
    assert list(Meeting.objects.order_by("pk").values()) == before  # nothing at all

    output, _ = run(shorter, fellowship="AA", source="delaware", allow_deactivate=True)
    assert "0 created, 1 updated, 4 unchanged, 3 deactivated" in output


def test_the_share_can_be_set_and_a_quarter_is_allowed():
    run(eight_meetings(), fellowship="AA", source="delaware")

    output, _ = run(eight_meetings()[:6], fellowship="AA", source="delaware")  # 2 of 8
    assert "2 deactivated" in output
    output, _ = run(eight_meetings()[:3], fellowship="AA", source="delaware", max_deactivate=50)
    assert "3 deactivated" in output  # 3 of 6
    with pytest.raises(FeedError, match="deactivate 2 of the 3"):
        import_feed(eight_meetings()[:1], fellowship="AA", source="delaware", max_deactivate=0.5)


def test_a_missing_fellowship_is_one_clear_error():
    with pytest.raises(CommandError) as error:
        run([dict(row, slug=f"s{n}") for n, row in enumerate(DELAWARE * 41)])

    message = str(error.value)
    assert "123 of 123 rows do not say their fellowship: give --fellowship, one of" in message
    assert "AA" in message and "NA" in message
    assert len(message.splitlines()) == 2  # "Nothing imported…" and the one problem
    assert not Meeting.objects.exists()


def test_long_imports_say_how_far_they_are(monkeypatch):
    monkeypatch.setattr("exchange.writer.PROGRESS_EVERY", 2)

    output, progress = run(eight_meetings(), fellowship="AA", source="delaware")

    assert "Compared 2 of 8 meetings…" in progress
    assert "Compared 8 of 8 meetings…" in progress
    assert "Writing 8 new and 0 changed meetings…" in progress
    assert "Compared" not in output


def test_the_migration_gives_imported_meetings_their_group_source_and_slug():
    from importlib import import_module

    from django.apps import apps

    from tests.factories import make_support_group

    migration = import_module("groups.migrations.0007_meeting_source")
    imported = make_meeting(slug="imported", group=make_support_group(source="chicago"))
    by_hand = make_meeting(slug="by-hand")

    migration.fill_sources(apps, None)

    imported.refresh_from_db()
    by_hand.refresh_from_db()
    assert (imported.source, imported.source_slug) == ("chicago", "imported")
    assert (by_hand.source, by_hand.source_slug) == ("", "")
