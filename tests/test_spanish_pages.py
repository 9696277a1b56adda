"""The public site in Spanish (issue 17): every page type at /es/…, with no English left.

What is checked on each page:
- ``<html lang="es">``, the link to the same page in English (``hreflang`` and ``lang``) and
  the ``<link rel="alternate" hreflang>`` links for search engines;
- no cookie for an anonymous visitor (the language comes from the address alone);
- no English left: the page's visible text, less <script> and <style>, less any element
  marked ``lang="en"`` (what curators wrote, shown as written), less the proper names and
  addresses the test data gave (names are not translated), holds none of a list of common
  English words. The words found are printed.

English stays at today's addresses: a sample of them still answers in English.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from groups.models import Attendance, Fellowship
from guides.models import Guide
from moderation.models import new_reference
from opendata.api.errors import permission_denied
from recovery_site.outages import unavailable
from resources.models import NewClientsLink
from resources.vocabularies import Vocabulary
from tests import factories

pytestmark = pytest.mark.django_db

# Common English words a Spanish page must not show (none of them is a Spanish word).
ENGLISH_WORDS = """
    the and with your you near meeting meetings search help open closed free call find
    more about results result miles mile for this that what where when who how page
    listing listings today tomorrow show here not our are from any all online phone
    website email directions hours report suggest guide guides save week day days yes
    back next previous filters sort by of to in on or is it we be has have can will
    only now time times clients new beds cost payment language languages type kind
    support people family treatment program programs group groups recovery directory
    privacy share print remove clear add my location checked last before problem
    wrong thanks thank confirm worked did send am pm monday sunday skip main
"""
# Names of things and programs, which stay as they are in any language.
PROPER_NAMES = [
    "SMART Recovery",
    "Meeting Guide",
    "Apple Maps",
    "Al-Anon",
    "Nar-Anon",
    "Alateen",
]
# Attributes whose text is read or shown to the visitor.
READ_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
}


class VisibleText(HTMLParser):
    """The text a visitor sees or hears, less <script>, <style> and elements in English."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.open = []  # (tag, skipped) for each element not yet closed
        self.html_lang = None

    @property
    def skipping(self):
        return any(skipped for _tag, skipped in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
            return
        skipped = tag in ("script", "style") or attrs.get("lang", "es") != "es"
        if not (self.skipping or skipped):
            self.parts += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and "value" in attrs:
                self.parts.append(attrs["value"])
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open.pop()

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML lets some end tags be left out).
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return parser, " ".join(parser.parts)


def english_left(html, data_names):
    """The common English words the visible text still holds, with their context, less the
    names the data gave (``data_names``) and PROPER_NAMES."""
    _parser, text = visible_text(html)
    for name in sorted([*data_names, *PROPER_NAMES], key=len, reverse=True):
        text = text.replace(name, " ")
    found = []
    for match in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text):
        if match.group().lower() in ENGLISH_WORDS.split():
            context = re.sub(r"\s+", " ", text[max(0, match.start() - 40) : match.end() + 40])
            found.append(f"{match.group()!r} in “…{context.strip()}…”")
    return found


