"""The first public pages: home, about, privacy, listing detail, meeting detail, errors."""

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from directory.templatetags.directory import dialable, next_occurrence
from groups.models import Attendance, Fellowship, MeetingStatus
from guides.templatetags.guides import guide_links
from resources.models import (
    ClinicianRole,
    CommunityResourceType,
    HelplineType,
    ListingStatus,
    ServiceScope,
    SoberHomeCertification,
    Weekday,
)
from resources.vocabularies import Vocabulary
from tests.factories import (
    days_ago,
    make_clinician,
    make_community_resource,
    make_helpline,
    make_meeting,
    make_opening_hours,
    make_organization,
    make_place,
    make_sober_living_home,
    make_support_group,
    make_treatment_program,
)
from tests.helpers import ResourceParser, card_count, text_of, written_date

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def json_ld(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(found) == 1
    return json.loads(found[0])


def section(html, heading_id):
    """The HTML of the <section> labelled by the heading with this id."""
    match = re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', html, re.DOTALL)
    assert match, heading_id
    return match.group(1)


def every_page_url():
    clinician = make_clinician()
    meeting = make_meeting(types=["O"])
    return [
        reverse("directory:home"),
        reverse("directory:about"),
        reverse("directory:privacy"),
        clinician.get_absolute_url(),
        meeting.group.get_absolute_url(),
        meeting.get_absolute_url(),
    ]


# Every page


def test_every_page_has_the_crisis_strip(client):
    for url in [*every_page_url(), "/no-such-page/"]:
        status = 404 if url == "/no-such-page/" else 200
        html = page(client, url, status=status)
        assert 'href="tel:988"' in html, url
        assert 'href="sms:988"' in html, url
        assert 'href="tel:+18006624357"' in html, url
        assert "Suicide &amp; Crisis Lifeline" in html, url
        # The strip comes before the header and the main content.
        assert html.index('class="crisis"') < html.index("<header")


def test_every_page_has_landmarks_and_a_skip_link(client):
    for url in every_page_url():
        html = page(client, url)
        assert '<html lang="en">' in html
        assert 'name="viewport"' in html
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html
        assert "<header" in html and "<nav" in html and "<footer" in html
        assert f'href="{reverse("directory:about")}"' in html
        assert f'href="{reverse("directory:privacy")}"' in html


def test_anonymous_visitors_get_no_cookies(client):
    for url in [*every_page_url(), "/no-such-page/"]:
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url


def test_pages_load_nothing_from_other_hosts_and_run_only_the_sites_own_scripts(client):
    place = make_place(name="Church hall")
    group = make_support_group(website="https://group.example.org/")
    meeting = make_meeting(
        group=group,
        place=place,
        attendance=Attendance.HYBRID,
        conference_url="https://zoom.example.com/j/1",
    )
    urls = [
        *every_page_url(),
        make_helpline(
            chat_url="https://chat.example.org/", website="https://help.example.org/"
        ).get_absolute_url(),
        group.get_absolute_url(),
        meeting.get_absolute_url(),
    ]
    for url in urls:
        parser = ResourceParser()
        parser.feed(page(client, url))
        assert parser.urls, url  # at least the stylesheet
        for fetched in parser.urls:
            assert not re.match(r"\s*(https?:)?//", fetched), (url, fetched)
        # Scripts are the site's own files (each page works without them: the browser
        # tests run with JavaScript off), or inert data blocks; none is written inline.
        for attrs in parser.scripts:
            if "src" in attrs:
                assert attrs["src"].startswith("/static/"), (url, attrs)
            else:
                assert attrs.get("type") in ("application/ld+json", "application/json"), url


def test_not_found_page_offers_a_way_home(client):
    html = page(client, "/listings/no-such-listing/", status=404)
    assert "We can’t find that page" in html
    assert f'href="{reverse("directory:home")}"' in html


def test_server_error_page_renders_without_any_context():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'href="tel:988"' in html
    assert 'href="tel:+18006624357"' in html


# Home


def test_home_counts_only_published_listings_of_each_kind(client):
    make_clinician()
    make_clinician()
    make_clinician(status=ListingStatus.DRAFT)
    make_clinician(status=ListingStatus.ARCHIVED)
    make_treatment_program()
    make_helpline(status=ListingStatus.PENDING_REVIEW)

    html = page(client, reverse("directory:home"))

    assert card_count(html, "doctors-and-therapists") == 2
    assert card_count(html, "treatment-programs") == 1
    assert card_count(html, "sober-living") == 0
    assert card_count(html, "hotlines-and-online-help") == 0
    assert card_count(html, "community-resources") == 0
    assert card_count(html, "peer-support-groups") == 0
    for slug, label in [
        ("doctors-and-therapists", "Doctors, therapists and counselors"),
        ("treatment-programs", "Treatment programs"),
        ("medication", "Medication for addiction treatment"),
        ("sober-living", "Sober living homes"),
        ("hotlines-and-online-help", "Hotlines and online help"),
        ("community-resources", "Community resources"),
        ("peer-support-groups", "Peer support groups"),
        ("family-and-friends", "Help for family and friends"),
    ]:
        browse = reverse("directory:browse", kwargs={"category": slug})
        assert f'<h3><a href="{browse}">{label}</a></h3>' in html


def test_home_counts_listed_weekly_meetings_and_fellowships(client):
    group = make_support_group()
    make_meeting(group=group)
    make_meeting(group=group, weekday=3)
    make_meeting(group=group, status=MeetingStatus.INACTIVE)
    make_meeting(group=group, status=MeetingStatus.TEMPORARILY_CLOSED)
    make_meeting(group=make_support_group(status=ListingStatus.DRAFT))

    html = page(client, reverse("directory:home"))

    assert card_count(html, "peer-support-groups") == 1
    assert card_count(html, "meetings") == 2
    assert card_count(html, "fellowships") == Fellowship.objects.count() > 0


def test_home_takes_three_queries_whatever_the_data(client, django_assert_num_queries):
    for _ in range(3):
        make_clinician()
        make_meeting()
    # 1. published listings counted in every category (one aggregate query)
    # 2. listed meetings counted
    # 3. fellowships counted
    with django_assert_num_queries(3):
        client.get(reverse("directory:home"))


# About and privacy


def test_about_says_listings_are_checked_with_a_date(client):
    html = text_of(page(client, reverse("directory:about")))
    assert "checked by a curator" in html
    assert "Last checked" in html


def test_privacy_says_nothing_is_collected(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = text_of(page(client, reverse("directory:privacy")))
    assert "We collect nothing about you" in html
    assert "No cookies." in html
    assert "No tracking and no analytics." in html
    assert "never stored" in html


# Listing detail: what every kind shows


def test_listing_shows_contact_links_people_can_tap(client):
    listing = make_clinician(
        phone="(312) 555-0142 ext. 7",
        sms="312.555.0199",
        email="help@clinic.example.org",
        website="https://www.clinic.example.org/recovery/",
    )
    html = page(client, listing.get_absolute_url())
    assert '<a class="button" href="tel:+13125550142">Call (312) 555-0142 ext. 7</a>' in html
    assert 'href="sms:+13125550199"' in html
    assert 'href="mailto:help@clinic.example.org"' in html
    assert 'href="https://www.clinic.example.org/recovery/"' in html
    assert "Website: clinic.example.org/recovery" in html


def test_listing_shows_the_last_checked_date_or_says_it_is_not_verified(client):
    checked = make_clinician(last_verified_on=days_ago(45))
    unchecked = make_clinician(last_verified_on=None)
    shown = text_of(page(client, checked.get_absolute_url()))
    assert f"Last checked: {written_date(checked.last_verified_on)}" in shown
    assert "Not yet verified" in page(client, unchecked.get_absolute_url())


def test_listing_has_breadcrumbs_home_kind_name(client):
    listing = make_treatment_program(name="Lakeview Recovery Clinic")
    html = page(client, listing.get_absolute_url())
    crumbs = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.DOTALL).group(0)
    assert f'href="{reverse("directory:home")}">Home</a>' in crumbs
    browse = reverse("directory:browse", kwargs={"category": "treatment-programs"})
    assert f'<li><a href="{browse}">Treatment programs</a></li>' in crumbs
    assert 'aria-current="page">Lakeview Recovery Clinic</a>' in crumbs


def test_exact_address_is_shown_with_a_directions_link(client):
    listing = make_clinician()
    html = page(client, listing.get_absolute_url())
    where = section(html, "where-heading")
    assert "2400 N Clark St" in where
    assert "Chicago, IL 60614" in where
    # A link the phone hands to its own maps app (directory/templatetags/directions.py).
    assert "https://maps.apple.com/?daddr=2400+N+Clark+St%2C+Chicago%2C+IL+60614" in where


def test_approximate_address_shows_only_the_town(client):
    home = make_sober_living_home(location_precision="approximate")
    html = page(client, home.get_absolute_url())
    assert "2400 N Clark St" not in html
    assert "60614" not in html
    assert "openstreetmap" not in html
    assert "41.92" not in html  # not even in the JSON-LD
    where = section(html, "where-heading")
    assert "Chicago, IL" in where
    assert "Exact address given when you call" in where
    data = json_ld(html)
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Chicago",
        "addressRegion": "IL",
        "addressCountry": "US",
    }
    assert "geo" not in data


