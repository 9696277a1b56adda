"""Find help: the search page, the browse pages, and the home page's way into them."""

import re
from datetime import date, time
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from guides.templatetags.guides import guide_links
from resources.models import ClinicianRole, CommunityResourceType, ListingStatus, Weekday
from resources.vocabularies import Vocabulary
from tests.factories import (
    DENVER,
    EDGEWATER,
    days_ago,
    fellowship,
    make_clinician,
    make_community_resource,
    make_helpline,
    make_meeting,
    make_opening_hours,
    make_sober_living_home,
    make_support_group,
    make_treatment_program,
)
from tests.helpers import (
    ResourceParser,
    card_count,
    link_query,
    problems,
    text_of,
    written_date,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")


def browse(slug):
    return reverse("directory:browse", kwargs={"category": slug})


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def result_names(html):
    """The names of the results, in the order shown."""
    return [
        unescape(name) for name in re.findall(r'<li class="result">\s*<h3><a [^>]*>(.*?)</a>', html)
    ]


def result_count(html):
    return text_of(re.search(r'<span id="result-count"[^>]*>(.*?)</span>', html, re.DOTALL)[1])


def links(html, css_class):
    """{text: href} of the links with this class."""
    found = re.findall(rf'<a class="{css_class}" href="([^"]*)">(.*?)</a>', html, re.DOTALL)
    return {text_of(text).strip(): unescape(href) for href, text in found}


def query(href):
    return parse_qs(urlsplit(href).query)


# Search


def test_search_by_text_finds_the_listing(client):
    make_clinician(name="Harbor Light Counseling", summary="Counseling for opioid use.")
    make_treatment_program(name="Lakeside Detox")
    html = get(client, f"{SEARCH}?q=harbor")
    assert result_names(html) == ["Harbor Light Counseling"]
    assert result_count(html) == "1 result for “harbor”"


def test_result_card_shows_what_someone_needs_to_decide(client):
    make_clinician(
        name="Dr. Ana Ruiz",
        role=ClinicianRole.ADDICTION_MEDICINE,
        summary="Prescribes buprenorphine.",
        phone="(312) 555-0142",
        offers_online=True,
        accepting_new_clients=True,
        last_verified_on=days_ago(45),
        terms={Vocabulary.PAYMENT: ["medicaid"], Vocabulary.MEDICATION: ["buprenorphine"]},
    )
    html = get(client, SEARCH)
    card = text_of(re.search(r'<li class="result">.*?</li>\s*</ol>', html, re.DOTALL)[0])
    assert "Dr. Ana Ruiz Physician or addiction medicine" in card
    assert "2400 N Clark St, Chicago, IL 60614" in card
    assert "Prescribes buprenorphine." in card
    for fact in ["Online or video", "Taking new clients", "Medicaid", "Buprenorphine"]:
        assert fact in card
    assert f"Last checked {written_date(days_ago(45))}" in card
    assert 'href="tel:+13125550142">Call (312) 555-0142</a>' in html


def test_result_card_of_an_approximate_place_shows_only_the_town(client):
    make_sober_living_home(
        name="Maple House",
        location_precision="approximate",
        beds_total=8,
        beds_available=2,
        beds_updated_on=date(2026, 9, 28),
    )
    html = get(client, f"{SEARCH}?near=60614")
    card = text_of(re.search(r'<li class="result">.*?</li>\s*</ol>', html, re.DOTALL)[0])
    assert "About 0.4 miles away · Chicago, IL" in card
    assert "2 open beds on Sep 28" in card
    assert "Clark St" not in html and "60614 " not in card


def test_near_a_zip_with_a_small_radius_leaves_out_far_listings_and_shows_distances(client):
    make_clinician(name="Lincoln Park Clinic")
    make_clinician(name="Edgewater Clinic", **EDGEWATER)
    make_clinician(name="Denver Clinic", **DENVER)
    html = get(client, f"{SEARCH}?near=60614&radius=5")
    assert result_names(html) == ["Lincoln Park Clinic", "Edgewater Clinic"]
    assert result_count(html) == "2 results near Chicago, IL 60614"
    text = text_of(html)
    assert "0.4 miles away" in text
    assert re.search(r"\b[3-5](\.\d)? miles away", text)
    assert "Within 5 miles. Nearest first." in text


def test_sort_by_name_and_by_distance(client):
    make_clinician(name="Zephyr Clinic")
    make_clinician(name="Aspen Clinic", **EDGEWATER)
    assert result_names(get(client, f"{SEARCH}?near=60614")) == ["Zephyr Clinic", "Aspen Clinic"]
    assert result_names(get(client, f"{SEARCH}?near=60614&sort=name")) == [
        "Aspen Clinic",
        "Zephyr Clinic",
    ]
    assert result_names(get(client, f"{SEARCH}?near=60614&sort=distance")) == [
        "Zephyr Clinic",
        "Aspen Clinic",
    ]
    assert result_names(get(client, SEARCH)) == ["Aspen Clinic", "Zephyr Clinic"]


def test_remote_toggle_adds_state_and_national_phone_help(client):
    make_clinician(name="Lincoln Park Clinic")
    make_helpline(name="National Line", latitude=None, longitude=None, city="", region="")
    html = get(client, f"{SEARCH}?near=60614")
    assert result_names(html) == ["Lincoln Park Clinic"]
    html = get(client, f"{SEARCH}?near=60614&remote=1")
    assert result_names(html) == ["Lincoln Park Clinic", "National Line"]
    assert "with phone and online help for IL" in text_of(html)


@pytest.mark.parametrize(
    ("params", "kept", "left_out"),
    [
        ("kind=treatment_program", "Program", "Therapist"),
        ("role=psychiatrist", "Psychiatrist", "Therapist"),
        ("fellowship=al-anon", "Al-Anon group", "AA group"),
        ("delivery=online", "Video therapist", "Therapist"),
        ("payment=medicaid", "Therapist", "Psychiatrist"),
        ("language=es", "Psychiatrist", "Therapist"),
        ("population=veterans", "Program", "Therapist"),
        ("substance=alcohol", "AA group", "Program"),
        ("medication=methadone", "Program", "Psychiatrist"),
        ("accessibility=wheelchair", "Al-Anon group", "AA group"),
        ("new_clients=1", "Therapist", "Psychiatrist"),
        ("beds=1", "Sober home", "Therapist"),
        ("open_24_7=1", "Program", "Therapist"),
        ("open_now=1", "Program", "Psychiatrist"),
    ],
)
def test_each_filter_narrows_the_results(client, params, kept, left_out):
    make_clinician(name="Therapist", terms={Vocabulary.PAYMENT: ["medicaid"]})
    make_clinician(
        name="Psychiatrist",
        role=ClinicianRole.PSYCHIATRIST,
        accepting_new_clients=False,
        terms={Vocabulary.LANGUAGE: ["es"]},
    )
    make_clinician(name="Video therapist", offers_in_person=False, offers_online=True)
    make_treatment_program(
        name="Program",
        open_24_7=True,
        terms={Vocabulary.POPULATION: ["veterans"], Vocabulary.MEDICATION: ["methadone"]},
    )
    make_sober_living_home(
        name="Sober home", beds_total=6, beds_available=1, beds_updated_on=date(2026, 10, 1)
    )
    make_support_group(name="AA group", terms={Vocabulary.SUBSTANCE: ["alcohol"]})
    make_support_group(
        name="Al-Anon group",
        fellowship=fellowship("Al-Anon"),
        terms={Vocabulary.ACCESSIBILITY: ["wheelchair"]},
    )
    names = result_names(get(client, f"{SEARCH}?{params}"))
    assert kept in names
    assert left_out not in names


def test_option_counts_are_shown_next_to_choices(client):
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid"]})
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid", "free"]})
    html = get(client, SEARCH)
    assert re.search(r"Medicaid<span class=\"option-count\" [^>]*> \(2\)</span>", html)
    assert re.search(r"Free<span class=\"option-count\" [^>]*> \(1\)</span>", html)
    assert re.search(r"Medicare<span class=\"option-count\" [^>]*> \(0\)</span>", html)


# Chips


def test_chips_show_active_filters_and_each_removes_only_its_value(client):
    make_clinician(terms={Vocabulary.PAYMENT: ["medicaid", "medicare"]})
    url = f"{SEARCH}?q=clinician&payment=medicaid&payment=medicare&open_now=1&page=1"
    html = get(client, url)
    chips = links(html, "chip")
    assert set(chips) == {"Remove Medicaid ✕", "Remove Medicare ✕", "Remove Open now ✕"}
    assert query(chips["Remove Medicaid ✕"]) == {
        "q": ["clinician"],
        "payment": ["medicare"],
        "open_now": ["1"],
    }
    assert query(chips["Remove Open now ✕"]) == {
        "q": ["clinician"],
        "payment": ["medicaid", "medicare"],
    }
    clear = links(html, "clear-all")["Clear all filters"]
    assert query(clear) == {"q": ["clinician"]}
    # Following a chip's link really drops the filter.
    assert "Remove Medicaid" not in get(client, SEARCH + chips["Remove Medicaid ✕"])


def test_no_chips_without_filters(client):
    assert 'class="chip"' not in get(client, f"{SEARCH}?q=detox&near=60614")


# Pagination


def test_pagination_shows_20_a_page_and_keeps_the_filters(client):
    for number in range(25):
        make_clinician(name=f"Clinic {number:02}", terms={Vocabulary.PAYMENT: ["medicaid"]})
    make_clinician(name="Cash only")

    first = get(client, f"{SEARCH}?payment=medicaid")
    assert len(result_names(first)) == 20
    assert result_count(first) == "25 results"
    assert "Showing 1 to 20." in text_of(first)
    next_link = re.search(r'<a rel="next" href="([^"]*)">Next page</a>', first)[1]
    assert query(unescape(next_link)) == {"payment": ["medicaid"], "page": ["2"]}
    assert 'rel="prev"' not in first

    second = get(client, SEARCH + unescape(next_link))
    assert result_names(second) == [f"Clinic {number:02}" for number in range(20, 25)]
    assert "Page 2 of 2" in text_of(second)
    previous = re.search(r'<a rel="prev" href="([^"]*)">Previous page</a>', second)[1]
    assert query(unescape(previous)) == {"payment": ["medicaid"]}
    assert 'rel="next"' not in second


def test_pages_use_one_pagination_include():
    from django.template.loader import get_template

    source = get_template("resources/find_help.html").template.source
    assert source.count('{% include "includes/pagination.html" %}') == 1


# Browse pages


@pytest.mark.parametrize(
    ("slug", "shown", "not_shown"),
    [
        ("doctors-and-therapists", ["Therapist", "Prescriber"], ["Program", "AA group"]),
        ("treatment-programs", ["Program"], ["Therapist", "Prescriber"]),
        ("medication", ["Prescriber", "Program"], ["Therapist", "Sober home"]),
        ("sober-living", ["Sober home"], ["Program"]),
        ("hotlines-and-online-help", ["Helpline"], ["Therapist"]),
        ("community-resources", ["Family services", "Job center"], ["Helpline"]),
        ("peer-support-groups", ["AA group", "Al-Anon group"], ["Family services"]),
        (
            "family-and-friends",
            ["Al-Anon group", "Family services", "Family therapist"],
            ["AA group", "Job center", "Therapist"],
        ),
    ],
)
def test_browse_page_shows_only_its_category(client, slug, shown, not_shown):
    make_clinician(name="Therapist")
    make_clinician(name="Family therapist", terms={Vocabulary.THERAPY_APPROACH: ["craft"]})
    make_clinician(name="Prescriber", terms={Vocabulary.MEDICATION: ["buprenorphine"]})
    make_treatment_program(name="Program", terms={Vocabulary.MEDICATION: ["methadone"]})
    make_sober_living_home(name="Sober home")
    make_helpline(name="Helpline")
    make_community_resource(
        name="Family services", resource_type=CommunityResourceType.FAMILY_SUPPORT
    )
    make_community_resource(name="Job center", resource_type=CommunityResourceType.VOCATIONAL)
    make_support_group(name="AA group")
    make_support_group(name="Al-Anon group", fellowship=fellowship("Al-Anon"))

    html = get(client, browse(slug))
    names = result_names(html)
    for name in shown:
        assert name in names, (slug, name)
    for name in not_shown:
        assert name not in names, (slug, name)


def test_browse_page_is_the_search_page_with_the_category_as_heading(client):
    make_sober_living_home(name="Maple House", terms={Vocabulary.PAYMENT: ["medicaid"]})
    html = get(client, f"{browse('sober-living')}?payment=medicaid")
    assert "<h1>Sober living homes</h1>" in html
    assert f'action="{browse("sober-living")}"' in html
    assert 'name="beds"' in html  # its own filters
    assert 'name="role"' not in html  # not a clinician's
    assert result_names(html) == ["Maple House"]


def test_unknown_category_is_not_found(client):
    get(client, browse("spaceships"), status=404)


def test_filters_a_browse_page_does_not_show_are_kept_in_the_form(client):
    html = get(client, f"{browse('sober-living')}?role=therapist")
    assert '<input type="hidden" name="role" value="therapist">' in html
    assert "Remove Therapist or counselor" in text_of(html)


# Nothing found, and what to do


def test_no_results_offers_ways_forward_and_the_helpline(client):
    make_clinician(name="Denver Clinic", **DENVER)
    html = get(client, f"{browse('doctors-and-therapists')}?q=zzz&near=60614&payment=free")
    text = text_of(html)
    assert result_count(html) == "No results for “zzz” near Chicago, IL 60614"
    assert "clear all filters" in text
    assert "Look further away: within 50 miles" in text
    assert "Add phone and online help for IL" in text
    assert "search without words" in text
    assert "Search every kind of help" in text
    assert 'href="tel:+18006624357"' in html


def test_unknown_place_shows_the_message_and_suggestions_as_links(client):
    make_clinician()
    response = client.get(f"{SEARCH}?near=Chicgo&payment=medicaid")
    assert response.status_code == 200
    html = response.content.decode()
    assert result_count(html) == "We couldn’t find that place"
    assert "We couldn't find “Chicgo”" in problems(html)
    assert "We couldn&#x27;t find “Chicgo”" in re.search(r'id="error-near">(.*?)</p>', html)[1]
    suggestion = re.search(r'<a href="([^"]*)">Chicago, IL</a>', html)[1]
    assert query(unescape(suggestion)) == {"near": ["Chicago, IL"], "payment": ["medicaid"]}
    assert result_names(html) == []


# Input that cannot be used


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ("radius=-5", 400, "Choose a distance from the list: 5, 10, 25, 50 or 100 miles."),
        ("radius=1000000000", 400, "Choose a distance from the list"),
        ("page=0", 400, "Page numbers start at 1."),
        ("page=999", 404, "There is no page 999: these results fill 1 page."),
        ("page=abc", 400, "“abc” is not a page number. Use a whole number, like 2."),
        ("page=" + "9" * 5000, 400, "is not a page number"),
        ("kind=spaceship", 400, "We don’t list “spaceship” as a kind of help."),
        ("payment=bitcoin", 400, "We don’t list “bitcoin” as a payment option."),
        (
            "q=" + "a" * 5000,
            400,
            "Search text is too long (5,000 characters); shorten it to 200 or fewer",
        ),
        ("q=%ff%fe", 400, "Search text has characters we could not read."),
        ("q=%ff", 400, "Search text has characters we could not read."),
        ("q=%00", 400, "Search text has characters we could not read."),
        ("near=" + "a" * 5000, 400, "Place is too long (5,000 characters)"),
        ("near=91,200", 200, "Those coordinates are not on the map"),
        ("open_now=maybe", 400, "“maybe” is not a yes or no"),
        ("sort=cheapest", 400, "Choose how to sort from the list."),
    ],
)
def test_bad_input_gets_a_clear_message_never_a_server_error(client, params, status, message):
    make_clinician(name="Harbor Light")
    html = get(client, f"{SEARCH}?{params}", status=status)
    assert message in problems(html)
    assert result_names(html) == []
    assert 'href="tel:988"' in html  # still the whole page, crisis strip and all