@pytest.fixture
def site():
    """One of everything a public page shows. Summaries and descriptions are written in
    plain English on purpose: a Spanish page must mark them lang="en"."""
    V = Vocabulary
    organization = factories.make_organization(name="Lakeside Health Network")
    clinician = factories.make_clinician(
        name="Dr. Rosa Vega",
        summary="Counseling for adults and their families, with evening hours.",
        description="Sessions in person or by video. Call to book your first visit.",
        cost_notes="Sliding scale for those who need it.",
        hours_notes="Closed on public holidays.",
        organization=organization,
        terms={
            V.MEDICATION: ["buprenorphine"],
            V.PAYMENT: ["medicaid"],
            V.LANGUAGE: ["es"],
        },
    )
    factories.make_opening_hours(clinician)
    program = factories.make_treatment_program(
        name="Northside Recovery Center",
        summary="Detox and outpatient care with medication for opioid use.",
        is_opioid_treatment_program=True,
        new_clients_confirmed_on=factories.days_ago(3),
    )
    home = factories.make_sober_living_home(
        name="Maple House",
        summary="A quiet home for men in early recovery.",
        beds_total=8,
        beds_available=2,
        beds_updated_on=factories.days_ago(2),
    )
    helpline = factories.make_helpline(
        name="Illinois Helpline for Opioids and Other Substances",
        summary="Free and confidential help by phone and text, all day and night.",
    )
    resource = factories.make_community_resource(
        name="Hope Works Recovery Hub",
        summary="Job training and peer support for people in recovery.",
    )
    group = factories.make_support_group(
        name="Lincoln Park Serenity Group",
        summary="A friendly group that meets every week.",
    )
    place = factories.make_place(name="Saint Luke Church Hall")
    meeting = factories.make_meeting(
        group=group,
        place=place,
        name="Tuesday Night Big Book",
        attendance=Attendance.HYBRID,
        conference_url="https://meet.example.org/j/1",
        types=["O", "BB"],
    )
    names = [
        *(listing.name for listing in (clinician, program, home, helpline, resource, group)),
        organization.name,
        place.name,
        meeting.name,
        *factories.CHICAGO.values(),
        *(str(value) for value in factories.CHICAGO.values()),
        *Fellowship.objects.values_list("name", flat=True),
        *Fellowship.objects.values_list("short_name", flat=True),
    ]
    return {
        "clinician": clinician,
        "program": program,
        "home": home,
        "helpline": helpline,
        "resource": resource,
        "group": group,
        "meeting": meeting,
        "names": [str(name) for name in names if name],
    }


def spanish(url):
    """The Spanish address of an English one: /es/ before the path."""
    return "/es" + url


# The page types, each a function of the test data giving the English address.
PAGES = {
    "home": lambda site: reverse("directory:home"),
    "search with results": lambda site: reverse("directory:search") + "?near=60614",
    "search without results": lambda site: reverse("directory:search") + "?q=zzyzx+qwv",
    # Filters in use (chips), a value that cannot be used (the problem summary), and the
    # notes: "near me" without a place, a question a guide answers.
    "search with filters and a problem": lambda site: (
        reverse("directory:search")
        + "?q=counseling&near=60614&kind=clinician&kind=nothing&radius=7&open_now=1"
    ),
    "search near me": lambda site: reverse("directory:search") + "?q=detox+near+me",
    "search, a page past the end": lambda site: reverse("directory:search") + "?page=9",
    "search with a question": lambda site: reverse("directory:search") + "?q=what+is+suboxone",
    "browse a category": lambda site: reverse("directory:browse", args=["treatment-programs"]),
    "clinician": lambda site: site["clinician"].get_absolute_url(),
    "treatment program": lambda site: site["program"].get_absolute_url(),
    "sober living home": lambda site: site["home"].get_absolute_url(),
    "helpline": lambda site: site["helpline"].get_absolute_url(),
    "community resource": lambda site: site["resource"].get_absolute_url(),
    "support group": lambda site: site["group"].get_absolute_url(),
    "meeting finder": lambda site: reverse("directory:meeting_finder"),
    "meeting": lambda site: site["meeting"].get_absolute_url(),
    "fellowships": lambda site: reverse("directory:fellowship_list"),
    "fellowship": lambda site: reverse(
        "directory:fellowship_detail", args=[Fellowship.objects.order_by("pk").first().slug]
    ),
    "about": lambda site: reverse("directory:about"),
    "privacy": lambda site: reverse("directory:privacy"),
    "suggest": lambda site: reverse("moderation:suggest"),
    "report": lambda site: reverse("moderation:report_listing", args=[site["clinician"].slug]),
    "thanks": lambda site: reverse("moderation:thanks", args=[new_reference()]),
    "confirm": lambda site: reverse("moderation:confirm_listing", args=[site["clinician"].slug]),
    "new clients": lambda site: reverse(
        "moderation:new_clients",
        args=[NewClientsLink.objects.create(listing=site["program"]).token],
    ),
    "guides": lambda site: reverse("guides:index"),
    "a guide": lambda site: Guide.objects.published().order_by("pk").first().get_absolute_url(),
    "plan": lambda site: reverse("guides:plan"),
    "404": lambda site: "/no-such-page/",
}
# Pages that answer with an error status, and still in Spanish.
STATUS = {"404": 404, "search with filters and a problem": 400, "search, a page past the end": 404}