def test_listing_groups_its_terms_by_vocabulary(client):
    listing = make_clinician(
        cost_notes="$40 per session; first visit free.",
        terms={
            Vocabulary.LANGUAGE: ["en", "es"],
            Vocabulary.PAYMENT: ["medicaid", "sliding-scale"],
            Vocabulary.POPULATION: ["veterans"],
            Vocabulary.SUBSTANCE: ["opioids"],
            Vocabulary.ACCESSIBILITY: ["wheelchair"],
            Vocabulary.THERAPY_APPROACH: ["cbt"],
            Vocabulary.MEDICATION: ["buprenorphine"],
        },
    )
    html = page(client, listing.get_absolute_url())

    def listed_under(heading):
        match = re.search(rf"<h3>{heading}</h3>\s*<ul class=\"tags\">(.*?)</ul>", html, re.DOTALL)
        assert match, heading
        return re.findall(r"<li>(.*?)</li>", match.group(1))

    # Terms keep the vocabulary's own order, not the order they were added in.
    assert listed_under("Languages") == ["English", "Spanish"]
    assert listed_under("Payment options") == ["Sliding scale fees", "Medicaid"]
    assert listed_under("People served") == ["Veterans and military families"]
    assert listed_under("Help with") == ["Opioids (heroin, fentanyl, pain pills)"]
    assert listed_under("Therapy approaches") == ["Cognitive behavioral therapy (CBT)"]
    assert listed_under("Medications for addiction treatment") == [
        "Buprenorphine (Suboxone, Sublocade)"
    ]
    assert "Wheelchair accessible" in section(html, "access-heading")
    assert "$40 per session; first visit free." in section(html, "cost-heading")