def test_problems_offer_a_link_that_removes_only_the_bad_value(client):
    html = get(client, f"{SEARCH}?q=detox&payment=medicaid&payment=bitcoin", status=400)
    fix = re.search(r'<a href="([^"]*)">Remove “bitcoin”</a>', html)[1]
    assert query(unescape(fix)) == {"q": ["detox"], "payment": ["medicaid"]}


def test_a_page_past_the_end_links_to_the_last_page(client):
    for _ in range(21):
        make_clinician()
    html = get(client, f"{SEARCH}?page=7&sort=name", status=404)
    assert "There is no page 7: these results fill 2 pages." in problems(html)
    assert link_query(html, "Go to the last page") == {"sort": ["name"], "page": ["2"]}


def test_a_page_past_the_end_of_one_page_links_to_the_first(client):
    make_clinician()
    html = get(client, f"{SEARCH}?page=3&sort=name", status=404)
    assert "There is no page 3: these results fill 1 page." in problems(html)
    assert link_query(html, "Go to the first page") == {"sort": ["name"]}


# htmx


def test_htmx_request_gets_only_the_results(client):
    make_clinician(name="Harbor Light", terms={Vocabulary.PAYMENT: ["medicaid"]})
    full = get(client, f"{SEARCH}?payment=medicaid")
    partial = get(client, f"{SEARCH}?payment=medicaid", HTTP_HX_REQUEST="true")

    assert "<html" in full and 'class="crisis"' in full and "<form" in full
    assert "<html" not in partial and 'class="crisis"' not in partial and "<form" not in partial
    assert result_names(partial) == ["Harbor Light"]
    # Out-of-band: the live result count and the option counts outside the results.
    assert '<span id="result-count" hx-swap-oob="innerHTML">1 result</span>' in partial
    assert re.search(r'id="n-payment-medicaid" hx-swap-oob="true"> \(1\)</span>', partial)


