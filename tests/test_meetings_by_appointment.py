"""Meetings "by appointment" (no day or time: people arrange one with the group), and the
finder's "soonest first" for monthly meetings."""

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse

from directory.meeting_filters import MeetingFilter
from exchange.hsds import ids
from exchange.meeting_guide.importer import import_feed
from groups.models import Meeting, MeetingFrequency
from groups.schedule import next_occurrence
from tests.factories import fellowship, make_meeting, make_support_group
from tests.test_meeting_guide_schema import errors_of

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
# Wednesday 2026-11-11, noon in Chicago: the second Tuesday of November (the 10th) is past.
WEDNESDAY_NOON = datetime(2026, 11, 11, 12, tzinfo=CHICAGO)
FINDER = reverse("directory:meeting_finder")

# As intergroups' 12 Step Meeting List sites publish them: "day" and "time" empty strings or
# left out, the way to arrange it in the notes.
FEED = [
    {"name": "Tuesday Night", "slug": "tuesday-night", "day": 2, "time": "19:00",
     "end_time": "20:00", "timezone": "America/Chicago",
     "formatted_address": "2400 N Clark St, Chicago, IL 60614, USA",
     "latitude": 41.9248, "longitude": -87.6414},
    {"name": "Hospital Visits", "slug": "hospital-visits", "day": "", "time": "",
     "end_time": "", "timezone": "America/Chicago", "types": ["C"],
     "notes": "Call to arrange a meeting: (312) 555-0142.",
     "formatted_address": "2400 N Clark St, Chicago, IL 60614, USA",
     "latitude": 41.9248, "longitude": -87.6414},
    {"name": "Twelfth Step Call", "slug": "twelfth-step-call", "timezone": "America/Chicago",
     "conference_phone": "+1 312 555 0143", "notes": "call to arrange"},
    {"name": "Sponsor Meeting", "slug": "sponsor-meeting", "day": [], "time": None,
     "formatted_address": "979 West County Line Road, Hatboro, PA, 19040, USA",
     "latitude": 40.1901, "longitude": -75.1049},
    {"name": "Half Known", "slug": "half-known", "day": 3, "timezone": "America/Chicago",
     "conference_url": "https://zoom.example.org/j/1"},
]  # fmt: skip


def by_appointment(slug="by-appointment", **fields):
    return make_meeting(
        slug=slug,
        frequency=MeetingFrequency.BY_APPOINTMENT,
        weekday=None,
        start_time=None,
        end_time=None,
        **fields,
    )


# Import ------------------------------------------------------------------------------------


def test_a_feed_with_rows_without_day_or_time_imports_them_by_appointment():
    report = import_feed(FEED, fellowship="AA", source="intergroup")

    meetings = {meeting.slug: meeting for meeting in Meeting.objects.all()}
    assert sorted(meetings) == [
        "half-known",
        "hospital-visits",
        "sponsor-meeting",
        "tuesday-night",
        "twelfth-step-call",
    ]
    assert meetings["tuesday-night"].frequency == MeetingFrequency.WEEKLY
    for slug in ("hospital-visits", "twelfth-step-call", "sponsor-meeting", "half-known"):
        meeting = meetings[slug]
        assert (meeting.frequency, meeting.weekday, meeting.start_time, meeting.end_time) == (
            MeetingFrequency.BY_APPOINTMENT,
            None,
            None,
            None,
        )
    assert meetings["twelfth-step-call"].notes == "call to arrange"
    assert meetings["sponsor-meeting"].time_zone == "America/New_York"
    assert report.skipped == []
    lines = report.lines()
    assert "Meetings by appointment (no day or time, kept): 4." in lines
    assert not any("skipped (by appointment" in line for line in lines)
    assert report.warning_counts == {"day or time alone: kept as by appointment": 1}
    assert "row 5 (slug 'half-known'): a day without a time: kept as by appointment" in (
        report.warnings
    )


def test_importing_the_same_feed_again_changes_nothing():
    import_feed(FEED, fellowship="AA", source="intergroup")
    again = import_feed(FEED, fellowship="AA", source="intergroup")

    assert (again.created, again.updated, again.deactivated, again.unchanged) == (0, 0, 0, 5)


def test_a_meeting_given_a_day_and_time_later_becomes_weekly():
    import_feed(FEED[1:2], fellowship="AA", source="intergroup")
    scheduled = [FEED[1] | {"day": 4, "time": "18:30"}]
    report = import_feed(scheduled, fellowship="AA", source="intergroup")

    meeting = Meeting.objects.get()
    assert report.updated == 1
    assert (meeting.frequency, meeting.weekday, meeting.start_time) == (
        MeetingFrequency.WEEKLY,
        4,
        time(18, 30),
    )


