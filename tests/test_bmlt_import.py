"""Importing NA meetings from a BMLT root server: python manage.py import_bmlt."""

import io
import json
from datetime import time
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from exchange.bmlt.importer import FeedError, import_bmlt
from groups.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

SOURCE = "BMLT Test Area"


def meeting(ident, **fields):
    """One meeting object as GetSearchResults returns it: every value a string."""
    row = {
        "id_bigint": str(ident),
        "worldid_mixed": "",
        "shared_group_id_bigint": "",
        "service_body_bigint": "42",
        "weekday_tinyint": "3",
        "venue_type": "1",
        "start_time": "19:00:00",
        "duration_time": "01:30:00",
        "time_zone": "",
        "formats": "O,D",
        "lang_enum": "en",
        "longitude": "-75.1163",
        "latitude": "40.1968",
        "distance_in_km": "",
        "distance_in_miles": "",
        "email_contact": "",
        "published": "1",
        "root_server_uri": "https://bmlt.example.org/main_server",
        "format_shared_id_list": "17,8",
        "meeting_name": f"Meeting {ident}",
        "location_text": "St. Paul's Church",
        "location_info": "Side door, basement",
        "location_street": "979 West County Line Road",
        "location_city_subsection": "",
        "location_neighborhood": "",
        "location_municipality": "Hatboro",
        "location_sub_province": "Montgomery",
        "location_province": "PA",
        "location_postal_code_1": "19040",
        "location_nation": "USA",
        "comments": "",
        "train_lines": "",
        "bus_lines": "",
        "phone_meeting_number": "",
        "virtual_meeting_link": "",
        "virtual_meeting_additional_info": "",
        "contact_name_1": "",
        "contact_email_1": "",
    }
    row.update(fields)
    return row


def area_response():
    return [
        meeting(
            101,
            meeting_name="Hope Without Limits",
            weekday_tinyint="1",
            formats="C,BT,WC,XYZ",
            comments="Bring a Basic Text.",
        ),
        meeting(
            102,
            meeting_name="Zoom Serenity",
            venue_type="2",
            weekday_tinyint="7",
            start_time="07:00:00",
            duration_time="01:00:00",
            formats="O,VM,Pi",
            latitude="34.235918",
            longitude="-118.563659",
            location_text="",
            location_street="",
            location_municipality="",
            location_postal_code_1="",
            location_province="PA",
            virtual_meeting_link="https://zoom.us/j/123456789",
            virtual_meeting_additional_info="Meeting ID 123 456 789, passcode NA",
            phone_meeting_number="+1 646 558 8656",
        ),
        meeting(
            103,
            meeting_name="Hybrid Recovery",
            venue_type="3",
            weekday_tinyint="4",
            start_time="18:30:00",
            duration_time="01:00:00",
            formats="C,HY,ES,St",
            time_zone="America/New_York",
            virtual_meeting_link="https://meet.google.com/abc-defg-hij",
        ),
        meeting(
            104,
            meeting_name="Late Night",
            weekday_tinyint="6",
            start_time="23:30:00",
            duration_time="01:00:00",
            latitude="",
            longitude="",
            location_street="",
            virtual_meeting_link="https://zoom.us/j/987654321",
            venue_type="",
        ),
        meeting(105, meeting_name="Not Yet", published="0"),
        meeting(
            106,
            meeting_name="No Coordinates",
            latitude="",
            longitude="",
            location_text="Free Library",
            location_street="5 York Road",
        ),
    ]


def run(text, *args, **options):
    out = io.StringIO()
    stdin = io.StringIO(text)
    call_command("import_bmlt", "-", "--source", SOURCE, *args, stdin=stdin, stdout=out, **options)
    return out.getvalue()


def get(ident):
    return Meeting.objects.get(source=SOURCE, source_slug=f"bmlt-{ident}")


def test_an_area_response_imports_weekdays_times_attendance_types_and_places():
    output = run(json.dumps(area_response()))

    assert "5 created, 0 updated, 0 unchanged, 0 deactivated, 0 invalid rows skipped" in output
    assert "1 unpublished meetings skipped" in output
    assert "Unknown type code 'XYZ' left out (rows 1)." in output
    assert "Unknown type code 'Pi' left out (rows 2)." in output
    assert not Meeting.objects.filter(source_slug="bmlt-105").exists()

    sunday = get(101)
    assert sunday.group.fellowship.short_name == "NA"
    assert (sunday.weekday, sunday.start_time, sunday.end_time) == (0, time(19), time(20, 30))
    assert sunday.attendance == Attendance.IN_PERSON
    assert sorted(sunday.types.values_list("code", flat=True)) == ["C", "LIT", "X"]
    assert sunday.time_zone == "America/New_York"
    assert sunday.notes == "Bring a Basic Text."
    place = sunday.place
    assert (place.name, place.address_line1, place.city) == (
        "St. Paul's Church",
        "979 West County Line Road",
        "Hatboro",
    )
    assert (place.region, place.postal_code, place.country) == ("PA", "19040", "US")
    assert (place.latitude, place.longitude) == (Decimal("40.1968"), Decimal("-75.1163"))
    assert place.notes == "Side door, basement"

    zoom = get(102)
    assert (zoom.weekday, zoom.start_time, zoom.end_time) == (6, time(7), time(8))
    assert zoom.attendance == Attendance.ONLINE
    assert zoom.place is None
    assert zoom.conference_url == "https://zoom.us/j/123456789"
    assert zoom.conference_url_notes == "Meeting ID 123 456 789, passcode NA"
    assert zoom.conference_phone == "+1 646 558 8656"
    # Not Los Angeles, where the server's default centre is: the province tells.
    assert zoom.time_zone == "America/New_York"
    assert list(zoom.types.values_list("code", flat=True)) == ["O"]

    hybrid = get(103)
    assert hybrid.weekday == 3
    assert hybrid.attendance == Attendance.HYBRID
    assert hybrid.place is not None
    assert hybrid.conference_url == "https://meet.google.com/abc-defg-hij"
    assert sorted(hybrid.types.values_list("code", flat=True)) == ["C", "S", "ST"]

    late = get(104)
    assert late.attendance == Attendance.ONLINE
    # 23:30 for an hour ends at 00:30, the next day.
    assert (late.weekday, late.start_time, late.end_time) == (5, time(23, 30), time(0, 30))
    assert late.time_zone == "America/New_York"

    # A street address without coordinates: listed by its address, not on a map.
    no_place = get(106)
    assert no_place.attendance == Attendance.IN_PERSON
    assert (no_place.place.address_line1, no_place.place.city) == ("5 York Road", "Hatboro")
    assert (no_place.place.latitude, no_place.place.longitude) == (None, None)