def test_htmx_request_with_bad_input_gets_the_problems_and_a_400(client):
    partial = get(client, f"{SEARCH}?radius=-5", status=400, HTTP_HX_REQUEST="true")
    assert "<html" not in partial
    assert 'role="alert"' in partial
    assert "Choose a distance from the list" in partial
    assert re.search(r'id="error-radius" hx-swap-oob="true">Choose a distance', partial)


def test_responses_vary_on_the_htmx_header(client):
    response = client.get(SEARCH)
    assert "HX-Request" in response.headers["Vary"]


def test_search_form_works_without_javascript_and_is_enhanced_with_htmx(client):
    html = get(client, SEARCH)
    form = re.search(r'<form id="find-help".*?>', html, re.DOTALL)[0]
    assert 'method="get"' in form and f'action="{SEARCH}"' in form
    assert f'hx-get="{SEARCH}"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert 'hx-trigger="change"' in html
    assert '<button type="submit" class="button">Search</button>' in html
    assert 'id="result-count" role="status" aria-live="polite"' in html
    assert "csrfmiddlewaretoken" not in html
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)[1]
    assert '"allowEval":false' in config
    assert '"includeIndicatorStyles":false' in config
    assert '"historyCacheSize":0' in config
    # The "Use my location" button waits, hidden, for the script that can fill it in.
    assert re.search(r"<button [^>]*data-locate[^>]*hidden>Use my location</button>", html)


