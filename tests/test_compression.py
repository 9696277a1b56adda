"""Compressed answers where no secret can leak (recovery_site/compression.py, BREACH).

An anonymous visitor's pages come back gzipped to a browser that accepts it; the admin,
a page with a CSRF token and any request carrying a cookie do not. The kept-page cache
holds the page uncompressed and serves it compressed or not, as each request asks.
"""

import gzip

import pytest
from django.core.cache import cache

from recovery_site.compression import carries_no_secret
from resources.public_cache import generation
from tests import factories

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def is_gzipped(response):
    return response.get("Content-Encoding") == "gzip"


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_a_search_page_comes_back_gzipped(client):
    factories.make_treatment_program(name="Lakeview Detox", summary="Detox.")
    response = client.get("/search/", {"q": "detox"}, headers=GZIP)
    assert response.status_code == 200
    assert is_gzipped(response)
    assert "accept-encoding" in vary(response)
    page = gzip.decompress(response.content).decode()
    assert "Lakeview Detox" in page and "1 result for “detox”" in page
    assert int(response["Content-Length"]) == len(response.content) < len(page.encode()) / 3
    assert not response.cookies


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get("/search/", {"q": "detox"})
    assert not is_gzipped(response)
    assert "accept-encoding" in vary(response)
    assert b"<main" in response.content


@pytest.mark.parametrize("url", ["/sitemap-pages.xml", "/api/v1/vocabularies/"])
def test_other_public_answers_are_gzipped_too(client, url):
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert is_gzipped(response), url
    gzip.decompress(response.content)


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    response = client.get("/suggest/", headers=GZIP)
    assert response.status_code == 200
    assert not is_gzipped(response)
    assert b"csrfmiddlewaretoken" in response.content
    assert "csrftoken" in response.cookies


def test_the_admin_is_not_compressed(client, admin_client):
    sign_in = client.get("/admin/login/", headers=GZIP)
    assert sign_in.status_code == 200 and not is_gzipped(sign_in)
    index = admin_client.get("/admin/resources/listing/", headers=GZIP, follow=True)
    assert not is_gzipped(index)


def test_a_request_with_any_cookie_is_not_compressed(client):
    client.cookies["sessionid"] = "anything"
    response = client.get("/search/", {"q": "detox"}, headers=GZIP)
    assert response.status_code == 200
    assert not is_gzipped(response)


def test_a_kept_page_is_kept_plain_and_served_compressed_or_not(client):
    listing = factories.make_treatment_program(name="Kept Detox")
    url = listing.get_absolute_url()
    first = client.get(url, headers=GZIP)
    assert is_gzipped(first)
    # Locmem in tests: what is kept is the page as the view made it, uncompressed.
    prefix = f":1:public:{generation()}:kept:page:"
    [key] = [key for key in list(cache._cache) if key.startswith(prefix)]
    _fresh_until, (content, content_type) = cache.get(key.removeprefix(":1:"))
    assert content_type.startswith("text/html")
    assert b"Kept Detox" in content and not content.startswith(b"\x1f\x8b")
    second = client.get(url, headers=GZIP)
    plain = client.get(url)
    assert is_gzipped(second) and not is_gzipped(plain)
    assert gzip.decompress(second.content) == gzip.decompress(first.content) == plain.content
    assert plain.content == content
    assert b"Kept Detox" in plain.content


class _Request:
    def __init__(self, path="/", cookies=None, meta=None):
        self.path, self.COOKIES, self.META = path, cookies or {}, meta or {}


class _Response:
    def __init__(self, cookies=None):
        self.cookies = cookies or {}


@pytest.mark.parametrize(
    ("request_", "response", "safe"),
    [
        (_Request("/search/"), _Response(), True),
        (_Request("/admin/"), _Response(), False),
        (_Request("/admin/login/"), _Response(), False),
        (_Request("/search/", cookies={"csrftoken": "x"}), _Response(), False),
        (_Request("/suggest/"), _Response(cookies={"csrftoken": "x"}), False),
        (_Request("/suggest/", meta={"CSRF_COOKIE_NEEDS_UPDATE": True}), _Response(), False),
    ],
)
def test_what_counts_as_carrying_a_secret(request_, response, safe):
    assert carries_no_secret(request_, response) is safe