def test_listing_shows_hours_monday_first_with_closed_days(client):
    listing = make_clinician(hours_notes="Closed on public holidays.")
    make_opening_hours(listing, weekday=Weekday.MONDAY, opens=time(9), closes=time(12))
    make_opening_hours(listing, weekday=Weekday.MONDAY, opens=time(13), closes=time(17, 30))
    make_opening_hours(listing, weekday=Weekday.SUNDAY, opens=time(10), closes=time(14))

    hours = text_of(section(page(client, listing.get_absolute_url()), "hours-heading"))

    assert "Monday 9:00 AM to 12:00 PM, 1:00 PM to 5:30 PM" in hours
    assert "Tuesday Closed" in hours
    assert "Sunday 10:00 AM to 2:00 PM" in hours
    assert hours.index("Monday") < hours.index("Saturday") < hours.index("Sunday")
    assert "Closed on public holidays." in hours


def test_listing_open_all_the_time_says_so(client):
    listing = make_helpline(open_24_7=True)
    hours = text_of(section(page(client, listing.get_absolute_url()), "hours-heading"))
    assert "Open 24 hours, 7 days" in hours


def test_listing_without_hours_asks_people_to_call(client):
    listing = make_clinician()
    hours = text_of(section(page(client, listing.get_absolute_url()), "hours-heading"))
    assert "Hours are not listed. Please call to ask." in hours


