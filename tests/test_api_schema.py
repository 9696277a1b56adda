"""The API's OpenAPI description and its docs page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCHEMA = reverse("api-schema")
DOCS = reverse("api-docs")


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def enum_of(parameter):
    parameter_schema = parameter["schema"]
    return parameter_schema.get("items", parameter_schema).get("enum")


def test_schema_is_openapi_3_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Recovery Support Directory API"
    assert set(schema["paths"]) == {
        "/api/v1/listings/",
        "/api/v1/listings/{slug}/",
        "/api/v1/meetings/",
        "/api/v1/fellowships/",
        "/api/v1/vocabularies/",
    }


def test_schema_is_valid_openapi(schema):
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)


def test_listings_declare_the_search_parameters_with_their_choices(schema):
    listing = parameters(schema, "/api/v1/listings/")
    assert {"q", "near", "radius", "kind", "payment", "sort", "page", "page_size"} <= set(listing)
    # No control characters: the site answers 400 for them (recovery_site/input_checks.py).
    assert listing["q"]["schema"] == {
        "type": "string",
        "maxLength": 200,
        "pattern": r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$",
    }
    assert listing["near"]["schema"]["type"] == "string"
    assert sorted(enum_of(listing["radius"])) == [5, 10, 25, 50, 100]
    assert "spaceship" not in enum_of(listing["kind"])
    assert {"clinician", "support_group"} <= set(enum_of(listing["kind"]))
    assert listing["payment"]["schema"]["type"] == "array"
    assert {"medicaid", "sliding-scale"} <= set(enum_of(listing["payment"]))
    assert listing["payment"]["explode"] is True


def test_meetings_declare_the_finders_parameters(schema):
    meeting = parameters(schema, "/api/v1/meetings/")
    assert {"day", "time", "now", "attendance", "fellowship", "types", "near"} <= set(meeting)
    assert {"today", "any", "0", "6"} <= set(enum_of(meeting["day"]))
    assert "O" in enum_of(meeting["types"])


def test_responses_describe_results_and_errors(schema):
    responses = schema["paths"]["/api/v1/listings/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(responses)
    page = responses["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    result = schema["components"]["schemas"][page]["properties"]["results"]["items"]["$ref"]
    listing = schema["components"]["schemas"][result.split("/")[-1]]["properties"]
    assert {"kind", "slug", "name", "distance", "url", "html_url"} <= set(listing)
    detail = schema["paths"]["/api/v1/listings/{slug}/"]["get"]["responses"]
    assert {"200", "404"} <= set(detail)


def test_docs_page_loads_only_from_this_site_with_no_inline_script(client):
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    assert not re.search(r"https?://", html)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html  # inline styles are blocked by the Content-Security-Policy
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources)
    assert "Content-Security-Policy" in response


def test_docs_script_and_assets_are_served_here(client):
    html = client.get(DOCS).content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    script = next(url for url in urls if "script" in url)
    response = client.get(script.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert SCHEMA in response.content.decode()
    assets = [url.removeprefix("/static/") for url in urls if url.startswith("/static/")]
    assert len(assets) >= 3  # the CSS, the two bundles (and the icon)
    for asset in assets:
        assert finders.find(asset), asset