# The database ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"frequency": MeetingFrequency.WEEKLY, "weekday": None},
        {"frequency": MeetingFrequency.WEEKLY, "start_time": None, "end_time": None},
        {"frequency": MeetingFrequency.MONTHLY, "week_of_month": 2, "weekday": None},
        {"frequency": MeetingFrequency.BY_APPOINTMENT, "start_time": None, "end_time": None},
        {"frequency": MeetingFrequency.BY_APPOINTMENT, "weekday": None},
        {
            "frequency": MeetingFrequency.BY_APPOINTMENT,
            "weekday": None,
            "start_time": None,
            "end_time": time(20),
        },
    ],
)
def test_the_database_refuses_a_schedule_that_does_not_fit_how_often(fields):
    group = make_support_group()
    with pytest.raises(IntegrityError, match="meeting_schedule_fits"), transaction.atomic():
        make_meeting(group=group, **fields)


def test_the_admin_form_says_what_to_fix(admin_client):
    meeting = by_appointment()
    meeting.weekday = 2
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "Leave this empty for a meeting by appointment" in str(error.value)

    weekly = make_meeting(slug="weekly")
    weekly.weekday = None
    with pytest.raises(ValidationError) as error:
        weekly.full_clean()
    assert "make the meeting “By appointment”" in str(error.value)

    page = admin_client.get(reverse("admin:groups_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert 'name="frequency"' in page.content.decode()
    listing = admin_client.get(
        reverse("admin:groups_meeting_changelist") + "?frequency=by_appointment"
    )
    assert listing.status_code == 200
    assert "Meeting by-appointment" in listing.content.decode()
    assert "Meeting weekly" not in listing.content.decode()
    assert str(meeting) == "Meeting by-appointment (By appointment)"


# What people see ---------------------------------------------------------------------------


def test_the_meeting_page_says_by_appointment_and_how_to_arrange_it(client):
    group = make_support_group(phone="312-555-0142", email="lakeview@example.org")
    meeting = by_appointment(group=group, notes="Call to arrange.")

    page = client.get(meeting.get_absolute_url())

    assert page.status_code == 200
    text = page.content.decode()
    assert "By appointment</strong>: there is no set day or time." in text
    assert 'href="tel:+13125550142">call 312-555-0142</a>' in text
    assert 'href="mailto:lakeview@example.org">email lakeview@example.org</a>' in text
    assert "Next meeting" not in text
    assert reverse("directory:meeting_ics", args=[meeting.slug]) not in text
    assert "meeting by appointment" in text  # the page's description


def test_without_a_phone_or_email_the_page_points_to_the_notes(client):
    group = make_support_group(phone="", email="")
    meeting = by_appointment(group=group, notes="call to arrange")

    text = client.get(meeting.get_absolute_url()).content.decode()

    assert "To arrange one, read the notes below." in text
    assert "call to arrange" in text


def test_the_calendar_file_of_a_meeting_by_appointment_is_a_clear_404(client):
    meeting = by_appointment()

    response = client.get(reverse("directory:meeting_ics", args=[meeting.slug]))

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "is held by appointment: it has no day or time" in response.content.decode()


def test_the_finders_calendar_leaves_meetings_by_appointment_out(client):
    make_meeting(slug="weekly", name="Weekly")
    by_appointment(name="Arranged")

    response = client.get(reverse("directory:meeting_calendar") + "?day=any")

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Weekly" in body
    assert "Arranged" not in body


def test_the_groups_page_lists_it_after_the_week(client):
    group = make_support_group()
    by_appointment(group=group, name="Arranged")
    make_meeting(group=group, name="Sunday", weekday=0)

    text = client.get(group.get_absolute_url()).content.decode()

    assert text.index("Sunday") < text.index("Arranged")
    assert "By appointment" in text


# The finder --------------------------------------------------------------------------------


def finder_names(data, moment=WEDNESDAY_NOON):
    filterset = MeetingFilter(QueryDict(data), Meeting.objects.listed(), moment=moment)
    assert filterset.is_valid()
    return list(filterset.qs.values_list("name", flat=True))


def test_the_finder_lists_them_after_the_scheduled_meetings():
    by_appointment(name="Arranged")
    make_meeting(name="Wednesday evening", weekday=3, start_time=time(19), end_time=None)
    make_meeting(name="Monday evening", weekday=1, start_time=time(19), end_time=None)

    assert finder_names("") == ["Wednesday evening", "Arranged"]
    assert finder_names("day=any") == ["Wednesday evening", "Monday evening", "Arranged"]
    # A day, a time of day or "now" asked for: only what is held then.
    assert finder_names("day=3") == ["Wednesday evening"]
    assert finder_names("day=today") == ["Wednesday evening"]
    assert finder_names("day=any&time=evening") == ["Wednesday evening", "Monday evening"]
    assert finder_names("now=on") == []


def test_the_finder_page_says_by_appointment(client):
    by_appointment(name="Arranged")

    response = client.get(FINDER + "?day=any")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Arranged" in text
    assert "By appointment</strong>: contact the group to arrange a time." in text
    assert reverse("directory:meeting_ics", args=["by-appointment"]) not in text


def test_the_api_gives_null_day_and_time(client):
    by_appointment(name="Arranged")

    response = client.get(reverse("api:meeting-list") + "?day=any")

    assert response.status_code == 200
    (meeting,) = response.json()["results"]
    assert (meeting["day"], meeting["day_name"], meeting["time"], meeting["end_time"]) == (
        None,
        None,
        None,
        None,
    )
    assert (meeting["frequency"], meeting["schedule"]) == ("by_appointment", "By appointment")


def test_the_meeting_guide_feed_writes_it_without_day_and_time(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path
    fellowship("AA")
    by_appointment(name="Arranged", notes="call to arrange")
    make_meeting(slug="weekly", name="Weekly")

    response = client.get(reverse("exchange:meeting_guide_feed"))

    assert response.status_code == 200
    entries = json.loads(b"".join(response) if response.streaming else response.content)
    assert [entry["name"] for entry in entries] == ["Weekly", "Arranged"]
    arranged = entries[1]
    assert "day" not in arranged and "time" not in arranged and "end_time" not in arranged
    assert arranged["notes"] == "call to arrange"
    assert errors_of(entries) == []


def test_the_feed_comes_back_in_as_the_same_meeting(client, settings, tmp_path):
    settings.FEEDS_DIR = tmp_path
    fellowship("AA")
    by_appointment(name="Arranged", notes="call to arrange")
    response = client.get(reverse("exchange:meeting_guide_feed"))
    entries = json.loads(b"".join(response) if response.streaming else response.content)

    import_feed(entries, fellowship="AA", source="other-site")

    copy = Meeting.objects.get(source="other-site")
    assert (copy.frequency, copy.weekday, copy.start_time) == ("by_appointment", None, None)


def test_the_hsds_service_gives_a_schedule_without_times(client):
    group = make_support_group(name="Lakeview Group")
    meeting = by_appointment(group=group, name="Arranged")

    response = client.get(f"/hsds/services/{ids.service_id(group.pk)}")

    assert response.status_code == 200
    (schedule,) = [
        row
        for row in response.json()["schedules"]
        if row["id"] == ids.meeting_schedule_id(meeting.pk)
    ]
    assert schedule["description"] == "Arranged: By appointment."
    assert not {"freq", "byday", "opens_at", "closes_at"} & set(schedule)


def test_next_occurrence_of_a_meeting_by_appointment_is_none():
    assert next_occurrence(by_appointment(), WEDNESDAY_NOON) is None


# Monthly meetings, soonest first (issue 15) ------------------------------------------------


def test_a_monthly_meeting_sorts_at_its_real_next_date():
    # On Wednesday 11 November the second Tuesday (the 10th) is past: the next is 8 December.
    make_meeting(
        name="Second Tuesday",
        frequency=MeetingFrequency.MONTHLY,
        week_of_month=2,
        weekday=2,
        start_time=time(19),
        end_time=None,
    )
    # The third Tuesday is next week (17 November); the last Tuesday the 24th.
    make_meeting(
        name="Third Tuesday",
        frequency=MeetingFrequency.MONTHLY,
        week_of_month=3,
        weekday=2,
        start_time=time(18),
        end_time=None,
    )
    make_meeting(
        name="Last Tuesday",
        frequency=MeetingFrequency.MONTHLY,
        week_of_month=5,
        weekday=2,
        start_time=time(9),
        end_time=None,
    )
    make_meeting(name="Every Monday", weekday=1, start_time=time(7), end_time=None)
    make_meeting(name="Every Wednesday", weekday=3, start_time=time(19), end_time=None)
    by_appointment(name="Arranged")

    ordered = Meeting.objects.in_start_order(WEDNESDAY_NOON).values_list("name", flat=True)

    assert list(ordered) == [
        "Every Wednesday",  # today, 7 PM
        "Every Monday",  # 16 November
        "Third Tuesday",  # 17 November
        "Last Tuesday",  # 24 November
        "Second Tuesday",  # 8 December
        "Arranged",
    ]


def test_a_monthly_meeting_held_today_counts_from_today_until_it_is_over():
    # Tuesday 10 November 2026 is the second Tuesday.
    make_meeting(
        name="Second Tuesday",
        frequency=MeetingFrequency.MONTHLY,
        week_of_month=2,
        weekday=2,
        start_time=time(19),
        end_time=time(20),
    )
    make_meeting(name="Every Thursday", weekday=4, start_time=time(19), end_time=time(20))

    def order(hour):
        moment = datetime(2026, 11, 10, hour, tzinfo=CHICAGO)
        return list(Meeting.objects.in_start_order(moment).values_list("name", flat=True))

    assert order(18) == ["Second Tuesday", "Every Thursday"]
    assert order(21) == ["Every Thursday", "Second Tuesday"]  # next: 8 December