def test_listing_json_ld_describes_the_listing(client):
    listing = make_treatment_program(name="Lakeview Recovery Clinic", open_24_7=True)
    data = json_ld(page(client, listing.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalClinic"
    assert data["name"] == "Lakeview Recovery Clinic"
    assert data["telephone"] == "312-555-0100"
    assert data["url"] == f"http://testserver{listing.get_absolute_url()}"
    assert data["address"]["streetAddress"] == "2400 N Clark St"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 41.9248, "longitude": -87.6414}
    assert data["openingHours"] == ["Mo-Su 00:00-23:59"]


def test_listing_json_ld_cannot_break_out_of_its_script_element(client):
    name = "Hope </script><script>alert(1)</script> & Co"
    listing = make_community_resource(name=name)
    html = page(client, listing.get_absolute_url())
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == name


def test_listing_links_only_to_web_addresses(client):
    # Imports skip form validation, so a bad feed could carry a script URL.
    listing = make_community_resource(website="javascript:alert(1)")
    html = page(client, listing.get_absolute_url())
    assert "javascript:" not in html


@pytest.mark.parametrize(
    "status", [ListingStatus.DRAFT, ListingStatus.PENDING_REVIEW, ListingStatus.ARCHIVED]
)
def test_unpublished_listing_is_not_found(client, status):
    listing = make_clinician(status=status)
    page(client, listing.get_absolute_url(), status=404)


# Listing detail: each kind's own details


def test_clinician_shows_role_credentials_and_new_clients(client):
    listing = make_clinician(
        role=ClinicianRole.ADDICTION_MEDICINE, credentials="MD, FASAM", accepting_new_clients=False
    )
    html = page(client, listing.get_absolute_url())
    details = text_of(section(html, "details-heading"))
    assert "Role Physician or addiction medicine" in details
    assert "Credentials MD, FASAM" in details
    assert "Taking new clients No, not right now" in details
    assert "Doctor, therapist or counselor" in html
    assert json_ld(html)["@type"] == "Physician"


def test_treatment_program_shows_care_levels_medications_and_methadone(client):
    listing = make_treatment_program(
        is_opioid_treatment_program=True,
        license_number="IL-12345",
        terms={
            Vocabulary.LEVEL_OF_CARE: ["detox", "outpatient"],
            Vocabulary.MEDICATION: ["methadone"],
            Vocabulary.ACCREDITATION: ["carf"],
        },
    )
    details = text_of(section(page(client, listing.get_absolute_url()), "details-heading"))
    assert "Methadone clinic (opioid treatment program) Yes" in details
    assert "State license number IL-12345" in details
    assert "Levels of care Withdrawal management (detox) Outpatient" in details
    assert "Medications for addiction treatment Methadone" in details
    assert "Licensing and accreditation CARF accredited" in details


def test_sober_living_home_shows_beds_with_their_date_and_cost(client):
    listing = make_sober_living_home(
        beds_total=10,
        beds_available=3,
        beds_updated_on=date(2026, 9, 28),
        certification=SoberHomeCertification.NARR_2,
        certifying_body="Illinois ARR",
        allows_medication=True,
        weekly_cost=Decimal("175.00"),
    )
    html = page(client, listing.get_absolute_url())
    details = text_of(section(html, "details-heading"))
    assert "For All genders" in details
    assert "Open beds 3 of 10 beds open (checked September 28, 2026)" in details
    assert "Certification NARR Level II (monitored) (Illinois ARR)" in details
    assert "Residents on medication for addiction treatment Welcome" in details
    assert "Cost $175 a week" in details
    assert json_ld(html)["@type"] == "LodgingBusiness"


def test_helpline_shows_type_scope_and_chat_link(client):
    listing = make_helpline(
        helpline_type=HelplineType.CHAT,
        chat_url="https://chat.example.org/start",
        scope=ServiceScope.STATE,
        region="IL",
        phone="",
        sms="1-800-662-HELP",
    )
    html = page(client, listing.get_absolute_url())
    details = text_of(section(html, "details-heading"))
    assert "Type Online chat" in details
    assert "Area served Statewide: IL" in details
    assert 'href="https://chat.example.org/start">Chat online</a>' in section(
        html, "contact-heading"
    )
    assert 'href="sms:+18006624357"' in html
    assert 'href="tel:' not in section(html, "contact-heading")
    assert json_ld(html)["@type"] == "Organization"


def test_community_resource_shows_its_type(client):
    listing = make_community_resource(resource_type=CommunityResourceType.VOCATIONAL)
    details = text_of(section(page(client, listing.get_absolute_url()), "details-heading"))
    assert "Type Jobs and vocational training" in details


def test_support_group_shows_fellowship_and_weekly_meetings(client):
    group = make_support_group(location_precision="approximate")
    hall = make_place(name="St. Luke's hall")
    make_meeting(
        group=group,
        name="Saturday Serenity",
        weekday=6,
        start_time=time(10),
        time_zone="America/Phoenix",
        types=["O"],
    )
    make_meeting(
        group=group,
        name="Sunday Online",
        weekday=0,
        start_time=time(18),
        time_zone="America/Phoenix",
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.example.com/j/1",
    )
    make_meeting(
        group=group,
        name="Monday at the Hall",
        weekday=1,
        place=hall,
        start_time=time(19, 30),
        end_time=None,
        time_zone="America/Phoenix",
    )
    make_meeting(group=group, name="Gone Meeting", status=MeetingStatus.INACTIVE)

    html = page(client, group.get_absolute_url())
    details = text_of(section(html, "details-heading"))

    assert "Fellowship Alcoholics Anonymous" in details
    assert "Approach 12-step" in details
    assert "For People in recovery" in details
    rows = re.findall(r"<tr>(.*?)</tr>", section(html, "meetings-heading"), re.DOTALL)[1:]
    assert [text_of(row).strip() for row in rows] == [
        "Monday 7:30 PM MST Monday at the Hall St. Luke's hall, 2400 N Clark St",
        "Saturday 10:00 AM MST Saturday Serenity Open Chicago, IL",
        "Sunday 6:00 PM MST Sunday Online Online",
    ]
    assert "Gone Meeting" not in html


def test_support_group_lists_temporarily_closed_and_monthly_meetings_as_such(client):
    group = make_support_group()
    make_meeting(group=group, name="Paused Meeting", status=MeetingStatus.TEMPORARILY_CLOSED)
    make_meeting(
        group=group, name="Monthly Speaker", frequency="monthly", week_of_month=1, weekday=0
    )

    html = page(client, group.get_absolute_url())
    meetings = text_of(section(html, "meetings-heading"))

    assert "Paused Meeting" in meetings
    assert "Temporarily closed" in meetings
    assert "Monthly Speaker" in meetings
    assert "First Sunday of the month" in meetings


# Listing detail: query counts


def _busy_listing(maker, **fields):
    """A listing with many terms and hours, so a per-row query would show in the count."""
    listing = maker(
        organization=make_organization(name="Lakeside Health"),
        terms={
            Vocabulary.LANGUAGE: ["en", "es", "pl"],
            Vocabulary.PAYMENT: ["medicaid", "free"],
            Vocabulary.ACCESSIBILITY: ["wheelchair"],
        },
        **fields,
    )
    for weekday in Weekday:
        make_opening_hours(listing, weekday)
    return listing


@pytest.mark.parametrize(
    "maker",
    [
        make_clinician,
        make_treatment_program,
        make_sober_living_home,
        make_helpline,
        make_community_resource,
    ],
)
def test_listing_detail_takes_three_queries(client, django_assert_num_queries, maker):
    listing = _busy_listing(maker)
    # 1. the published listing joined to every kind's table and its organization
    # 2. its terms
    # 3. its opening hours
    with django_assert_num_queries(3):
        html = page(client, listing.get_absolute_url())
    assert "part of Lakeside Health" in html


def test_support_group_detail_takes_five_queries(client, django_assert_num_queries):
    group = _busy_listing(make_support_group)
    for weekday in range(7):
        make_meeting(group=group, weekday=weekday, place=make_place(), types=["O", "X", "W"])
    # 1. the published listing joined to its group, fellowship and organization
    # 2. its terms
    # 3. its opening hours
    # 4. its active meetings with their places
    # 5. the meetings' types
    with django_assert_num_queries(5):
        html = page(client, group.get_absolute_url())
    assert html.count("Open, Wheelchair Access, Women") == 7


# Meeting detail


def test_meeting_shows_time_in_its_own_zone_with_abbreviation(client):
    meeting = make_meeting(
        weekday=2, start_time=time(19), end_time=time(20, 30), time_zone="America/Phoenix"
    )
    html = text_of(page(client, meeting.get_absolute_url()))
    assert "Every Tuesday, 7:00 PM to 8:30 PM MST (Phoenix time)" in html
    assert "Next meeting: Tuesday," in html


def test_meeting_spells_out_its_types(client):
    meeting = make_meeting(types=["O", "X", "BE"])
    html = page(client, meeting.get_absolute_url())
    types = re.search(r"<h2>Meeting type</h2>\s*<ul class=\"tags\">(.*?)</ul>", html, re.DOTALL)
    labels = re.findall(r"<li>(.*?)</li>", types.group(1))
    assert sorted(labels) == ["Newcomer", "Open", "Wheelchair Access"]
    assert "<li>O</li>" not in html and "<li>X</li>" not in html


def test_meeting_shows_group_fellowship_place_and_breadcrumbs(client):
    group = make_support_group(name="Lincoln Park Group")
    place = make_place(name="St. Luke's parish hall, room 2", notes="Side door on Elm St.")
    meeting = make_meeting(group=group, place=place, name="Tuesday Night Step")
    html = page(client, meeting.get_absolute_url())
    assert f'<a href="{group.get_absolute_url()}">Lincoln Park Group</a>' in html
    assert "Alcoholics Anonymous" in html
    where = text_of(section(html, "where-heading"))
    assert "St. Luke's parish hall, room 2" in where
    assert "2400 N Clark St" in where
    assert "How to find the room: Side door on Elm St." in where
    directions = "https://maps.apple.com/?daddr=2400+N+Clark+St%2C+Chicago%2C+IL+60614"
    assert directions in section(html, "where-heading")
    crumbs = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.DOTALL).group(0)
    browse = reverse("directory:browse", kwargs={"category": "peer-support-groups"})
    assert f'<li><a href="{browse}">Peer support groups</a></li>' in crumbs
    assert 'aria-current="page">Tuesday Night Step</a>' in crumbs