def test_htmx_and_the_location_script_load_only_on_find_help_pages(client):
    clinician = make_clinician()
    for url in [SEARCH, browse("medication")]:
        parser = ResourceParser()
        parser.feed(get(client, url))
        assert parser.scripts[:4] == [
            {"src": "/static/vendor/htmx/htmx.min.js", "defer": None},
            {"src": "/static/js/locate.js", "defer": None},
            {"src": "/static/js/search-page.js", "defer": None},
            {"src": "/static/js/directions.js", "defer": None},
        ]
    for url in [reverse("directory:home"), clinician.get_absolute_url()]:
        assert "htmx" not in get(client, url)


# Privacy


def test_search_and_browse_set_no_cookies_and_load_nothing_from_elsewhere(client):
    make_clinician(website="https://clinic.example.org/")
    urls = [
        f"{SEARCH}?q=clinic&near=60614&payment=medicaid",
        browse("family-and-friends"),
        f"{SEARCH}?radius=-5",
        f"{SEARCH}?near=Chicgo",
        f"{SEARCH}?page=99",
    ]
    for url in urls:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            assert "Set-Cookie" not in response.headers, url
            assert not response.cookies, url
            html = response.content.decode()
            parser = ResourceParser()
            parser.feed(html)
            for fetched in parser.urls:
                assert not re.match(r"\s*(https?:)?//", fetched), (url, fetched)
            assert " style=" not in html
            assert "<script>" not in html


