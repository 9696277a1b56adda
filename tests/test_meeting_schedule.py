"""When meetings happen: happening_soon and next_occurrence across time zones, midnight and DST.

Every moment is an explicit aware datetime passed in; nothing reads the clock.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from groups.models import Meeting, MeetingFrequency
from groups.schedule import next_occurrence, weeks_of_month
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
DENVER = ZoneInfo("America/Denver")
PHOENIX = ZoneInfo("America/Phoenix")
SUNDAY, MONDAY, TUESDAY, WEDNESDAY, FRIDAY = 0, 1, 2, 3, 5


def soon(moment):
    return set(Meeting.objects.happening_soon(moment).values_list("name", flat=True))


def monthly(week, **fields):
    return make_meeting(frequency=MeetingFrequency.MONTHLY, week_of_month=week, **fields)


# happening_soon ------------------------------------------------------------------------------


def test_evening_meeting_is_soon_from_two_hours_before_on_its_weekday():
    make_meeting(name="Tuesday 7pm", weekday=TUESDAY, start_time=time(19))
    make_meeting(name="Wednesday 7pm", weekday=WEDNESDAY, start_time=time(19))
    # 2026-11-24 is a Tuesday.
    assert soon(datetime(2026, 11, 24, 17, 30, tzinfo=CHICAGO)) == {"Tuesday 7pm"}
    assert soon(datetime(2026, 11, 24, 17, 0, tzinfo=CHICAGO)) == {"Tuesday 7pm"}
    assert soon(datetime(2026, 11, 24, 16, 59, tzinfo=CHICAGO)) == set()


def test_the_same_instant_is_judged_in_each_meetings_own_zone():
    make_meeting(name="Chicago 7pm", weekday=TUESDAY, start_time=time(19))
    make_meeting(
        name="New York 7pm", weekday=TUESDAY, start_time=time(19), time_zone="America/New_York"
    )
    # 17:30 in Chicago is 18:30 in New York: both within 2 hours of their 7 PM.
    assert soon(datetime(2026, 11, 24, 17, 30, tzinfo=CHICAGO)) == {"Chicago 7pm", "New York 7pm"}
    # 16:30 in Chicago: New York's meeting is 1.5 hours away, Chicago's 2.5.
    assert soon(datetime(2026, 11, 24, 16, 30, tzinfo=CHICAGO)) == {"New York 7pm"}


def test_window_crossing_midnight_reaches_the_next_weekdays_early_meetings():
    make_meeting(
        name="Wednesday 00:30", weekday=WEDNESDAY, start_time=time(0, 30), end_time=time(1, 30)
    )
    make_meeting(name="Wednesday 2am", weekday=WEDNESDAY, start_time=time(2), end_time=time(3))
    make_meeting(name="Tuesday 00:30", weekday=TUESDAY, start_time=time(0, 30), end_time=None)
    assert soon(datetime(2026, 11, 24, 23, 30, tzinfo=CHICAGO)) == {"Wednesday 00:30"}


def test_zones_on_different_weekdays_are_each_judged_on_their_own_day():
    make_meeting(name="Chicago Tuesday 11pm", weekday=TUESDAY, start_time=time(23), end_time=None)
    guam = {"time_zone": "Pacific/Guam", "start_time": time(15), "end_time": None}
    make_meeting(name="Guam Wednesday 3pm", weekday=WEDNESDAY, **guam)
    make_meeting(name="Guam Tuesday 3pm", weekday=TUESDAY, **guam)
    # Tuesday 22:30 in Chicago is Wednesday 14:30 in Guam.
    moment = datetime(2026, 11, 24, 22, 30, tzinfo=CHICAGO)
    assert soon(moment) == {"Chicago Tuesday 11pm", "Guam Wednesday 3pm"}
    later = Meeting.objects.later_today(moment).values_list("name", flat=True)
    assert set(later) == {"Chicago Tuesday 11pm", "Guam Wednesday 3pm"}
    today = Meeting.objects.today(moment).values_list("name", flat=True)
    assert set(today) == {"Chicago Tuesday 11pm", "Guam Wednesday 3pm"}


def test_meeting_without_end_time_started_just_before_midnight_is_still_on():
    make_meeting(name="Late", weekday=TUESDAY, start_time=time(23, 45), end_time=None)
    assert soon(datetime(2026, 11, 25, 0, 30, tzinfo=CHICAGO)) == {"Late"}
    assert soon(datetime(2026, 11, 25, 0, 45, tzinfo=CHICAGO)) == set()


def test_meeting_in_progress_counts_until_it_ends():
    make_meeting(name="Ends at 8", weekday=TUESDAY, start_time=time(19), end_time=time(20))
    make_meeting(name="No end time", weekday=TUESDAY, start_time=time(19), end_time=None)
    assert soon(datetime(2026, 11, 24, 19, 30, tzinfo=CHICAGO)) == {"Ends at 8", "No end time"}
    assert soon(datetime(2026, 11, 24, 19, 59, tzinfo=CHICAGO)) == {"Ends at 8", "No end time"}
    # Over at 8; without an end time a meeting is taken to last an hour.
    assert soon(datetime(2026, 11, 24, 20, 0, tzinfo=CHICAGO)) == set()


def test_denver_and_phoenix_differ_before_the_november_change_and_agree_after():
    for name, zone in (("Denver 8pm", "America/Denver"), ("Phoenix 8pm", "America/Phoenix")):
        make_meeting(name=name, weekday=SUNDAY, start_time=time(20), end_time=None, time_zone=zone)
    # Sunday 2026-10-25, 00:30 UTC Monday: Denver (MDT, UTC-6) reads 18:30, Phoenix 17:30.
    assert soon(datetime(2026, 10, 26, 0, 30, tzinfo=UTC)) == {"Denver 8pm"}
    # A week after Denver fell back on 2026-11-01, both read 18:30 at 01:30 UTC.
    assert soon(datetime(2026, 11, 9, 1, 30, tzinfo=UTC)) == {"Denver 8pm", "Phoenix 8pm"}


def test_window_is_real_time_on_the_night_the_clocks_fall_back():
    make_meeting(name="Denver 2:30", weekday=SUNDAY, start_time=time(2, 30), end_time=time(3))
    Meeting.objects.update(time_zone="America/Denver")
    make_meeting(name="Denver 3:00", weekday=SUNDAY, start_time=time(3), time_zone="America/Denver")
    # 2026-11-01 07:30 UTC is 01:30 MDT; two real hours later it is 02:30 MST (clocks fell back
    # at 2:00 MDT), so 3:00 is 2.5 hours away although the wall clock says 1.5.
    moment = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert moment.astimezone(DENVER).strftime("%H:%M %Z") == "01:30 MDT"
    assert soon(moment) == {"Denver 2:30"}


def test_window_is_real_time_on_the_morning_the_clocks_spring_forward():
    make_meeting(name="Denver 4am", weekday=SUNDAY, start_time=time(4), time_zone="America/Denver")
    make_meeting(
        name="Phoenix 4am", weekday=SUNDAY, start_time=time(4), time_zone="America/Phoenix"
    )
    # 2026-03-08 08:30 UTC is 01:30 MST in both; Denver jumps to 3:00 MDT at 2:00, so its 4 AM
    # is 1.5 real hours away, Phoenix's 2.5.
    moment = datetime(2026, 3, 8, 8, 30, tzinfo=UTC)
    assert moment.astimezone(PHOENIX).strftime("%H:%M") == "01:30"
    assert soon(moment) == {"Denver 4am"}


def test_monthly_meeting_is_soon_only_in_its_week():
    monthly(1, name="First Sunday", weekday=SUNDAY, start_time=time(19))
    monthly(5, name="Last Sunday", weekday=SUNDAY, start_time=time(19))
    # 2026-11-01 is the first Sunday of November, 2026-11-29 the last, 2026-11-08 neither.
    assert soon(datetime(2026, 11, 1, 18, tzinfo=CHICAGO)) == {"First Sunday"}
    assert soon(datetime(2026, 11, 8, 18, tzinfo=CHICAGO)) == set()
    assert soon(datetime(2026, 11, 29, 18, tzinfo=CHICAGO)) == {"Last Sunday"}


def test_happening_soon_takes_a_custom_window():
    make_meeting(name="7pm", weekday=TUESDAY, start_time=time(19))
    moment = datetime(2026, 11, 24, 18, tzinfo=CHICAGO)
    assert not Meeting.objects.happening_soon(moment, within=timedelta(minutes=30)).exists()
    assert Meeting.objects.happening_soon(moment, within=timedelta(hours=1)).exists()


def test_later_today_keeps_meetings_that_started_a_few_minutes_ago():
    make_meeting(name="Noon", weekday=TUESDAY, start_time=time(12))
    make_meeting(name="Evening", weekday=TUESDAY, start_time=time(19))
    make_meeting(name="Wednesday", weekday=WEDNESDAY, start_time=time(19))
    names = Meeting.objects.later_today(datetime(2026, 11, 24, 12, 10, tzinfo=CHICAGO))
    assert set(names.values_list("name", flat=True)) == {"Noon", "Evening"}
    names = Meeting.objects.later_today(datetime(2026, 11, 24, 12, 20, tzinfo=CHICAGO))
    assert set(names.values_list("name", flat=True)) == {"Evening"}


def test_start_order_sorts_by_the_real_instant_across_zones():
    make_meeting(name="Chicago 7pm", weekday=TUESDAY, start_time=time(19))
    make_meeting(
        name="New York 7:30pm",
        weekday=TUESDAY,
        start_time=time(19, 30),
        time_zone="America/New_York",
    )
    make_meeting(name="Chicago 6pm", weekday=TUESDAY, start_time=time(18))
    ordered = Meeting.objects.in_start_order(datetime(2026, 11, 24, 12, tzinfo=CHICAGO))
    # 7:30 PM in New York is 6:30 PM in Chicago.
    assert list(ordered.values_list("name", flat=True)) == [
        "Chicago 6pm",
        "New York 7:30pm",
        "Chicago 7pm",
    ]


# next_occurrence -----------------------------------------------------------------------------


def test_weeks_of_month():
    assert weeks_of_month(datetime(2026, 11, 1)) == {1}
    assert weeks_of_month(datetime(2026, 11, 27)) == {4, 5}
    assert weeks_of_month(datetime(2026, 11, 29)) == {5}


def test_next_first_sunday_skips_to_december():
    meeting = monthly(1, weekday=SUNDAY, start_time=time(10), end_time=time(11))
    start = next_occurrence(meeting, datetime(2026, 11, 2, 9, tzinfo=CHICAGO))
    assert start == datetime(2026, 12, 6, 10, tzinfo=CHICAGO)
    # On the day, before it ends, it is this one.
    start = next_occurrence(meeting, datetime(2026, 11, 1, 10, 30, tzinfo=CHICAGO))
    assert start == datetime(2026, 11, 1, 10, tzinfo=CHICAGO)


def test_next_last_friday_in_november_then_december():
    meeting = monthly(5, weekday=FRIDAY, start_time=time(19))
    assert next_occurrence(meeting, datetime(2026, 11, 22, tzinfo=CHICAGO)) == datetime(
        2026, 11, 27, 19, tzinfo=CHICAGO
    )
    assert next_occurrence(meeting, datetime(2026, 11, 28, tzinfo=CHICAGO)) == datetime(
        2026, 12, 25, 19, tzinfo=CHICAGO
    )


def test_next_occurrence_takes_the_offset_of_its_own_date():
    meeting = make_meeting(weekday=MONDAY, start_time=time(19))
    # Monday 2026-10-26 after the meeting: next is 2026-11-02, after the change to CST.
    start = next_occurrence(meeting, datetime(2026, 10, 26, 21, tzinfo=CHICAGO))
    assert start.date().isoformat() == "2026-11-02"
    assert start.tzname() == "CST"
    assert start.astimezone(UTC).hour == 1  # 19:00 CST is 01:00 UTC
    # And back across the March change: 2026-03-09 is CDT.
    start = next_occurrence(meeting, datetime(2026, 3, 3, tzinfo=CHICAGO))
    assert (start.date().isoformat(), start.tzname()) == ("2026-03-09", "CDT")


def test_next_occurrence_is_in_the_meetings_zone_whatever_the_moments_zone():
    meeting = make_meeting(weekday=SUNDAY, start_time=time(9), time_zone="America/Phoenix")
    start = next_occurrence(meeting, datetime(2026, 11, 22, 6, tzinfo=UTC))
    assert start.tzinfo.key == "America/Phoenix"
    assert start == datetime(2026, 11, 22, 9, tzinfo=PHOENIX)