def test_meeting_at_an_approximate_group_address_shows_only_the_town(client):
    group = make_support_group(location_precision="approximate")
    meeting = make_meeting(group=group)
    html = page(client, meeting.get_absolute_url())
    where = text_of(section(html, "where-heading"))
    assert "Chicago, IL" in where
    assert "Exact address given when you call" in where
    assert "2400 N Clark St" not in html
    assert "openstreetmap" not in html


def test_online_meeting_shows_link_and_dial_in(client):
    meeting = make_meeting(
        attendance=Attendance.ONLINE,
        conference_url="https://zoom.example.com/j/123",
        conference_url_notes="Meeting ID 123, passcode 456",
        conference_phone="+1 646 555 0100",
        conference_phone_notes="Press # when asked",
    )
    html = page(client, meeting.get_absolute_url())
    online = section(html, "online-heading")
    assert 'href="https://zoom.example.com/j/123"' in online
    assert "Meeting ID 123, passcode 456" in online
    assert 'href="tel:+16465550100"' in online
    assert "Press # when asked" in online
    assert 'id="where-heading"' not in html


def test_temporarily_closed_meeting_says_so(client):
    meeting = make_meeting(status=MeetingStatus.TEMPORARILY_CLOSED)
    html = page(client, meeting.get_absolute_url())
    assert "Temporarily closed" in html
    assert "Next meeting" not in html


