"""The fuzz suite: nothing a visitor sends to a public address gives a server error.

Two parts, with a small directory present (the invented listings of test_search.py and a
few meetings). The corpus runs on PostgreSQL, where search text meets full-text search;
the Hypothesis part on both databases.

1. The corpus, ``tests/data/real_queries.txt``: what people really type into a search box
   (common words, "near me", whole addresses, Spanish, emoji, punctuation, quotes, text
   that looks like SQL or HTML, invisible and broken characters). Each line is sent as ``q``
   to /search/, to a browse page, to the meeting finder (and as its ``near``), and to the
   API's and HSDS's searches. Each answer must be no server error and a sensible page: the
   page with its results region, or a 400 that says what was wrong; JSON that reads.
2. Hypothesis draws requests to every public URL pattern, found by walking the URLconf (a
   new page is fuzzed as soon as it exists): made-up path values or real ones, and query
   strings of the parameters the views read (the FilterSets' and forms' own names, plus
   ``page``, ``sort``, ``near``, ``lat``…), repeated or not, with values of any kind: valid
   choices, corpus lines, text in any script, bytes that are not UTF-8, NUL, huge numbers.

Bounded, to add about a minute to a PostgreSQL run: the corpus is a few hundred requests
(each line goes to one browse page in turn; the lines most likely to break a search go to
all of them), and Hypothesis makes ``FUZZ_EXAMPLES`` requests (default 20) per URL pattern.
Runs are derandomized, so a failure is the same on every run and names the request that
failed; ``FUZZ_SEED=<n>`` makes another run, the same again for the same n, and
``FUZZ_EXAMPLES=<n>`` a longer one. The seed in use is printed at the start.
"""

import json
import os
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from directory.categories import CATEGORIES
from directory.listing_filters import ListingFilter
from directory.meeting_filters import MeetingFilter
from exchange.hsds import builders, ids
from groups.fellowships import FELLOWSHIPS
from groups.models import Attendance, Fellowship, Meeting
from opendata.hsds import params
from resources.vocabularies import Vocabulary
from tests import factories
from tests.helpers import build_directory

pytestmark = pytest.mark.django_db

CORPUS_FILE = Path(__file__).parent / "data" / "real_queries.txt"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SEED = os.environ.get("FUZZ_SEED")


def read_corpus():
    """Each query of the corpus, percent-encoded as it goes after ``q=``."""
    queries = []
    for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            continue
        if line.startswith("raw:"):
            queries.append(line.removeprefix("raw:"))
        else:
            queries.append(quote_plus(line))
    return queries


CORPUS = read_corpus()
# A very long text, past every length limit, and one of a single repeated word.
CORPUS += [quote_plus("suboxone clinic " * 700), quote_plus("a" * 10_000)]
# The lines most likely to break a search: sent to every browse page, not just one.
TROUBLE = [
    quote_plus(text)
    for text in ["where", "in", "the", "for me", "what is this", "it's", '"the"', "-the"]
    + ["near me", "?", "-", "*", "😀", "৴", '"unclosed', "or or or", "' OR 1=1 --"]
] + ["%00", "%ED%A0%80", "%FF", "a%E2%80%8Db"]


@pytest.fixture(scope="session", autouse=True)
def say_the_seed(request):
    line = (
        f"fuzz: FUZZ_SEED={SEED}" if SEED else "fuzz: derandomized (FUZZ_SEED=<n> for another run)"
    )
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(f"\n{line}, FUZZ_EXAMPLES={EXAMPLES}")
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}, FUZZ_EXAMPLES={EXAMPLES}")


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The invented directory and a few meetings, built once for the module in a
    transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        listings = build_directory()
        groups = [listing for listing in listings.values() if listing.kind == "support_group"]
        factories.make_meeting(group=groups[0], place=factories.make_place(), types=["O", "D"])
        factories.make_meeting(
            group=groups[1],
            weekday=5,
            start_time=time(7, 30),
            attendance=Attendance.HYBRID,
            conference_url="https://example.org/meet",
            types=["O"],
        )
        factories.make_meeting(
            group=groups[4],
            weekday=0,
            attendance=Attendance.ONLINE,
            conference_url="https://example.org/meet",
        )
        yield listings
        transaction.set_rollback(True)


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def fetch(client, url, method="GET", **headers):
    """One request, as a visitor makes it; what it did to the database is undone."""
    # The API's throttle and the submission limit count in the cache: every request here
    # comes from one address.
    cache.clear()
    savepoint = transaction.savepoint_create()
    try:
        return client.generic(method, url, headers=headers)
    finally:
        transaction.savepoint_rollback(savepoint)