@pytest.mark.parametrize("name", PAGES)
def test_no_english_is_left_on_a_spanish_page(client, site, name):
    url = spanish(PAGES[name](site))
    response = client.get(url)
    assert response.status_code == STATUS.get(name, 200), url
    # What the visitor typed is repeated back as typed ("1 resultado para “what is…”").
    typed = parse_qs(urlsplit(url).query).get("q", [])
    found = english_left(response.content.decode(), [*site["names"], *typed])
    print(f"{url}: {len(found)} English word(s)", *found, sep="\n  ")
    assert not found, f"{url} still shows English: " + "; ".join(found[:15])


def test_no_english_is_left_on_the_403_500_and_503_pages(rf_es, site):
    with translation.override("es"):
        forbidden = permission_denied(rf_es, PermissionDenied())
        server_error = render_to_string("500.html")
        outage = unavailable(rf_es).content.decode()
    assert forbidden.status_code == 403
    assert "Esta página no está abierta al público" in forbidden.content.decode()
    for html in (forbidden.content.decode(), server_error, outage):
        assert visible_text(html)[0].html_lang == "es"
        found = english_left(html, [])
        print(*found, sep="\n  ")
        assert not found, found


def test_no_english_is_left_on_the_429_page(client, site, settings):
    settings.SUBMISSIONS_PER_HOUR = 0
    response = client.get(spanish(reverse("moderation:suggest")))
    assert response.status_code == 429
    found = english_left(response.content.decode(), site["names"])
    print(*found, sep="\n  ")
    assert not found, found


@pytest.fixture
def rf_es():
    return RequestFactory().get("/es/")


# The language link, <html lang>, hreflang and cookies -------------------------------------


@pytest.mark.parametrize(
    "name", [name for name in PAGES if name != "404" and "new clients" not in name]
)
def test_each_spanish_page_links_to_itself_in_english(client, site, name):
    english = PAGES[name](site)
    response = client.get(spanish(english))
    html = response.content.decode()
    assert '<html lang="es">' in html
    link = re.search(r'<a href="([^"]*)" hreflang="en" lang="en">English</a>', html)
    assert link, "no link to the English page"
    assert unescape(link[1]) == english
    for code, href in (("en", english), ("es", spanish(english)), ("x-default", english)):
        alternate = (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver{escape(href)}">'
        )
        assert alternate in html
    # The English page links back to the Spanish one.
    english_html = client.get(english).content.decode()
    assert '<html lang="en">' in english_html
    link = f'<a href="{escape(spanish(english))}" hreflang="es" lang="es">Español</a>'
    assert link in english_html


def test_the_404_page_offers_the_start_page_in_the_other_language(client):
    html = client.get("/es/no-such-page/").content.decode()
    assert '<a href="/" hreflang="en" lang="en">English</a>' in html
    # An address that names no page has no version in another language to announce.
    assert 'rel="alternate" hreflang' not in html
    html = client.get("/no-such-page/").content.decode()
    assert '<a href="/es/" hreflang="es" lang="es">Español</a>' in html


def test_the_500_and_503_pages_link_to_the_other_languages_start_page(rf_es):
    with translation.override("es"):
        html = render_to_string("500.html") + unavailable(rf_es).content.decode()
    assert html.count('<a href="/" hreflang="en" lang="en">English</a>') == 2
    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<html lang="en">' in html
    assert '<a href="/es/" hreflang="es" lang="es">Español</a>' in html