def test_meeting_that_no_longer_meets_is_not_found(client):
    meeting = make_meeting(status=MeetingStatus.INACTIVE)
    page(client, meeting.get_absolute_url(), status=404)


def test_meeting_of_an_unpublished_group_is_not_found(client):
    meeting = make_meeting(group=make_support_group(status=ListingStatus.ARCHIVED))
    page(client, meeting.get_absolute_url(), status=404)


def test_meeting_detail_takes_two_queries(client, django_assert_num_queries):
    meeting = make_meeting(place=make_place(), types=["O", "X", "W", "BE", "D"])
    # Which guide explains which type is read once and kept until anything public changes.
    guide_links()
    # 1. the meeting joined to its group, fellowship and place
    # 2. its types
    with django_assert_num_queries(2):
        page(client, meeting.get_absolute_url())


# Helpers behind the pages


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("312-555-0100", "+13125550100"),
        ("(312) 555-0142 ext. 7", "+13125550142"),
        ("1 312 555 0100 x12", "+13125550100"),
        ("1-800-662-HELP", "+18006624357"),
        ("+44 20 7946 0000", "+442079460000"),
        ("988", "988"),
    ],
)
def test_phone_numbers_are_made_dialable(written, dialled):
    assert dialable(written) == dialled


def test_next_meeting_follows_daylight_saving_time():
    meeting = make_meeting(weekday=1, start_time=time(19), end_time=time(20))
    chicago = ZoneInfo("America/Chicago")
    # Clocks go forward on Sunday March 8, 2026: the Saturday before is still CST.
    when = next_occurrence(meeting, now=datetime(2026, 3, 7, 12, tzinfo=chicago))
    assert when.start == datetime(2026, 3, 9, 19, tzinfo=chicago)
    assert (when.zone, when.start_text, when.end_text) == ("CDT", "7:00 PM", "8:00 PM")


