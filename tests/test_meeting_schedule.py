"""When meetings happen: happening_soon and next_occurrence across time zones, midnight and DST.

Every moment is an explicit aware datetime passed in; nothing reads the clock.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from groups.models import Meeting, MeetingFrequency
from groups.schedule import later_today_condition, next_occurrence, weeks_of_month
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
DENVER = ZoneInfo("America/Denver")
PHOENIX = ZoneInfo("America/Phoenix")
NEW_YORK_NAME = "America/New_York"
NEW_YORK = ZoneInfo(NEW_YORK_NAME)
SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = range(7)
IN_DENVER = {"time_zone": "America/Denver"}
IN_PHOENIX = {"time_zone": "America/Phoenix"}


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


def order(moment):
    return list(Meeting.objects.in_start_order(moment).values_list("name", flat=True))


def test_start_order_counts_from_one_instant_when_zones_are_on_different_dates():
    """Issue 15: "Thu 6:30 PM MST" was listed after "Fri 12 PM EST"."""
    make_meeting(name="Fri 12 PM EST", weekday=FRIDAY, start_time=time(12), time_zone=NEW_YORK_NAME)
    make_meeting(name="Thu 6:30 PM MST", weekday=THURSDAY, start_time=time(18, 30), **IN_DENVER)
    # Thursday 01:00 in New York is still Wednesday 23:00 in Denver.
    assert order(datetime(2026, 11, 26, 1, tzinfo=NEW_YORK)) == ["Thu 6:30 PM MST", "Fri 12 PM EST"]
    # And at the same instant read from anywhere else.
    assert order(datetime(2026, 11, 26, 6, tzinfo=UTC)) == ["Thu 6:30 PM MST", "Fri 12 PM EST"]


def test_start_order_takes_the_hour_the_clocks_spring_forward_off():
    # Sunday 2027-03-14, 2 AM: Chicago goes to CDT; Phoenix stays on MST.
    make_meeting(name="Chicago 3:30 AM", weekday=SUNDAY, start_time=time(3, 30), end_time=None)
    make_meeting(name="Phoenix 2 AM", weekday=SUNDAY, start_time=time(2), **IN_PHOENIX)
    # Saturday 23:00 CST: Chicago's is 3.5 hours away by the clock but 2.5 in real time
    # (08:30 UTC); Phoenix's is 3 hours away (09:00 UTC).
    assert order(datetime(2027, 3, 13, 23, tzinfo=CHICAGO)) == ["Chicago 3:30 AM", "Phoenix 2 AM"]


def test_start_order_adds_the_hour_the_clocks_fall_back():
    # Sunday 2026-11-01, 2 AM: Chicago goes back to CST.
    make_meeting(name="Chicago 2:30 AM", weekday=SUNDAY, start_time=time(2, 30), end_time=None)
    make_meeting(name="Phoenix 1 AM", weekday=SUNDAY, start_time=time(1), **IN_PHOENIX)
    # Saturday 23:00 CDT (04:00 UTC): Chicago's is at 08:30 UTC, Phoenix's at 08:00 UTC.
    assert order(datetime(2026, 10, 31, 23, tzinfo=CHICAGO)) == ["Phoenix 1 AM", "Chicago 2:30 AM"]


ZONES = ["America/Chicago", "America/New_York", "America/Denver", "America/Phoenix", "Pacific/Guam"]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 26, 1, tzinfo=NEW_YORK),  # zones on different dates
        datetime(2026, 11, 28, 23, 20, tzinfo=CHICAGO),  # Saturday night
        datetime(2026, 10, 31, 22, 30, tzinfo=CHICAGO),  # the night the clocks fall back
        datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=CHICAGO),  # the second 1:30 that night
        datetime(2027, 3, 13, 21, 45, tzinfo=CHICAGO),  # the night the clocks spring forward
        datetime(2027, 3, 14, 1, 59, tzinfo=CHICAGO),  # a minute before
        datetime(2027, 3, 8, 12, tzinfo=UTC),  # the change six days away
    ],
)
def test_start_order_is_the_order_of_next_occurrences(moment):
    """Whatever the zones and clock changes, the SQL order is the order of the real instants."""
    hours = [time(0, 30), time(1, 30), time(2, 30), time(3, 30), time(9), time(18, 30), time(23)]
    for zone in ZONES:
        for day in range(7):
            for hour in hours[day % 3 :: 3]:
                make_meeting(
                    name=f"{zone} {day} {hour}",
                    weekday=day,
                    start_time=hour,
                    end_time=None if day % 2 else time((hour.hour + 1) % 24, hour.minute),
                    time_zone=zone,
                )
    meetings = Meeting.objects.all()
    expected = sorted(
        meetings, key=lambda meeting: (next_occurrence(meeting, moment), meeting.name)
    )
    assert order(moment) == [meeting.name for meeting in expected]


def later_today(moment, zone=CHICAGO):
    condition = later_today_condition(moment, ZONES, zone)
    return set(Meeting.objects.filter(condition).values_list("name", flat=True))


def test_later_today_is_the_visitors_day_not_each_meetings_own():
    """Issue 15: at 11:20 PM on a Saturday in Chicago, Sunday in New York is not "today"."""
    eastern = {"weekday": SUNDAY, "time_zone": NEW_YORK_NAME, "end_time": None}
    for hour in range(9, 21):
        make_meeting(name=f"New York Sunday {hour}:00", start_time=time(hour), **eastern)
    make_meeting(name="New York Sunday 00:30", start_time=time(0, 30), **eastern)
    make_meeting(name="Chicago Saturday 11:30 PM", weekday=SATURDAY, start_time=time(23, 30))
    make_meeting(name="Chicago Saturday 9 PM", weekday=SATURDAY, start_time=time(21))
    saturday_night = datetime(2026, 11, 28, 23, 20, tzinfo=CHICAGO)
    # 00:30 on Sunday in New York is 11:30 PM on Saturday in Chicago: still tonight there.
    assert later_today(saturday_night) == {"Chicago Saturday 11:30 PM", "New York Sunday 00:30"}
    # Searched from New York, it is already Sunday: all of New York's Sunday is ahead.
    from_new_york = later_today(saturday_night, NEW_YORK)
    assert len(from_new_york) == 14
    assert "Chicago Saturday 11:30 PM" in from_new_york


def test_later_today_ends_at_the_visitors_midnight_on_a_clock_change_night():
    make_meeting(name="Chicago Sunday 1:30 AM", weekday=SUNDAY, start_time=time(1, 30))
    make_meeting(
        name="Phoenix Saturday 11:30 PM", weekday=SATURDAY, start_time=time(23, 30), **IN_PHOENIX
    )
    make_meeting(
        name="Phoenix Saturday 10:30 PM", weekday=SATURDAY, start_time=time(22, 30), **IN_PHOENIX
    )
    # Saturday 2026-10-31, 10 PM CDT in Chicago is 8 PM in Phoenix; Chicago's midnight is
    # 10 PM in Phoenix (CDT is UTC-5, MST UTC-7).
    assert later_today(datetime(2026, 10, 31, 22, tzinfo=CHICAGO)) == set()
    assert later_today(datetime(2026, 10, 31, 20, tzinfo=PHOENIX), PHOENIX) == {
        "Phoenix Saturday 10:30 PM",
        "Phoenix Saturday 11:30 PM",
    }
    # The night the clocks spring forward in Chicago: its midnight is 11 PM in Phoenix.
    assert later_today(datetime(2027, 3, 13, 21, tzinfo=CHICAGO)) == {"Phoenix Saturday 10:30 PM"}


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