# Home


def test_home_has_a_search_box_for_what_and_where(client):
    html = get(client, reverse("directory:home"))
    form = re.search(r'<form class="search-box".*?</form>', html, re.DOTALL)[0]
    assert f'action="{SEARCH}"' in form and 'method="get"' in form
    assert 'name="q"' in form and 'name="near"' in form


def test_home_cards_link_to_browse_pages_with_live_counts(client):
    make_clinician(terms={Vocabulary.MEDICATION: ["buprenorphine"]})
    make_clinician()
    make_treatment_program(terms={Vocabulary.MEDICATION: ["methadone"]})
    make_support_group(fellowship=fellowship("Nar-Anon"))
    make_clinician(status=ListingStatus.DRAFT)
    html = get(client, reverse("directory:home"))
    assert card_count(html, "doctors-and-therapists") == 2
    assert card_count(html, "medication") == 2
    assert card_count(html, "peer-support-groups") == 1
    assert card_count(html, "family-and-friends") == 1
    assert card_count(html, "sober-living") == 0
    assert f'<a href="{browse("medication")}">Medication for addiction treatment</a>' in html


# Query counts


def _listings(count):
    # Neither today nor tomorrow in the listings' zone (the factory's): never open now.
    a_day_away = (Weekday.of(timezone.now().astimezone(ZoneInfo("America/Chicago"))) + 3) % 7
    for number in range(count):
        clinic = make_clinician(
            name=f"Clinic {number:02}",
            open_24_7=number % 2 == 0,
            terms={Vocabulary.PAYMENT: ["medicaid", "free"], Vocabulary.LANGUAGE: ["es"]},
        )
        if number % 2:  # hours, read with the page: "Closed now · opens Friday at 9 AM"
            make_opening_hours(clinic, weekday=a_day_away, opens=time(9), closes=time(17))
        if number % 3 == 0:
            make_meeting(group=make_support_group(name=f"Group {number:02}"))