def test_a_search_keeps_its_words_in_the_other_language(client, site):
    html = client.get("/es/search/?q=detox&near=60614").content.decode()
    assert 'href="/search/?q=detox&amp;near=60614" hreflang="en"' in html
    # A search htmx sends changes the address without a new page: the link follows it.
    html = client.get("/es/search/?q=detox&near=60640", HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<li class="language-link" id="language-en" hx-swap-oob="true">'
        '<a href="/search/?q=detox&amp;near=60640" hreflang="en" lang="en">English</a></li>'
    ) in html
    html = client.get("/es/meetings/?day=any&near=60614", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="language-en" hx-swap-oob="true"><a href="/meetings/?day=any&amp;near=60614"' in html


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "search with results",
        "browse a category",
        "clinician",
        "about",
        "privacy",
        "404",
    ],
)
def test_spanish_pages_set_no_cookie(client, site, name):
    response = client.get(spanish(PAGES[name](site)))
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_a_browsers_language_never_chooses_the_page_language(client):
    """The address alone says the language: a Spanish-speaking browser gets English at an
    English address and a cookie from elsewhere changes nothing."""
    client.cookies["django_language"] = "es"
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"
    response = client.get("/es/about/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in response.content.decode()
    assert response["Content-Language"] == "es"


def test_the_kept_page_cache_keeps_each_language_apart(client, site):
    """/about/ and /es/about/ are both kept for every visitor: each stays in its language."""
    for _ in range(2):
        assert "Acerca de este directorio" in client.get("/es/about/").content.decode()
        assert "About this directory" in client.get("/about/").content.decode()


def test_english_addresses_are_unchanged(client, site):
    for url in [
        "/",
        "/search/?q=detox",
        "/browse/treatment-programs/",
        site["clinician"].get_absolute_url(),
        site["meeting"].get_absolute_url(),
        "/meetings/",
        "/fellowships/",
        "/about/",
        "/privacy/",
        "/suggest/",
        "/guides/",
        "/plan/",
        "/api/v1/listings/",
        "/api/meeting-guide.json",
        "/robots.txt",
        "/sitemap.xml",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            assert '<html lang="en">' in response.content.decode(), url


def test_only_the_public_pages_have_a_spanish_address(client):
    for url in ["/es/api/v1/listings/", "/es/api/meeting-guide.json", "/es/robots.txt"]:
        assert client.get(url).status_code == 404, url


def test_the_sitemap_lists_the_spanish_pages_too(client, site):
    english = site["clinician"].get_absolute_url()
    index = client.get("/sitemap.xml").content.decode()
    for section in ["pages-es", "listings-es", "meetings-es", "fellowships-es"]:
        assert f"/sitemap-{section}.xml</loc>" in index, section
    listings = client.get("/sitemap-listings-es.xml").content.decode()
    assert f"<loc>http://testserver/es{english}</loc>" in listings
    assert f"<loc>http://testserver{english}</loc>" not in listings
    pages = client.get("/sitemap-pages-es.xml").content.decode()
    assert "<loc>http://testserver/es/</loc>" in pages
    assert "<loc>http://testserver/es/browse/treatment-programs/</loc>" in pages
    # The English sections are as they were.
    assert (
        f"<loc>http://testserver{english}</loc>"
        in client.get("/sitemap-listings.xml").content.decode()
    )


def test_robots_asks_crawlers_to_leave_spanish_searches_too(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /es/search/?" in lines
    assert "Disallow: /es/meetings/?" in lines


# Dates, times and distances ---------------------------------------------------------------


def test_spanish_pages_write_dates_times_and_distances_in_spanish(client, site):
    url = site["clinician"].get_absolute_url()
    html = client.get(spanish(url)).content.decode()
    checked = site["clinician"].last_verified_on
    months = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
    month = [*months.split(), "diciembre"][checked.month - 1]
    assert f"{checked.day} de {month} de {checked.year}" in html
    assert "9:00 a.m. a 5:00 p.m." in html
    results = client.get("/es/search/?near=60640").content.decode()
    # About 3 miles: a decimal point, as US Spanish writes it (CLDR es-US).
    assert re.search(r"A \d\.\d millas", results)


def test_a_spanish_page_marks_what_curators_wrote_as_english(client, site):
    url = site["clinician"].get_absolute_url()
    html = client.get(spanish(url)).content.decode()
    assert '<p class="lead" lang="en">Counseling for adults' in html
    english = client.get(url).content.decode()
    assert '<p class="lead">Counseling for adults' in english
