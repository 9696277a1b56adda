"""Finding help end to end: home → search near a ZIP → filter → listing → a number to call.

The same journey works with JavaScript off (a plain GET form) and, with it on, htmx swaps
the results in place and keeps the address bar in step so the page can be shared or reloaded.
"""

import re
from decimal import Decimal

import pytest

from resources.models import ClinicianRole
from resources.vocabularies import Vocabulary
from tests.browser.helpers import PHONE, assert_no_axe_violations, query_of
from tests.factories import make_clinician, make_treatment_program

pytestmark = pytest.mark.browser


def suboxone_prescribers():
    """Two buprenorphine prescribers in Lincoln Park (60614), one taking Medicaid; one far away."""
    medication = {Vocabulary.MEDICATION: ["buprenorphine"]}
    takes_medicaid = make_clinician(
        name="Lincoln Park Addiction Medicine",
        role=ClinicianRole.ADDICTION_MEDICINE,
        summary="Office-based buprenorphine treatment.",
        phone="312-555-0142",
        terms={**medication, Vocabulary.PAYMENT: ["medicaid"]},
    )
    private_only = make_clinician(
        name="Clark Street Recovery Doctors",
        role=ClinicianRole.ADDICTION_MEDICINE,
        summary="Buprenorphine and counseling.",
        terms={**medication, Vocabulary.PAYMENT: ["private-insurance"]},
    )
    far_away = make_clinician(
        name="Pacific Heights Recovery Clinic",
        role=ClinicianRole.ADDICTION_MEDICINE,
        address_line1="2300 Fillmore St",
        city="San Francisco",
        region="CA",
        postal_code="94115",
        latitude=Decimal("37.790800"),
        longitude=Decimal("-122.433700"),
        offers_online=False,
        terms={**medication, Vocabulary.PAYMENT: ["medicaid"]},
    )
    return takes_medicaid, private_only, far_away


def search_from_home(page, what, where):
    page.goto("/")
    form = page.get_by_role("search", name="Search for help")
    form.get_by_label("What are you looking for?").fill(what)
    form.get_by_label("Where?").fill(where)
    form.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?"))


def result_names(page):
    return page.locator("ol.result-list > li h3").all_inner_texts()


def open_filters(page):
    # On a laptop they are open already, in their own column.
    if page.locator("details.filters").get_attribute("open") is None:
        page.locator("details.filters > summary").click()


def show_payment_filters(page):
    open_filters(page)
    page.locator("details.filter-group > summary", has_text="Payment").click()


def medicaid_box(page):
    return page.get_by_role("checkbox", name=re.compile(r"^Medicaid\b"))


def assert_listing_offers_a_call(page, listing):
    assert page.locator("h1").inner_text() == listing.name
    call = page.locator('main a[href^="tel:"]').first
    assert call.get_attribute("href") == "tel:+13125550142"
    assert call.inner_text() == "Call 312-555-0142"


def test_find_a_suboxone_prescriber_near_a_zip_who_takes_medicaid(phone_page):
    page = phone_page
    takes_medicaid, private_only, far_away = suboxone_prescribers()

    search_from_home(page, "suboxone", "60614")

    query = query_of(page.url)
    assert query["q"] == ["suboxone"] and query["near"] == ["60614"]
    # "suboxone" finds buprenorphine; San Francisco is out of range.
    assert sorted(result_names(page)) == sorted([takes_medicaid.name, private_only.name])
    assert page.locator("#result-count").inner_text().startswith("2 results for “suboxone”")

    show_payment_filters(page)
    # Ticking a box is enough: htmx fetches the results without reloading the page.
    page.evaluate("window.stillTheSamePage = true")
    with page.expect_response(lambda r: "payment=medicaid" in r.url) as answer:
        medicaid_box(page).check()
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_url(lambda url: "payment=medicaid" in url)
    page.locator("ol.result-list > li").filter(has_text=private_only.name).wait_for(
        state="detached"
    )

    assert result_names(page) == [takes_medicaid.name]
    assert page.evaluate("window.stillTheSamePage") is True
    query = query_of(page.url)
    assert query["q"] == ["suboxone"]
    assert query["near"] == ["60614"]
    assert query["payment"] == ["medicaid"]

    page.locator("ol.result-list").get_by_role("link", name=takes_medicaid.name, exact=True).click()
    page.wait_for_url(f"**{takes_medicaid.get_absolute_url()}")
    assert_listing_offers_a_call(page, takes_medicaid)