def test_next_meeting_is_next_week_once_todays_is_over():
    meeting = make_meeting(weekday=1, start_time=time(19), end_time=time(20))
    chicago = ZoneInfo("America/Chicago")
    during = next_occurrence(meeting, now=datetime(2026, 1, 5, 19, 30, tzinfo=chicago))
    after = next_occurrence(meeting, now=datetime(2026, 1, 5, 20, 0, tzinfo=chicago))
    assert during.start.date() == date(2026, 1, 5)
    assert after.start.date() == date(2026, 1, 12)
    assert after.zone == "CST"


def test_detail_says_whether_the_listing_is_open_now_in_its_own_time_zone(client):
    today_in_denver = Weekday.of(datetime.now(ZoneInfo("America/Denver")))
    open_all_day = make_clinician(postal_code="80205")  # America/Denver
    make_opening_hours(open_all_day, today_in_denver, opens=time(0), closes=time(23, 59, 59))
    open_another_day = make_clinician(postal_code="80205")
    make_opening_hours(open_another_day, (today_in_denver + 1) % 7, opens=time(0), closes=time(23))
    no_hours = make_clinician(postal_code="80205")

    assert "Open now" in page(client, open_all_day.get_absolute_url())
    assert "Closed now" in page(client, open_another_day.get_absolute_url())
    unknown = page(client, no_hours.get_absolute_url())
    assert "Open now" not in unknown
    assert "Closed now" not in unknown


def test_is_open_at_reads_hours_in_the_listings_time_zone():
    listing = make_clinician(postal_code="80205")  # America/Denver
    make_opening_hours(listing)  # Monday 9 to 5
    # Monday 23 November 2026: 16:30 in Denver is 23:30 UTC; 17:30 in Denver is 00:30 UTC.
    assert listing.is_open_at(datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC"))) is True
    assert listing.is_open_at(datetime(2026, 11, 24, 0, 30, tzinfo=ZoneInfo("UTC"))) is False


def test_listing_and_meeting_pages_link_to_report_a_problem(client):
    meeting = make_meeting(name="Tuesday Hope")
    listing_html = page(client, meeting.group.get_absolute_url())
    meeting_html = page(client, meeting.get_absolute_url())

    report_listing = reverse("moderation:report_listing", args=[meeting.group.slug])
    assert f'<a href="{report_listing}">Report a problem with this listing</a>' in listing_html
    report_meeting = reverse("moderation:report_meeting", args=[meeting.slug])
    assert f'<a href="{report_meeting}">Report a problem with this meeting</a>' in meeting_html
