"""Add to calendar: the .ics files of one meeting and of the finder's results (RFC 5545)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from groups.calendar import escape, fold, vtimezone
from groups.models import Attendance, Meeting, MeetingStatus
from groups.schedule import next_occurrence
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

NOON_TUESDAY = datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def tuesday_noon(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOON_TUESDAY)


def download(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response


def unfold(body):
    """Content lines, after checking every line ends in CRLF and fits 75 octets."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in raw)
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)
    lines = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events(lines):
    """[{property (with parameters): value}] for each VEVENT."""
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return found


def test_weekly_tuesday_meeting(client):
    meeting = make_meeting(name="Tuesday night", weekday=2, start_time=time(19))
    response = download(client, reverse("directory:meeting_ics", args=[meeting.slug]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{meeting.slug}.ics"'
    lines = unfold(response.content)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    (event,) = events(lines)
    assert event["UID"] == f"{meeting.slug}@testserver"
    assert event["DTSTAMP"] == "20261124T180000Z"
    assert event["DTSTART;TZID=America/Chicago"] == "20261124T190000"
    assert event["DTEND;TZID=America/Chicago"] == "20261124T200000"
    assert event["RRULE"] == "FREQ=WEEKLY;BYDAY=TU"
    assert event["SUMMARY"] == "Tuesday night"
    assert event["LOCATION"] == "2400 N Clark St\\, Chicago\\, IL 60614"
    assert event["URL"] == f"http://testserver/meetings/{meeting.slug}/"


def test_monthly_last_friday_meeting(client):
    meeting = make_meeting(weekday=5, frequency="monthly", week_of_month=5, start_time=time(18))
    (event,) = events(unfold(download(client, f"/meetings/{meeting.slug}.ics").content))
    assert event["RRULE"] == "FREQ=MONTHLY;BYDAY=-1FR"
    assert event["DTSTART;TZID=America/Chicago"] == "20261127T180000"


def test_monthly_first_sunday_meeting(client):
    meeting = make_meeting(weekday=0, frequency="monthly", week_of_month=1)
    (event,) = events(unfold(download(client, f"/meetings/{meeting.slug}.ics").content))
    assert event["RRULE"] == "FREQ=MONTHLY;BYDAY=1SU"
    assert event["DTSTART;TZID=America/Chicago"] == "20261206T190000"


def test_text_is_escaped_and_long_lines_folded(client):
    meeting = make_meeting(
        name="Hope, Faith; and \\ Courage",
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/j/123",
        conference_url_notes="Passcode: 42",
        conference_phone="312-555-0199",
        notes="Line one\nLine two — with a long tail to make this property fold over lines. " * 3,
        time_zone="America/Denver",
    )
    response = download(client, f"/meetings/{meeting.slug}.ics")
    assert b"\r\n " in response.content  # folded
    (event,) = events(unfold(response.content))
    assert event["SUMMARY"] == "Hope\\, Faith\\; and \\\\ Courage"
    assert event["LOCATION"] == "Online"
    assert event["URL"] == "https://meet.example.org/j/123"
    assert "DTSTART;TZID=America/Denver" in event
    description = event["DESCRIPTION"]
    assert "Dial in: 312-555-0199\\nPasscode" not in description
    assert "Join online: https://meet.example.org/j/123\\nPasscode: 42" in description
    assert "Dial in: 312-555-0199" in description
    assert "Line one\\nLine two" in description


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    pieces = fold(line).split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert "".join(piece.removeprefix(" ") for piece in pieces) == line


def test_escape():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_filtered_calendar_holds_only_the_filtered_meetings(client):
    make_meeting(name="Online one", attendance="online", conference_url="https://x.example/1")
    make_meeting(name="In person one")
    make_meeting(
        name="Closed online",
        attendance="online",
        conference_url="https://x.example/2",
        status=MeetingStatus.TEMPORARILY_CLOSED,
    )
    response = download(client, "/meetings/calendar.ics?day=any&attendance=online")
    assert response["Content-Disposition"] == 'attachment; filename="meetings.ics"'
    assert [event["SUMMARY"] for event in events(unfold(response.content))] == ["Online one"]


def test_calendar_of_bad_filters_is_refused(client):
    response = download(client, "/meetings/calendar.ics?day=9", status=400)
    assert "as a day" in response.content.decode()


def test_no_calendar_for_a_meeting_that_no_longer_meets(client):
    meeting = make_meeting(status=MeetingStatus.INACTIVE)
    download(client, f"/meetings/{meeting.slug}.ics", status=404)


def test_every_tzid_has_its_vtimezone_and_the_file_reads_back(client):
    """RFC 5545 3.2.19: each TZID names a VTIMEZONE in the file (Outlook refuses it otherwise)."""
    make_meeting(name="Chicago", weekday=2, start_time=time(19))
    make_meeting(name="Phoenix", weekday=3, start_time=time(7), time_zone="America/Phoenix")
    make_meeting(
        name="New York",
        weekday=5,
        start_time=time(23, 30),
        end_time=time(0, 30),
        time_zone="America/New_York",
    )
    urls = [reverse("directory:meeting_calendar") + "?day=any"] + [
        reverse("directory:meeting_ics", args=[meeting.slug]) for meeting in Meeting.objects.all()
    ]
    for url in urls:
        body = download(client, url).content
        lines = unfold(body)
        tzids = {
            parameter.split("=", 1)[1]
            for line in lines
            for parameter in line.split(":", 1)[0].split(";")[1:]
            if parameter.startswith("TZID=")
        }
        defined = {line.removeprefix("TZID:") for line in lines if line.startswith("TZID:")}
        assert tzids and tzids == defined
        assert lines.count("BEGIN:VTIMEZONE") == len(defined)
        # Read back by an independent parser: every event's start is the instant it means.
        parsed = icalendar.Calendar.from_ical(body)
        assert {zone["TZID"] for zone in parsed.walk("VTIMEZONE")} == defined
        for event in parsed.walk("VEVENT"):
            start = event.decoded("DTSTART")
            meeting = Meeting.objects.get(name=str(event["SUMMARY"]))
            assert start == next_occurrence(meeting, NOON_TUESDAY)
            assert start.utcoffset() == start.astimezone(ZoneInfo(meeting.time_zone)).utcoffset()


def test_vtimezone_lists_the_daylight_saving_changes():
    zone = vtimezone("America/Chicago", 2026)
    assert "TZID:America/Chicago\r\n" in zone
    parsed = icalendar.Timezone.from_ical(zone)
    observances = {component.name for component in parsed.subcomponents}
    assert observances == {"STANDARD", "DAYLIGHT"}
    # Phoenix keeps standard time all year.
    phoenix = icalendar.Timezone.from_ical(vtimezone("America/Phoenix", 2026))
    assert {component.name for component in phoenix.subcomponents} == {"STANDARD"}