def problem(response, url, method="GET", strict=None, htmx=False):
    """What is wrong with the answer to ``url``, or None.

    ``strict``: "page" or "json", for the answer the corpus expects of a search. A site
    page (not htmx's part of one, nor the API's documentation) must be the whole page.
    """
    status = response.status_code
    where = f"{method} {url} answered {status}"
    if status >= 500:
        error = getattr(response, "exc_info", None)
        return f"{where}: {error[1]!r}" if error else where
    content_type = response.get("Content-Type", "")
    body = response.content
    if method == "HEAD" or not body:
        return None
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            return f"{where} with JSON that does not read"
        if strict == "json" and status == 200 and not {"results", "contents"} & set(data):
            return f"{where} without results"
        if strict == "json" and status >= 400 and not {"errors", "detail"} & set(data):
            return f"{where} without a message"
        return None
    if content_type.startswith("text/html") and status in (200, 400, 404):
        if b"<main" not in body and not htmx and not url.startswith("/api/"):
            return f"{where} without the page"
        if strict == "page" and status == 200 and b'id="results"' not in body:
            return f"{where} without its results"
        if strict == "page" and status == 400:
            told = b'class="error-summary"' in body or b"We could not read that address" in body
            if not told:
                return f"{where} without saying what was wrong"
    return None


# 1. The corpus ---------------------------------------------------------------------------


def corpus_requests():
    """(url, what the answer must be) for the queries of the corpus.

    Every query goes to the search page, the API's listing search and the finder; to one
    browse page and one more search (a place, the meetings API, HSDS), in turn. The lines
    most likely to break a search go to every browse page and every search.
    """
    browse = [f"/browse/{category.slug}/" for category in CATEGORIES]
    others = [
        ("/meetings/?near={}&day=any", "page"),
        ("/api/v1/listings/?near={}&page_size=1", "json"),
        ("/api/v1/meetings/?q={}&day=any&page_size=5", "json"),
        ("/hsds/services?search={}&per_page=5", "json"),
        ("/hsds/service_at_locations?search={}&per_page=5", "json"),
    ]
    for number, query in enumerate(CORPUS):
        yield f"/search/?q={query}", "page"
        yield f"/api/v1/listings/?q={query}&page_size=5", "json"
        # The finder: today's meetings, or any day's (the query is read the same way).
        yield f"/meetings/?q={query}{'' if number % 2 else '&day=any'}", "page"
        yield f"{browse[number % len(browse)]}?q={query}&sort=relevance", "page"
        url, expected = others[number % len(others)]
        yield url.format(query), expected
    for query in TROUBLE:
        for url in browse:
            yield f"{url}?q={query}&sort=relevance", "page"
        for url, expected in others:
            yield url.format(query), expected
        # The Meeting Guide feed answers its own JSON: a list, or {"error": …}.
        yield f"/api/meeting-guide.json?region={query}", None
        yield f"/api/meeting-guide.json?fellowship={query}", None


def test_the_corpus_has_what_people_really_type():
    assert len(CORPUS) >= 200
    for text in ["near me", "aa meeting tonight", "rehab that takes medicaid", "buprenorfina"]:
        assert quote_plus(text) in CORPUS
    # Whole requests the one box understands: a place, meetings, a question.
    for text in ["detox in chicago", "na meetings near me", "reunión de aa hoy", "what is mat"]:
        assert quote_plus(text) in CORPUS


