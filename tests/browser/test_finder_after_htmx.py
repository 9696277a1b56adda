"""The meeting finder after a search htmx sent shows what a full page of the same address
shows: no intro once searched, the place's hint tucked away, the same box, count, list and
filters' summary."""

import re

import pytest

from tests.factories import make_meeting, make_place, make_support_group

pytestmark = pytest.mark.browser

# What a visitor sees of the page, region by region.
SEEN = """() => {
  const seen = (element) => element && element.checkVisibility() ? element.innerText.trim() : "";
  const main = document.querySelector("main");
  const hint = document.getElementById("hint-near");
  return {
    heading: seen(main.querySelector("h1")),
    intro: seen(document.getElementById("finder-intro")),
    hintShown: hint.getBoundingClientRect().width > 1,
    box: [...document.querySelectorAll(".search-bar input")].map((input) => input.value),
    quickPicks: seen(document.querySelector(".quick-picks")),
    count: seen(document.getElementById("results-heading")),
    results: seen(document.getElementById("results")),
    filters: seen(document.querySelector("#filters > summary")),
    ticked: [...document.querySelectorAll("#filters :checked")].map((box) => box.value),
  };
}"""


@pytest.fixture
def meetings(db):
    group = make_support_group(name="Lincoln Park Group")
    hall = make_place(name="St. Luke's hall")
    for weekday in range(7):
        make_meeting(group=group, name=f"Hope {weekday}", weekday=weekday, place=hall)


def searched_by_htmx(page, search):
    """Sends the search the finder's htmx sends, then waits for its answer to settle."""
    with page.expect_response(lambda answer: answer.request.headers.get("hx-request")):
        search()
    page.wait_for_load_state("networkidle")
    return page.evaluate(SEEN)


def test_after_an_htmx_search_the_page_is_what_a_full_load_of_its_address_shows(
    page, meetings, client
):
    # The first pages a process serves compile their templates: not within the browser's
    # fail-fast timeout on a busy machine.
    client.get("/meetings/", {"near": "Chicago, IL"}, HTTP_HX_REQUEST="true")
    page.goto("/meetings/")
    assert page.locator("#finder-intro").is_visible()
    assert page.locator("#hint-near").is_visible()

    page.locator("#id_near").fill("Chicago, IL")
    after_htmx = searched_by_htmx(
        page, lambda: page.get_by_role("button", name="Find meetings").click()
    )
    assert re.search(r"near=Chicago", page.url)
    page.goto(page.url)
    full_page = page.evaluate(SEEN)
    assert after_htmx == full_page
    assert after_htmx["intro"] == "" and not after_htmx["hintShown"]
    assert after_htmx["box"][:2] == ["", "Chicago, IL"]

    # A filter changed (htmx again, from the filters' column), then the box emptied.
    after_htmx = searched_by_htmx(page, lambda: page.locator("#id_radius").select_option("5"))
    page.goto(page.url)
    assert after_htmx == page.evaluate(SEEN)
    page.locator("#id_near").fill("")
    after_htmx = searched_by_htmx(
        page, lambda: page.get_by_role("button", name="Find meetings").click()
    )
    page.goto(page.url)
    assert after_htmx == page.evaluate(SEEN)
