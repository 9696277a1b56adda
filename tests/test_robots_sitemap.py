"""/robots.txt and the sitemap: what search engines may crawl, and every public page.

The sitemap lists published listings, active meetings of published groups, fellowships,
the browse pages and the fixed pages, and nothing a visitor searched for; it is an index of
sections, each split into pages, each page read with a bounded number of queries.
"""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import override_settings
from django.utils import timezone

from directory import sitemaps
from directory.categories import CATEGORIES
from directory.sitemaps import ModelSitemap
from groups.models import Fellowship, Meeting, MeetingStatus
from recovery_site.urls import SITEMAPS as SECTIONS
from resources.models import Listing, ListingStatus
from tests import factories

pytestmark = pytest.mark.django_db

NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tree = ElementTree.fromstring(response.content)
    return [element.text for element in tree.findall(".//sm:loc", NAMESPACE)]


def paths(response):
    return [re.sub(r"^https?://[^/]+", "", location) for location in locations(response)]


# robots.txt --------------------------------------------------------------------------------


def test_robots_allows_the_public_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    for address in ["/search/?", "/browse/*?", "/meetings/?"]:
        assert f"Disallow: {address}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # The pages themselves are not disallowed, nor is anything public.
    disallowed = [line.split(": ", 1)[1] for line in lines if line.startswith("Disallow")]
    for public in ["/", "/search/", "/meetings/", "/listings/", "/fellowships/", "/browse/"]:
        assert public not in disallowed


@override_settings(ADMIN_URL="back-office/")
def test_robots_names_the_admin_where_the_setting_puts_it(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /back-office/" in lines and "Disallow: /admin/" not in lines


def test_robots_names_the_sitemap_at_the_sites_own_address(client):
    response = client.get("/robots.txt", secure=True, headers={"Host": "localhost"})
    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode()


# The sitemap ------------------------------------------------------------------------------


@pytest.fixture
def site():
    published = factories.make_treatment_program(name="Published Detox")
    draft = factories.make_clinician(name="Draft Clinician", status=ListingStatus.DRAFT)
    group = factories.make_support_group(name="Tuesday Group")
    active = factories.make_meeting(group=group, name="Active Meeting")
    closed = factories.make_meeting(group=group, name="Closed Meeting")
    Meeting.objects.filter(pk=closed.pk).update(status=MeetingStatus.TEMPORARILY_CLOSED)
    hidden_group = factories.make_support_group(name="Draft Group", status=ListingStatus.DRAFT)
    hidden = factories.make_meeting(group=hidden_group, name="Meeting Of A Draft Group")
    return {
        "published": published,
        "draft": draft,
        "group": group,
        "active": active,
        "closed": closed,
        "hidden": hidden,
    }


def test_the_sitemap_is_an_index_of_its_sections(client, site):
    found = paths(client.get("/sitemap.xml"))
    for section in ["pages", "listings", "meetings", "fellowships"]:
        assert f"/sitemap-{section}.xml" in found


def test_the_sitemap_lists_published_listings_and_active_meetings_only(client, site):
    listings = paths(client.get("/sitemap-listings.xml"))
    assert site["published"].get_absolute_url() in listings
    assert site["group"].get_absolute_url() in listings
    assert site["draft"].get_absolute_url() not in listings
    assert len(listings) == Listing.objects.published().count()
    meetings = paths(client.get("/sitemap-meetings.xml"))
    assert meetings == [site["active"].get_absolute_url()]


def test_the_sitemap_lists_fellowships_browse_and_fixed_pages(client, site):
    fellowships = paths(client.get("/sitemap-fellowships.xml"))
    assert len(fellowships) == Fellowship.objects.count() > 0
    assert "/fellowships/alcoholics-anonymous/" in fellowships
    pages = paths(client.get("/sitemap-pages.xml"))
    assert pages[:5] == ["/", "/meetings/", "/fellowships/", "/about/", "/privacy/"]
    assert pages[5:] == [f"/browse/{category.slug}/" for category in CATEGORIES]
    for page in pages + fellowships:
        assert client.get(page).status_code == 200, page


def test_each_address_carries_its_last_change(client, site):
    later = timezone.now() + timedelta(days=3)
    Listing.objects.filter(pk=site["published"].pk).update(updated_at=later)
    response = client.get("/sitemap-listings.xml")
    assert f"<lastmod>{later.date().isoformat()}</lastmod>" in response.content.decode()
    index = client.get("/sitemap.xml").content.decode()
    assert f"<lastmod>{later.date().isoformat()}" in index


def test_a_large_section_is_split_into_pages_the_index_names(client, site, monkeypatch):
    monkeypatch.setattr(sitemaps.ListingSitemap, "limit", 1)
    count = Listing.objects.published().count()
    index = paths(client.get("/sitemap.xml"))
    listing_pages = [path for path in index if path.startswith("/sitemap-listings.xml")]
    assert listing_pages == ["/sitemap-listings.xml"] + [
        f"/sitemap-listings.xml?p={page}" for page in range(2, count + 1)
    ]
    seen = [paths(client.get(page))[0] for page in listing_pages]
    assert len(set(seen)) == count
    assert client.get(f"/sitemap-listings.xml?p={count + 1}").status_code == 404
    assert client.get("/sitemap-listings.xml?p=x").status_code == 404


def test_the_page_size_keeps_within_the_protocol():
    assert sitemaps.PAGE_SIZE <= 50_000
    for section in SECTIONS.values():
        assert section.limit <= 50_000


def test_an_unknown_section_is_no_page(client):
    response = client.get("/sitemap-nothing.xml")
    assert response.status_code == 404


def test_the_sitemap_reads_a_bounded_number_of_queries(client, site, django_assert_num_queries):
    for number in range(5):
        factories.make_meeting(group=site["group"], name=f"More {number}")
    # Per section of rows (listings, meetings, fellowships and any app's own): its count,
    # for the pages, and its latest change.
    sections = [section for section in SECTIONS.values() if issubclass(section, ModelSitemap)]
    with django_assert_num_queries(2 * len(sections)):
        client.get("/sitemap.xml")
    # The count, then the page of rows.
    with django_assert_num_queries(2):
        assert len(paths(client.get("/sitemap-meetings.xml"))) == 6
    with django_assert_num_queries(0):
        client.get("/sitemap-pages.xml")
