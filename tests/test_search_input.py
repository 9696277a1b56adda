"""What people type never breaks a page.

Words too common to search by, punctuation and emoji are searched as if no words were
typed, and the page says so; "near me" is taken out of the words and the page asks where;
an address with a NUL or another control character answers 400; every error under /api/
and /hsds/ is JSON; and no cache keeps a search. On both databases: PostgreSQL is where
most of these were server errors (``ORDER BY 0.0``, NUL in text), and SQLite must answer
the same. The fuzz suite (test_fuzz_public.py) sends much more of the same.
"""

import json
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.categories import CATEGORIES
from resources.models import Listing
from resources.search import TextSearch, read_query, strip_near_me
from tests import factories

pytestmark = pytest.mark.django_db

# Text with nothing to search by: common words only, or no letters or digits.
COMMON = ["where", "in", "the", "for me", "what is this", "it's", '"the"', "-the", "the or a"]
NO_WORDS = ["?", "-", "*", "😀", "...", '""']

TOO_COMMON = "Your words were too common to search by"
NO_LETTERS = "What you typed has no letters or numbers we can search by"
ASK_WHERE = "Where are you? Type a town or ZIP code in"


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """A few listings in Chicago, one of each kind, and a meeting of an NA group: built once
    for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_directory()
        transaction.set_rollback(True)


def make_directory():
    listings = [
        factories.make_clinician(name="Dr. Ada Stone", summary="Suboxone for adults."),
        factories.make_treatment_program(name="Lakeview Detox", summary="Detox and rehab."),
        factories.make_sober_living_home(name="Maple House"),
        factories.make_helpline(name="Night Line"),
        factories.make_community_resource(name="Second Start Jobs"),
        factories.make_support_group(
            name="Clean Tuesday Group", fellowship=factories.fellowship("NA")
        ),
    ]
    factories.make_meeting(group=listings[-1], name="Clean Tuesday", weekday=2)
    return listings


def listing_count(response):
    return len(response.context["page"].object_list)


# Reading the text ---------------------------------------------------------------------


@pytest.mark.parametrize("text", COMMON + NO_WORDS)
def test_text_with_nothing_to_search_by_reads_as_no_query(text):
    assert read_query(text).query == ()


def test_quoted_or_negated_stop_words_are_dropped_like_postgresql_drops_them():
    assert read_query('"the" suboxone -it').query == read_query("suboxone").query


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("na meetings near me", "na meetings"),
        ("Near Me detox", "detox"),
        ("nearby rehab", "rehab"),
        ("aa close to me", "aa"),
        ("desintoxicación cerca de mí", "desintoxicación"),
        ("Reunión de AA cerca de mi", "Reunión de AA"),
    ],
)
def test_near_me_is_taken_out_of_the_words(text, rest):
    reading = read_query(text)
    assert reading.near_me
    assert reading.query == read_query(rest).query
    stripped, found = strip_near_me(text)
    assert found and " ".join(stripped.split()) == rest


@pytest.mark.parametrize("text", ["menear me", "near mechanics", "nearest detox", "aa"])
def test_words_that_only_look_like_near_me_stay(text):
    assert not read_query(text).near_me
    assert strip_near_me(text) == (text, False)


# The search and browse pages ----------------------------------------------------------


@pytest.mark.parametrize("text", COMMON + NO_WORDS)
def test_search_with_nothing_to_search_by_shows_everything_and_says_why(client, directory, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert listing_count(response) == len(directory)
    body = response.content.decode()
    assert (TOO_COMMON if text in COMMON else NO_LETTERS) in body
    assert "so here is everything we list." in body
    assert response.context["filterset"].effective_sort == "name"


@pytest.mark.parametrize("category", [category.slug for category in CATEGORIES])
@pytest.mark.parametrize("text", ["the", "what is this", "?", "😀"])
def test_every_browse_page_takes_text_with_nothing_to_search_by(client, directory, category, text):
    response = client.get(f"/browse/{category}/", {"q": text, "sort": "relevance"})
    assert response.status_code == 200
    body = response.content.decode()
    assert TOO_COMMON in body or NO_LETTERS in body
    assert "so here is everything in “" in body


def test_common_words_near_a_place_say_so(client, directory):
    response = client.get("/search/", {"q": "the", "near": "60614"})
    assert response.status_code == 200
    assert "so here is everything near Chicago, IL 60614" in response.content.decode()
    assert listing_count(response) == len(directory)
    assert response.context["filterset"].effective_sort == "distance"


def test_near_me_without_a_place_asks_where(client, directory):
    response = client.get("/search/", {"q": "near me"})
    assert response.status_code == 200
    body = response.content.decode()
    assert ASK_WHERE in body
    assert "“Where?”" in body and 'href="#id_near"' in body and "Use my location" in body
    assert TOO_COMMON not in body and NO_LETTERS not in body
    assert listing_count(response) == len(directory)


def test_words_with_near_me_are_searched_without_it(client, directory):
    response = client.get("/search/", {"q": "detox near me"})
    assert [listing.name for listing in response.context["page"]] == ["Lakeview Detox"]
    body = response.content.decode()
    assert ASK_WHERE in body and "1 result for “detox”" in body


def test_near_me_with_a_place_asks_nothing(client, directory):
    response = client.get("/search/", {"q": "detox near me", "near": "Chicago, IL"})
    assert [listing.name for listing in response.context["page"]] == ["Lakeview Detox"]
    assert ASK_WHERE not in response.content.decode()


def test_the_finder_takes_near_me_out_and_asks_where(client, directory):
    response = client.get("/meetings/", {"q": "Clean Tuesday near me", "day": "any"})
    assert response.status_code == 200
    assert [meeting.name for meeting in response.context["page"]] == ["Clean Tuesday"]
    body = response.content.decode()
    assert ASK_WHERE in body and "“Near”" in body
    response = client.get("/meetings/", {"q": "near me", "day": "any", "near": "60614"})
    assert len(response.context["page"].object_list) == 1
    assert ASK_WHERE not in response.content.decode()


@pytest.mark.parametrize("text", ["the", "what is this", "?", "-", "😀", "near me"])
def test_the_apis_search_text_with_nothing_to_search_by_as_empty(client, directory, text):
    response = client.get("/api/v1/listings/", {"q": text, "sort": "relevance"})
    assert response.status_code == 200
    assert response.json()["count"] == len(directory)
    response = client.get("/hsds/services", {"search": text})
    assert response.status_code == 200
    assert response.json()["total_items"] == len(directory)


@pytest.mark.postgresql
def test_signs_postgresql_reads_as_no_word_are_searched_as_empty(client, directory):
    # "৴" is a letter to Python's regular expressions but nothing to PostgreSQL's parser:
    # only PostgreSQL can tell, so one small query asks it.
    search = TextSearch("৴", Listing.objects.searchable())
    with CaptureQueriesContext(connection) as queries:
        assert not search.searches
    assert len(queries) == 1
    response = client.get("/search/", {"q": "৴"})
    assert response.status_code == 200
    assert listing_count(response) == len(directory)
    assert NO_LETTERS in response.content.decode()


def test_ordinary_words_ask_the_database_nothing_more(directory):
    search = TextSearch("detox", Listing.objects.searchable())
    with CaptureQueriesContext(connection) as queries:
        assert search.searches
    assert len(queries) == 0


# Control characters in the address -----------------------------------------------------

API_PARAMETERS = [
    ("/api/v1/listings/?q=%00", "q"),
    ("/api/v1/meetings/?day=any&near=a%00", "near"),
    ("/api/meeting-guide.json?fellowship=%00", "fellowship"),
    ("/api/meeting-guide.json?region=Chicago%00", "region"),
    ("/hsds/services?search=%00", "search"),
    ("/hsds/taxonomies?%01=1", "\ufffd"),
]
API_PATHS = ["/api/v1/listings/a%00b/", "/hsds/services/%00", "/hsds/organizations/%01"]
PAGE_PARAMETERS = [
    ("/suggest/?kind=%00", "kind"),
    ("/?%00=1", "\ufffd"),
    ("/fellowships/?page=%01&sort=name", "page"),
    ("/about/?utm=a%00&x=1&q=%1B", "utm, q"),
]
# The search and finder pages' own forms say what they could not read, next to the field.
FORM_PARAMETERS = [
    ("/search/?q=%00", "Search text has characters we could not read."),
    ("/search/?near=60614%00", "Place has characters we could not read."),
    ("/browse/medication/?q=a%00b", "Search text has characters we could not read."),
    ("/meetings/?q=%00", "Search text has characters we could not read."),
    ("/browse/medication/?q=a%1Bb&page=x", "“x” is not a page number."),
]
PAGE_PATHS = ["/listings/x%00/", "/meetings/x%00/", "/fellowships/aa%00/", "/search%00/"]


@pytest.mark.parametrize(("url", "name"), API_PARAMETERS)
def test_a_control_character_in_an_api_parameter_answers_400_naming_it(client, url, name):
    response = client.get(url)
    assert response.status_code == 400
    [message] = response.json()["errors"][name]
    assert "cannot read" in message


@pytest.mark.parametrize("url", API_PATHS)
def test_a_control_character_in_an_api_path_names_nothing(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "nothing at this address" in response.json()["detail"]


@pytest.mark.parametrize(("url", "names"), PAGE_PARAMETERS)
def test_a_control_character_in_a_page_parameter_answers_400_in_words(client, url, names):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "We could not read that address" in body
    assert "“" + "”, “".join(names.split(", ")) + "”" in body
    without = (
        url.split("?")[0]
        + "?"
        + "&".join(
            pair for pair in url.split("?")[1].split("&") if "%0" not in pair and "%1" not in pair
        )
    )
    assert f'<a href="{without.removesuffix("?").replace("&", "&amp;")}">Go on without' in body


@pytest.mark.parametrize(("url", "message"), FORM_PARAMETERS)
def test_the_search_pages_say_next_to_the_field_what_they_could_not_read(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("url", PAGE_PATHS)
def test_a_control_character_in_a_page_path_is_no_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_an_address_too_long_to_read_answers_400_in_the_right_shape(client):
    too_many = "&".join(f"p{number}=1" for number in range(1100))
    page = client.get(f"/search/?{too_many}")
    assert page.status_code == 400
    assert "We could not read that address" in page.content.decode()
    api = client.get(f"/api/v1/listings/?{too_many}")
    assert api.status_code == 400
    assert api.json() == {"detail": "The request could not be read."}


@pytest.mark.parametrize("text", ["aa\nna", "aa\tna", "aa\r\nna"])
def test_line_breaks_and_tabs_in_pasted_text_are_not_refused(client, directory, text):
    assert client.get("/search/", {"q": text}).status_code == 200
    assert client.get("/api/v1/listings/", {"q": text}).status_code == 200


# Errors under /api/ and /hsds/ are JSON -----------------------------------------------


def test_options_on_the_api_docs_answers_what_it_allows(client):
    response = client.options("/api/docs/")
    assert response.status_code == 200
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/nothing-here/", 404),
        ("get", "/api/nothing-here", 404),
        ("get", "/api/v1/listings/no-such-listing/", 404),
        ("get", "/hsds/nothing-here", 404),
        ("get", "/hsds/services/not-an-id", 404),
        ("get", "/api/v1/listings/?page=x", 400),
        ("get", "/hsds/services?page=x", 400),
        ("post", "/api/v1/listings/", 405),
        ("delete", "/hsds/services", 405),
        ("post", "/api/meeting-guide.json", 405),
        ("post", "/api/docs/", 405),
        ("put", "/api/schema/", 405),
    ],
)
def test_errors_of_the_apis_are_json(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body.get("detail") or body.get("errors")
    if status == 405:
        assert "GET" in response["Allow"]


def test_a_server_error_of_the_api_is_json_and_of_a_page_is_the_page(directory):
    client = Client(raise_request_exception=False)
    with mock.patch("opendata.api.views.VocabularyListView.get", side_effect=RuntimeError):
        response = client.get("/api/v1/vocabularies/")
    assert response.status_code == 500
    assert "went wrong on our side" in response.json()["detail"]
    with mock.patch("directory.views.listings.home_counts", side_effect=RuntimeError):
        response = client.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in response.content.decode()


def test_an_unknown_page_is_still_the_sites_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


# No cache keeps a search ----------------------------------------------------------------

SEARCHES = [
    "/search/?q=detox",
    "/browse/medication/?near=60614",
    "/meetings/?q=aa",
    "/meetings/calendar.ics?day=any",
    "/api/v1/listings/?q=detox",
    "/api/v1/meetings/?near=60614",
    "/hsds/services?search=detox",
    "/hsds/service_at_locations?search=detox",
    "/hsds/organizations?search=detox",
    "/hsds/taxonomies?search=payment",
    "/hsds/taxonomy_terms?search=medicaid",
]


@pytest.mark.parametrize("url", SEARCHES)
def test_no_cache_keeps_a_search(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # A search that could not be used is not kept either.
    assert "no-store" in client.get(url + "&page=x")["Cache-Control"]


def test_pages_without_a_search_may_still_be_kept(client, directory):
    assert "no-store" not in client.get("/about/").get("Cache-Control", "")
    detail = client.get(f"/api/v1/listings/{directory[0].slug}/")
    assert "no-store" not in detail.get("Cache-Control", "")
    assert json.loads(detail.content)["slug"] == directory[0].slug
