"""Meetings that cross midnight (23:30 to 00:30) keep their end time everywhere (issue 14).

An end time before the start is the next day. Every moment is an explicit aware datetime
passed in; nothing reads the clock except the .ics view, given its stamp through calendar().
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from exchange.meeting_guide.importer import import_feed
from groups.calendar import calendar
from groups.models import Meeting
from groups.schedule import next_occurrence, occurrence_end
from tests.factories import make_meeting
from tests.test_meeting_calendar import events, unfold
from tests.test_meeting_feed import by_slug, feed

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
TUESDAY, WEDNESDAY, SATURDAY = 2, 3, 6


def late_night(**fields):
    return make_meeting(
        name="Late Night",
        slug="late-night",
        start_time=time(23, 30),
        end_time=time(0, 30),
        **{"weekday": TUESDAY, **fields},
    )


def soon(moment):
    return set(Meeting.objects.happening_soon(moment).values_list("name", flat=True))


def test_a_feed_row_from_23_30_to_00_30_keeps_its_end():
    row = {
        "name": "Late Night",
        "slug": "late-night",
        "day": TUESDAY,
        "time": "23:30",
        "end_time": "00:30",
        "timezone": "America/Chicago",
        "conference_url": "https://zoom.example.org/j/9",
    }
    report = import_feed([row], fellowship="AA")

    meeting = Meeting.objects.get(source_slug="late-night")
    assert (meeting.start_time, meeting.end_time) == (time(23, 30), time(0, 30))
    assert report.warnings == []


def test_the_model_reads_an_earlier_end_as_the_next_day_and_refuses_an_equal_one():
    meeting = late_night()
    meeting.full_clean()
    for end in (time(23, 30), time(11, 30)):  # no length; 12 hours on: a mistake
        meeting.end_time = end
        with pytest.raises(ValidationError) as raised:
            meeting.full_clean()
        assert "end_time" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end_time=time(23, 30))


def test_the_meeting_page_shows_the_end_past_midnight(client):
    meeting = late_night()
    text = client.get(meeting.get_absolute_url()).text
    assert "11:30 PM to 12:30 AM" in text


def test_in_progress_at_00_10_the_next_day():
    late_night()
    # 2026-11-24 is a Tuesday; 00:10 on Wednesday the 25th.
    just_after = datetime(2026, 11, 25, 0, 10, tzinfo=CHICAGO)
    assert soon(just_after) == {"Late Night"}
    assert soon(datetime(2026, 11, 25, 0, 30, tzinfo=CHICAGO)) == set()
    # Before midnight, on its own day, it is in progress too.
    assert soon(datetime(2026, 11, 24, 23, 45, tzinfo=CHICAGO)) == {"Late Night"}

    meeting = Meeting.objects.get()
    start = next_occurrence(meeting, just_after)
    assert start == datetime(2026, 11, 24, 23, 30, tzinfo=CHICAGO)
    assert occurrence_end(meeting, start) == datetime(2026, 11, 25, 0, 30, tzinfo=CHICAGO)
    later = next_occurrence(meeting, datetime(2026, 11, 25, 0, 30, tzinfo=CHICAGO))
    assert later == datetime(2026, 12, 1, 23, 30, tzinfo=CHICAGO)


def test_a_saturday_meeting_is_in_progress_at_00_10_on_sunday():
    late_night(weekday=SATURDAY)
    # 2026-11-28 is a Saturday; 00:10 on Sunday the 29th.
    assert soon(datetime(2026, 11, 29, 0, 10, tzinfo=CHICAGO)) == {"Late Night"}
    assert soon(datetime(2026, 11, 29, 0, 40, tzinfo=CHICAGO)) == set()


def test_start_order_puts_it_first_while_on_and_tonight_before_next_week():
    late_night()
    make_meeting(name="Wednesday 7am", weekday=WEDNESDAY, start_time=time(7), end_time=time(8))
    make_meeting(name="Tuesday 7pm", weekday=TUESDAY, start_time=time(19), end_time=time(20))

    def order(moment):
        return list(Meeting.objects.in_start_order(moment).values_list("name", flat=True))

    # At 00:10 on Wednesday: Late Night is on, then Wednesday 7am, then next Tuesday's.
    wednesday = datetime(2026, 11, 25, 0, 10, tzinfo=CHICAGO)
    assert order(wednesday) == ["Late Night", "Wednesday 7am", "Tuesday 7pm"]
    # At 21:00 on Tuesday: Late Night is tonight, not over because 00:30 is before 21:00.
    tuesday = datetime(2026, 11, 24, 21, tzinfo=CHICAGO)
    assert order(tuesday) == ["Late Night", "Wednesday 7am", "Tuesday 7pm"]


def test_the_ics_event_ends_on_the_next_day():
    meeting = late_night()
    request = RequestFactory().get("/")
    stamp = datetime(2026, 11, 24, 12, tzinfo=CHICAGO)
    (event,) = events(unfold(calendar([meeting], request, "Late", stamp).encode()))
    assert event["DTSTART;TZID=America/Chicago"] == "20261124T233000"
    assert event["DTEND;TZID=America/Chicago"] == "20261125T003000"


def test_the_meeting_guide_feed_writes_the_end_as_given(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path / "feeds"
    late_night()
    entry = by_slug(feed(client))["late-night"]
    assert (entry["time"], entry["end_time"]) == ("23:30", "00:30")