@pytest.mark.postgresql
def test_what_people_really_type_never_breaks_a_page(directory, visitor):
    failures = []
    for url, expected in corpus_requests():
        response = fetch(visitor, url)
        if (found := problem(response, url, strict=expected)) is not None:
            failures.append(found)
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:40])


# 2. Every public address, with Hypothesis ------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name"
    regex: str  # the whole path's regular expression, as the URLconf matches it
    keywords: tuple  # the names of its path values

    def __str__(self):
        return self.name


def _admin_prefix():
    return getattr(django_settings, "ADMIN_URL", "admin/")


def public_endpoints(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the site but the curators' (the admin and its sign-in)."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        regex = prefix + _bare(entry.pattern.regex.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or str(entry.pattern).startswith(_admin_prefix()):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += public_endpoints(entry.url_patterns, regex, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            keywords = tuple(re.findall(r"\(\?P<(\w+)>", regex))
            found.append(Endpoint(f"{namespace}{entry.name}", regex, keywords))
    return found


def _bare(regex):
    return regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


ENDPOINTS = public_endpoints()

# Parameter names: those each view reads, and those anyone might try anywhere.
LISTING_PARAMETERS = list(ListingFilter.base_filters)
MEETING_PARAMETERS = list(MeetingFilter.base_filters)
API_PAGES = ["page", "page_size"]
PARAMETERS = {
    "directory:search": [*LISTING_PARAMETERS, "page"],
    "directory:browse": [*LISTING_PARAMETERS, "page"],
    "api:listing-list": [*LISTING_PARAMETERS, *API_PAGES],
    "directory:meeting_finder": [*MEETING_PARAMETERS, "page"],
    "directory:meeting_calendar": MEETING_PARAMETERS,
    "api:meeting-list": [*MEETING_PARAMETERS, *API_PAGES],
    "api:fellowship-list": API_PAGES,
    "hsds:service-list": list(params.ServiceParameters.base_fields),
    "hsds:service-at-location-list": list(params.ServiceParameters.base_fields),
    "hsds:organization-list": list(params.PageParameters.base_fields),
    "hsds:taxonomy-list": list(params.PageParameters.base_fields),
    "hsds:taxonomy-term-list": list(params.TaxonomyTermParameters.base_fields),
    "exchange:meeting_guide_feed": ["fellowship", "region"],
    "sitemap_section": ["p"],
}
ANYWHERE = [
    "q",
    "near",
    "radius",
    "page",
    "page_size",
    "per_page",
    "sort",
    "day",
    "time",
    "lat",
    "lng",
    "search",
    "format",
    "kind",
    "callback",
]


def _choices():
    """Valid values of each parameter that has a list of them."""
    values = {}
    for filterset in (ListingFilter, MeetingFilter):
        for name, filter_ in filterset.base_filters.items():
            if "choices" in filter_.extra:
                values.setdefault(name, []).extend(str(v) for v, _l in filter_.extra["choices"])
    values["near"] = ["60614", "Chicago, IL", "41.9248,-87.6414", "Springfeld, IL", "99999"]
    for name in ("new_clients", "beds", "open_now", "open_24_7", "remote", "now"):
        values[name] = ["1", "on", "0", "yes"]
    values["fellowship"] += [fellowship["short_name"] for fellowship in FELLOWSHIPS]
    values["taxonomy_id"] = [ids.taxonomy_id(vocabulary) for vocabulary in Vocabulary]
    values["taxonomy_term_id"] = [
        ids.taxonomy_term_id(Vocabulary.PAYMENT, "medicaid"),
        ids.taxonomy_term_id(Vocabulary.MEDICATION, "buprenorphine"),
    ]
    values["modified_after"] = ["2020-01-01", "2020-01-01T00:00:00Z", "9999-12-31"]
    return {name: [quote_plus(value) for value in found] for name, found in values.items()}


CHOICES = _choices()


def _encoded(text):
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# Text of any script and sign, but no control character: those (and bytes that are not
# UTF-8) come from ``st.binary``, less often, since the first of them answers 400 at once.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))


def values(name):
    """Values for the parameter ``name``, percent-encoded for a query string."""
    made_up = [
        st.text(PRINTABLE, max_size=30).map(_encoded),
        st.text(alphabet="0123456789-.,eE+ ", max_size=12).map(quote_plus),
        st.integers().map(str),
        st.integers(min_value=10**18, max_value=10**400).map(str),
        st.floats().map(repr),
        st.binary(max_size=12).map(lambda data: quote(data, safe="")),
        st.integers(min_value=201, max_value=20_000).map(lambda n: "x" * n),
        st.sampled_from(CORPUS),
        st.just(""),
    ]
    if name in CHOICES:
        return st.one_of(st.sampled_from(CHOICES[name]), st.one_of(*made_up))
    return st.one_of(*made_up)


def query_strings(endpoint):
    names = PARAMETERS.get(endpoint.name, []) + ANYWHERE
    pair = st.one_of(
        st.sampled_from(names).flatmap(lambda name: values(name).map(lambda v: (name, v))),
        st.tuples(st.text(PRINTABLE, max_size=10).map(_encoded), values("")),
    )
    return st.lists(pair, max_size=6).map(lambda pairs: "&".join(f"{n}={v}" for n, v in pairs))


def real_path_values(directory):
    """Values that exist, by path keyword, so detail pages are fuzzed past their 404."""
    listings = list(directory.values())
    meetings = list(Meeting.objects.order_by("pk"))
    located = [listing for listing in listings if listing.offers_in_person and listing.latitude]
    taxonomy_terms = builders.taxonomy_terms()[:3]
    return {
        "slug": [listing.slug for listing in listings[::4]]
        + [meeting.slug for meeting in meetings]
        + list(Fellowship.objects.values_list("slug", flat=True)[:3]),
        "category": [category.slug for category in CATEGORIES],
        "id": [ids.service_id(listing.pk) for listing in listings[::5]]
        + [ids.service_at_location_id(listing.pk) for listing in located[:2]]
        + [ids.listing_organization_id(listings[0].pk)]
        + [ids.taxonomy_id(Vocabulary.PAYMENT)]
        + [row["id"] for row in taxonomy_terms],
        "reference": ["RS-ABCDEF"],
    }


def paths(endpoint, real):
    """Paths of ``endpoint``: with real path values, or made up to match its pattern."""
    regex = f"^{endpoint.regex}\\Z"
    made_up = st.one_of(
        st.from_regex(regex, fullmatch=True, alphabet=PRINTABLE),
        st.from_regex(regex, fullmatch=True),
    ).map(lambda path: "/" + quote(path.encode("utf-8", "surrogatepass"), safe="/"))
    if not endpoint.keywords:
        return made_up
    known = []
    for value in (value for keyword in endpoint.keywords for value in real.get(keyword, [])):
        try:
            known.append(reverse(endpoint.name, kwargs=dict.fromkeys(endpoint.keywords, value)))
        except NoReverseMatch:
            continue
    return st.one_of(st.sampled_from(known), made_up) if known else made_up


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=SEED is None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_every_public_address_is_fuzzed():
    names = {endpoint.name for endpoint in ENDPOINTS}
    assert {"directory:search", "directory:browse", "directory:meeting_finder"} <= names
    assert {"api:listing-list", "hsds:service-list", "exchange:meeting_guide_feed"} <= names
    assert not any(name.startswith("admin") for name in names)
    # Every view that reads parameters of its own has its names listed here.
    assert set(PARAMETERS) <= names


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_public_address_gives_a_server_error(endpoint, directory, visitor):
    real = real_path_values(directory)
    requests = st.tuples(
        paths(endpoint, real),
        query_strings(endpoint),
        st.sampled_from(["GET", "GET", "GET", "GET", "HEAD", "OPTIONS"]),
        st.booleans(),
    )

    @FUZZ
    @given(request=requests)
    def no_server_error(request):
        path, query, method, htmx = request
        url = f"{path}?{query}" if query else path
        headers = {"HX-Request": "true"} if htmx else {}
        response = fetch(visitor, url, method, **headers)
        assert problem(response, url, method, htmx=htmx) is None

    if SEED is not None:
        no_server_error = seed(int(SEED))(no_server_error)
    no_server_error()
