"""axe-core finds no WCAG 2.2 AA (or best-practice) problem on any public page.

Each listing is filled in as fully as a curator would, so every optional part of its page
(hours table, terms, contact buttons, meetings table …) is rendered and checked.
"""

from datetime import date

import pytest

from groups.models import Attendance
from resources.models import (
    ClinicianRole,
    CommunityResourceType,
    HelplineType,
    ServiceScope,
    SoberHomeCertification,
)
from resources.vocabularies import Vocabulary
from tests.browser.helpers import assert_no_axe_violations
from tests.factories import (
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

pytestmark = pytest.mark.browser


def with_weekday_hours(listing):
    for weekday in range(1, 6):
        make_opening_hours(listing, weekday)
    return listing


def clinician():
    return with_weekday_hours(
        make_clinician(
            name="Dr. Ana Reyes",
            role=ClinicianRole.ADDICTION_MEDICINE,
            credentials="MD, FASAM",
            organization=make_organization(name="Lincoln Park Health"),
            sms="312-555-0199",
            email="front.desk@clinic.example.org",
            website="https://clinic.example.org/",
            offers_online=True,
            description="Office-based treatment for opioid use disorder.\n\nSame-week visits.",
            cost_notes="First visit free.",
            hours_notes="Closed on public holidays.",
            terms={
                Vocabulary.PAYMENT: ["medicaid", "sliding-scale"],
                Vocabulary.LANGUAGE: ["en", "es"],
                Vocabulary.POPULATION: ["veterans"],
                Vocabulary.SUBSTANCE: ["opioids"],
                Vocabulary.ACCESSIBILITY: ["wheelchair"],
                Vocabulary.THERAPY_APPROACH: ["cbt"],
                Vocabulary.MEDICATION: ["buprenorphine"],
            },
        )
    )


def treatment_program():
    return with_weekday_hours(
        make_treatment_program(
            is_opioid_treatment_program=True,
            license_number="IL-12345",
            terms={
                Vocabulary.LEVEL_OF_CARE: ["outpatient", "intensive-outpatient"],
                Vocabulary.MEDICATION: ["methadone"],
                Vocabulary.ACCREDITATION: ["carf"],
                Vocabulary.PAYMENT: ["medicaid"],
            },
        )
    )


def sober_living_home():
    return make_sober_living_home(
        beds_total=8,
        beds_available=2,
        beds_updated_on=date(2026, 10, 1),
        certification=SoberHomeCertification.STATE,
        certifying_body="Illinois NARR affiliate",
        allows_medication=True,
        weekly_cost="175.00",
        terms={Vocabulary.POPULATION: ["men"]},
    )


def helpline():
    return make_helpline(
        helpline_type=HelplineType.CHAT,
        scope=ServiceScope.NATIONAL,
        chat_url="https://chat.example.org/",
        open_24_7=True,
        address_line1="",
        postal_code="",
    )


def community_resource():
    return with_weekday_hours(
        make_community_resource(resource_type=CommunityResourceType.RECOVERY_CENTER)
    )


def support_group():
    group = make_support_group(email="group@example.org")
    make_meeting(group=group, types=["O", "D"], place=make_place(notes="Basement, door B."))
    make_meeting(
        group=group,
        weekday=4,
        attendance=Attendance.ONLINE,
        conference_url="https://meet.example.org/j/1",
    )
    return group


LISTINGS = {
    "clinician": clinician,
    "treatment_program": treatment_program,
    "sober_living_home": sober_living_home,
    "helpline": helpline,
    "community_resource": community_resource,
    "support_group": support_group,
}


def test_home_page(page):
    make_clinician()
    page.goto("/")
    assert_no_axe_violations(page)


def test_home_page_on_a_phone(phone_page):
    phone_page.goto("/")
    assert_no_axe_violations(phone_page)


@pytest.mark.parametrize("path", ["/about/", "/privacy/"])
def test_information_pages(page, path):
    page.goto(path)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("kind", LISTINGS)
def test_listing_page_of_each_kind(page, kind):
    listing = LISTINGS[kind]()
    page.goto(listing.get_absolute_url())
    assert page.locator("h1").inner_text() == listing.name
    assert_no_axe_violations(page)


def test_support_group_page_on_a_phone(phone_page):
    phone_page.goto(support_group().get_absolute_url())
    assert phone_page.locator("table.meetings tbody tr").count() == 2
    assert_no_axe_violations(phone_page)


def test_meeting_page(page):
    meeting = make_meeting(
        types=["O", "D", "W"],
        attendance=Attendance.HYBRID,
        place=make_place(name="St. Paul's hall", notes="Side door, second floor."),
        conference_url="https://meet.example.org/j/2",
        conference_url_notes="Password 1234.",
        conference_phone="312-555-0177",
        notes="Newcomers welcome.",
        group=make_support_group(phone="312-555-0101", email="group@example.org"),
    )
    page.goto(meeting.get_absolute_url())
    assert page.locator("h1").inner_text() == meeting.name
    assert_no_axe_violations(page)


def test_not_found_page(page):
    response = page.goto("/listings/no-such-listing/")
    assert response.status == 404
    assert_no_axe_violations(page)


def test_pages_reflow_at_320_pixels_without_sideways_scrolling(open_page):
    """WCAG 1.4.10 Reflow, which axe cannot check: 320 CSS pixels is 1280 zoomed to 400%."""
    page = open_page(viewport={"width": 320, "height": 640})
    group = support_group()
    paths = [
        "/",
        "/search/?q=meeting&near=60614",
        clinician().get_absolute_url(),
        group.get_absolute_url(),
        group.meetings.first().get_absolute_url(),
    ]
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} pixels wide at 320"