def test_importing_the_same_response_again_changes_nothing():
    text = json.dumps(area_response())
    run(text)
    output = run(text)
    assert "0 created, 0 updated, 5 unchanged, 0 deactivated" in output


def test_the_envelope_with_formats_and_a_dry_run_are_read():
    data = {"meetings": area_response()[:1], "formats": []}
    report = import_bmlt(data, source=SOURCE, dry_run=True)
    assert report.created == 1
    assert not Meeting.objects.exists()


def test_a_meeting_the_server_no_longer_lists_is_deactivated():
    run(json.dumps(area_response()[:4]))
    output = run(json.dumps(area_response()[:4][:3] + [meeting(107)]), "--allow-deactivate")
    assert "1 created, 0 updated, 3 unchanged, 1 deactivated" in output


def test_unknown_fellowship_time_zone_and_shapes_are_one_clear_error():
    with pytest.raises(FeedError, match="No fellowship 'XX'"):
        import_bmlt([], source=SOURCE, fellowship="XX")
    with pytest.raises(FeedError, match="not an IANA name"):
        import_bmlt([], source=SOURCE, time_zone="Mars/Olympus")
    with pytest.raises(FeedError, match="GetSearchResults"):
        import_bmlt({"error": "bad"}, source=SOURCE)
    with pytest.raises(CommandError, match="not valid JSON"):
        run("<html>")
    with pytest.raises(CommandError, match="source"):
        call_command("import_bmlt", "-", stdin=io.StringIO("[]"))


def test_a_bad_row_is_reported_by_position_and_strict_imports_nothing():
    rows = area_response()[:1] + [meeting(108, weekday_tinyint="0", start_time="7pm")]
    with pytest.raises(CommandError, match=r"row 2 \(id 108\): weekday_tinyint '0'"):
        run(json.dumps(rows), "--strict")
    assert not Meeting.objects.exists()


def test_the_service_body_is_the_meetings_region():
    rows = [meeting(201, service_body_name="Greater Philadelphia Area"), meeting(202)]
    import_bmlt(rows, source=SOURCE)

    assert get(201).regions == ["Greater Philadelphia Area"]
    # A server older than 4.0 does not name it: no region rather than a number.
    assert get(202).regions == []


def test_formats_are_matched_on_their_world_id_when_the_response_gives_them():
    # A German server: its keys are its own ("GS" open, "GE" closed, "RS" wheelchair,
    # "VM" virtual); their world ids are NAWS's, the same everywhere.
    formats = [
        {"id": "2", "key_string": "GS", "world_id": "OPEN"},
        {"id": "3", "key_string": "GE", "world_id": "CLOSED"},
        {"id": "5", "key_string": "RS", "world_id": "WCHR"},
        {"id": "9", "key_string": "SPR", "world_id": "SPK"},
        {"id": "11", "key_string": "ANF", "world_id": "BEG"},
        {"id": "12", "key_string": "VM", "world_id": "VM"},
        {"id": "13", "key_string": "XY", "world_id": ""},
    ]
    rows = [
        meeting(301, formats="GS,RS,SPR,ANF", format_shared_id_list="2,5,9,11"),
        meeting(302, formats="GE,VM,XY", format_shared_id_list="3,12,13"),
        # Keys left out: the ids still name the formats.
        meeting(303, formats="", format_shared_id_list="3,5"),
    ]
    report = import_bmlt({"meetings": rows, "formats": formats}, source=SOURCE)

    def codes(ident):
        return sorted(get(ident).types.values_list("code", flat=True))

    assert codes(301) == ["BE", "O", "SP", "X"]
    assert codes(302) == ["C"]
    assert codes(303) == ["C", "X"]
    assert report.unknown_types == {"XY": [2]}


def test_an_end_of_12_hours_or_more_is_left_out():
    import_bmlt([meeting(401, start_time="20:00:00", duration_time="12:00:00")], source=SOURCE)

    assert get(401).end_time is None