def test_the_address_bar_after_filtering_reloads_the_same_results(page):
    takes_medicaid, _private_only, _far_away = suboxone_prescribers()
    page.goto("/search/?q=suboxone&near=60614")
    show_payment_filters(page)
    medicaid_box(page).check()
    page.wait_for_url(lambda url: "payment=medicaid" in url)
    page.wait_for_function("document.querySelectorAll('ol.result-list > li').length === 1")

    page.reload()

    # The Payment group opens by itself because a box in it is ticked.
    open_filters(page)
    assert medicaid_box(page).is_checked()
    assert result_names(page) == [takes_medicaid.name]


def test_the_same_journey_works_without_javascript(page_without_js):
    page = page_without_js
    takes_medicaid, private_only, _far_away = suboxone_prescribers()

    search_from_home(page, "suboxone", "60614")
    assert sorted(result_names(page)) == sorted([takes_medicaid.name, private_only.name])

    show_payment_filters(page)
    medicaid_box(page).check()
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(lambda url: "payment=medicaid" in url)

    assert result_names(page) == [takes_medicaid.name]
    query = query_of(page.url)
    assert query["q"] == ["suboxone"] and query["near"] == ["60614"]

    page.locator("ol.result-list").get_by_role("link", name=takes_medicaid.name, exact=True).click()
    page.wait_for_url(f"**{takes_medicaid.get_absolute_url()}")
    assert_listing_offers_a_call(page, takes_medicaid)


def test_without_javascript_no_button_needs_it(page_without_js):
    page_without_js.goto("/search/")
    assert page_without_js.get_by_role("button", name="Use my location").count() == 0


# Accessibility of the search and browse pages, in the states people meet them in.


def test_search_results_with_filters_open_are_accessible(page):
    suboxone_prescribers()
    page.goto("/search/?q=suboxone&near=60614&payment=medicaid")
    open_filters(page)
    assert medicaid_box(page).is_checked()
    assert_no_axe_violations(page)


def test_search_results_after_an_htmx_update_are_accessible(page):
    suboxone_prescribers()
    page.goto("/search/?q=suboxone&near=60614")
    show_payment_filters(page)
    medicaid_box(page).check()
    page.wait_for_url(lambda url: "payment=medicaid" in url)
    page.wait_for_function("document.querySelectorAll('ol.result-list > li').length === 1")
    assert_no_axe_violations(page)


def test_a_search_that_finds_nothing_offers_next_steps_accessibly(page):
    suboxone_prescribers()
    page.goto("/search/?q=snowboarding+lessons&near=60614")
    assert page.locator("#result-count").inner_text().startswith("No results for")
    assert page.get_by_role("heading", name="Nothing matches all of this yet").is_visible()
    # The tip's; the crisis bar's is in its closed "More help" disclosure.
    assert page.get_by_role("link", name="1-800-662-4357").count() == 1
    assert_no_axe_violations(page)


def test_a_search_for_a_place_that_does_not_exist_is_accessible(page):
    page.goto("/search/?q=detox&near=Nowhereville%2C+ZZ")
    assert page.get_by_role("alert").is_visible()
    assert_no_axe_violations(page)


def test_a_browse_page_is_accessible(phone_page):
    suboxone_prescribers()
    make_treatment_program(
        is_opioid_treatment_program=True, terms={Vocabulary.MEDICATION: ["methadone"]}
    )
    phone_page.goto("/browse/medication/")
    assert phone_page.locator("ol.result-list > li").count() == 4
    assert_no_axe_violations(phone_page)


def test_use_my_location_searches_near_where_the_phone_is(open_page):
    page = open_page(
        geolocation={"latitude": 41.92491, "longitude": -87.64139},
        permissions=["geolocation"],
        **PHONE,
    )
    takes_medicaid, private_only, _far_away = suboxone_prescribers()
    page.goto("/search/?q=suboxone")

    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(lambda url: "near=" in url)

    # Rounded to about a kilometre before it goes anywhere.
    assert query_of(page.url)["near"] == ["41.92,-87.64"]
    page.wait_for_function("document.querySelectorAll('ol.result-list > li').length === 2")
    assert sorted(result_names(page)) == sorted([takes_medicaid.name, private_only.name])
