"""A search with words and no place ranks, shows and counts only its first matches
(``NATIONAL_CAP``, issue 18), and says so; with a place, or without words, it has them all."""

import re

import pytest
from django.urls import reverse

import directory.listing_filters
from resources.models import ClinicianRole
from resources.vocabularies import Vocabulary
from tests.factories import make_clinician, make_treatment_program
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")
CAP = 5


@pytest.fixture(autouse=True)
def small_cap(monkeypatch):
    """A cap of 5, so that a few listings are "more than the cap"."""
    monkeypatch.setattr(directory.listing_filters, "NATIONAL_CAP", CAP)


def make_matches(count, **fields):
    """``count`` clinicians whose summary says "suboxone", the first two on Medicaid."""
    return [
        make_clinician(
            summary="We prescribe suboxone.",
            terms={Vocabulary.PAYMENT: ["medicaid"] if number < 2 else ["private-insurance"]},
            **fields,
        )
        for number in range(count)
    ]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def result_names(html):
    return re.findall(r'<li class="result">\s*<h3><a [^>]*>(.*?)</a>', html)


def option_count(html, name, value):
    """The number shown beside a choice of the filter panel."""
    return int(re.search(rf'id="n-{name}-{value}">\D*(\d+)', html)[1])


def test_a_national_search_with_more_matches_than_the_cap_says_so(
    client, django_assert_max_num_queries
):
    make_matches(CAP + 3)
    with django_assert_max_num_queries(5):
        response = get(client, f"{SEARCH}?q=suboxone")
    html = response.content.decode()
    text = text_of(html)

    assert "5+ results for “suboxone”" in text
    assert (
        "More than 5 listings across the country match. These are 5 of them. "
        "Add a town or ZIP code to see the ones near you."
    ) in text
    assert len(result_names(html)) == CAP
    # The panel counts the same five listings: all clinicians, as many by payment as shown.
    assert option_count(html, "kind", "clinician") == CAP
    # Each has one way to pay: the payment counts add up to the five.
    payments = [option_count(html, "payment", code) for code in ("medicaid", "private-insurance")]
    assert sum(payments) == CAP


def test_the_capped_results_are_ranked_best_match_first(client):
    # Every other listing says the word in its name too, which ranks it higher.
    for number in range(CAP + 3):
        name = f"Suboxone clinic {number}" if number % 2 else f"Clinic {number}"
        make_clinician(name=name, summary="We prescribe suboxone.")
    names = result_names(get(client, f"{SEARCH}?q=suboxone").content.decode())

    assert len(names) == CAP
    named = [name.startswith("Suboxone") for name in names]
    # Whichever five were found first, those named for the word come first.
    assert any(named) and not all(named)
    assert named == sorted(named, reverse=True)


def test_ticked_choices_cap_the_results_that_meet_them(client):
    make_matches(CAP + 3)
    html = get(client, f"{SEARCH}?q=suboxone&payment=medicaid").content.decode()

    # Two listings take Medicaid: fewer than the cap, so the count is exact.
    assert "2 results for “suboxone”" in text_of(html)
    assert "More than" not in text_of(html)
    assert len(result_names(html)) == 2


def test_a_national_search_within_the_cap_is_exact(client):
    make_matches(CAP)
    html = get(client, f"{SEARCH}?q=suboxone").content.decode()

    assert "5 results for “suboxone”" in text_of(html)
    assert "5+ results" not in html and "More than" not in html


def test_a_search_near_a_place_is_not_capped(client, django_assert_max_num_queries):
    make_matches(CAP + 3)
    with django_assert_max_num_queries(5):
        html = get(client, f"{SEARCH}?q=suboxone&near=60614&radius=25").content.decode()

    assert "8 results for “suboxone” near" in text_of(html)
    assert "More than" not in html
    assert option_count(html, "kind", "clinician") == CAP + 3


def test_browsing_without_words_is_not_capped(client):
    make_matches(CAP + 3)
    make_treatment_program()
    html = get(client, f"{SEARCH}?kind=clinician").content.decode()

    assert "8 results" in text_of(html)
    assert "More than" not in html


def test_the_api_is_not_capped(client):
    make_matches(CAP + 3)
    response = client.get(reverse("api:listing-list"), {"q": "suboxone"})

    assert response.status_code == 200
    assert response.json()["count"] == CAP + 3


def test_the_page_says_so_in_spanish(client):
    make_matches(CAP + 1, role=ClinicianRole.PSYCHIATRIST)
    html = get(client, f"/es{SEARCH}?q=suboxone").content.decode()
    text = text_of(html)

    assert "Más de 5 resultados para “suboxone”" in text
    assert "Más de 5 servicios de todo el país coinciden." in text