@pytest.mark.parametrize("count", [3, 30])
def test_search_page_takes_five_queries_whatever_the_number_of_results(
    client, django_assert_num_queries, count
):
    _listings(count)
    # 1. (PostgreSQL) whether anything matches the words exactly, or typos are forgiven
    # 2. the results and each filter choice counted, in one query
    # 3. the ids of the page's results, in order
    # 4. those listings, joined to their kind's table, the organization and fellowship,
    #    with their opening hours for "open now · closes at" on each card
    # 5. their terms
    queries = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(queries):
        html = get(client, f"{SEARCH}?q=clinic&near=60614&payment=medicaid&language=es")
    assert len(result_names(html)) == min(count, 20)


@pytest.mark.parametrize("count", [3, 30])
def test_browse_page_with_open_now_takes_five_queries(client, django_assert_num_queries, count):
    _listings(count)
    guide_links()  # the category's guide: kept until anything public changes
    # 1. the time zones listings are in, for "open now" (then kept in the cache)
    # 2. the results and each filter choice counted, in one query
    # 3. the ids of the page's results, in order
    # 4. those listings, joined to their kind's table, with their opening hours
    # 5. their terms
    with django_assert_num_queries(5):
        html = get(client, f"{browse('doctors-and-therapists')}?open_now=1&near=60614")
    assert len(result_names(html)) == min((count + 1) // 2, 20)


def test_search_words_with_open_now_take_three_queries_once_zones_and_cards_are_kept(
    client, django_assert_num_queries
):
    _listings(30)
    url = f"{SEARCH}?q=clinic&open_now=1&near=60614"
    postgresql = connection.vendor == "postgresql"
    # The first time: the listings' time zones, and the page's 20 listings read to make
    # their cards (the listings, their terms).
    with django_assert_num_queries(6 if postgresql else 5):
        first = get(client, url)
    # Then the time zones and the cards are kept: the tally and the page's order, and on
    # PostgreSQL the check for an exact match of the words first.
    with django_assert_num_queries(3 if postgresql else 2):
        html = get(client, url)
    assert result_names(html) == result_names(first)
    assert result_names(html)


def test_unusable_request_takes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        get(client, f"{SEARCH}?radius=-5&payment=bitcoin", status=400)


def test_home_takes_three_queries(client, django_assert_num_queries):
    _listings(6)
    # 1. every category counted in one aggregate query
    # 2. listed meetings counted
    # 3. fellowships counted
    with django_assert_num_queries(3):
        get(client, reverse("directory:home"))


# Small helpers behind the cards


@pytest.mark.parametrize(
    ("distance", "public", "said"),
    [
        (0.01, True, "Less than 0.1 miles away"),
        (1.04, True, "1 mile away"),
        (2.345, True, "2.3 miles away"),
        (12.6, True, "13 miles away"),
        (2.345, False, "About 2.3 miles away"),
    ],
)
def test_distances_are_said_plainly(distance, public, said):
    from types import SimpleNamespace

    from directory.templatetags.find_help import how_far

    assert how_far(SimpleNamespace(distance=distance, address_is_public=public)) == said


def test_a_history_restore_request_gets_the_whole_page(client):
    html = get(client, SEARCH, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in html
