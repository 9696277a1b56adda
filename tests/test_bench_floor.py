"""The benchmark's floor page (bench/floor.py) answers the same question as the search page.

``make bench`` prints each page's speed as a share of the floor's; that share means
something only if the floor finds what the site finds, nearest first.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from resources.search_index import refresh_search_index
from tests.factories import make_clinician, make_treatment_program

pytestmark = [pytest.mark.postgresql, pytest.mark.urls("bench.urls")]

# Near ZIP 60614 (Lincoln Park, Chicago), at growing distances, and one far away.
PLACES = {
    "Near Clinic": (Decimal("41.922000"), Decimal("-87.652000")),
    "Loop Clinic": (Decimal("41.881000"), Decimal("-87.630000")),
    "Evanston Clinic": (Decimal("42.045000"), Decimal("-87.688000")),
    "Milwaukee Clinic": (Decimal("43.038000"), Decimal("-87.906000")),
}


@pytest.mark.django_db
def test_the_floor_finds_what_the_search_page_finds_nearest_first(client):
    for name, (latitude, longitude) in PLACES.items():
        make_clinician(
            name=name, description="Suboxone (buprenorphine) for opioid use disorder.",
            latitude=latitude, longitude=longitude,
        )  # fmt: skip
    make_clinician(name="Talk Therapy", description="Counseling for anxiety.")
    make_treatment_program(name="Suboxone Program", description="Suboxone.")
    refresh_search_index()
    question = {"q": "suboxone", "kind": "clinician", "near": "60614", "radius": 25}

    floor = client.get(reverse("bench-floor"), question).content.decode()
    search = client.get(reverse("directory:search"), {**question, "sort": "distance"})

    floor_names = re.findall(r'<a href="/listings/[^"]+/">([^<]+)</a>', floor)
    assert floor_names == ["Near Clinic", "Loop Clinic", "Evanston Clinic"]
    assert "3 results" in floor
    assert [listing.name for listing in search.context["page"]] == floor_names
