"""The one search box understands whole requests (directory/understanding.py).

A table of what people really type, in English and Spanish, and what the box makes of it:
the words left to search, the place taken out of them, "near me", a request for meetings
sent to the meeting finder with its choices, and the guide that answers a question. Then
the pages: the place searched as the place with a chip that removes it, the finder's
address, "near me" asking where, a place typed in "Where?" winning over one in the words.
"""

from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from directory.meeting_filters import MeetingFilter
from directory.understanding import GUIDE_TOPICS, guide_address, understand
from groups.models import Meeting
from tests import factories

A_SATURDAY = date(2026, 12, 5)  # "tomorrow" is then Sunday, the finder's day 0

AA, NA, SMART = "alcoholics-anonymous", "narcotics-anonymous", "smart-recovery"
ONLINE = ("online", "hybrid")
IN_PERSON = ("in_person", "hybrid")
MOUD = "medication-for-opioid-use-disorder"

# (typed, words left to search, place, near me)
SEARCHES = [
    ("detox in chicago", "detox", "chicago", False),
    ("rehab 60614", "rehab", "60614", False),
    ("suboxone near Springfield, IL", "suboxone", "Springfield, IL", False),
    ("detox Chicago, IL", "detox", "Chicago, IL", False),
    ("sober living in Saint Paul, MN", "sober living", "Saint Paul, MN", False),
    ("detox new york, ny", "detox", "new york, ny", False),
    ("methadone clinic near 10001", "methadone clinic", "10001", False),
    ("counselor around Denver, CO", "counselor", "Denver, CO", False),
    ("therapist at 60614-1234", "therapist", "60614-1234", False),
    ("Rehab In Chicago", "Rehab", "Chicago", False),
    # A town in several states, or a state alone: the page asks which town.
    ("rehab in springfield", "rehab", "springfield", False),
    ("detox in ohio", "detox", "ohio", False),
    ("rehab in pa", "rehab", "pa", False),
    ("detox in springfield, zz", "detox in springfield, zz", "", False),
    ("detox near 41.92,-87.65", "detox", "41.92,-87.65", False),
    ("desintoxicación en chicago", "desintoxicación", "chicago", False),
    ("consejero cerca de 60614", "consejero", "60614", False),
    # Words that are towns somewhere but mean something else here.
    ("therapist in english", "therapist in english", "", False),
    ("counseling in spanish", "counseling in spanish", "", False),
    ("help at home", "help at home", "", False),
    ("therapist in person", "therapist in person", "", False),
    ("detox for women", "detox for women", "", False),
    ("aa", "aa", "", False),
    ("suboxone", "suboxone", "", False),
    ("Chicago detox", "Chicago detox", "", False),
    ("detox in nowhereville", "detox in nowhereville", "", False),
    # "near me" names no place.
    ("near me", "", "", True),
    ("detox near me", "detox", "", True),
    ("cerca de mí", "", "", True),
    ("suboxone cerca de mi", "suboxone", "", True),
    ("rehab close to me", "rehab", "", True),
]


@pytest.mark.parametrize(("typed", "words", "place", "near_me"), SEARCHES)
def test_the_box_takes_the_place_out_of_the_words(typed, words, place, near_me):
    understood = understand(typed, today=A_SATURDAY)
    assert (understood.text, understood.place, understood.near_me) == (words, place, near_me)
    assert not understood.to_finder


# (typed, the finder's query string, or None when the words stay a search)
MEETINGS = [
    ("aa meeting tonight", f"fellowship={AA}&day=today&time=evening"),
    ("na meetings near me", f"fellowship={NA}&q=near+me"),
    ("online smart meeting", f"fellowship={SMART}&attendance=online&attendance=hybrid"),
    ("al-anon meeting tomorrow", "fellowship=al-anon&day=0"),
    ("Al Anon meetings tomorrow", "fellowship=al-anon&day=0"),
    ("meetings today", "day=today"),
    ("meeting", ""),
    ("aa meeting in 10001", f"fellowship={AA}&near=10001"),
    ("aa meetings in chicago tonight", f"fellowship={AA}&day=today&time=evening&near=chicago"),
    ("na meeting 60614 tomorrow", f"fellowship={NA}&day=0&near=60614"),
    ("AA tonight", f"fellowship={AA}&day=today&time=evening"),
    ("smart recovery online", f"fellowship={SMART}&attendance=online&attendance=hybrid"),
    ("in person aa meetings", f"fellowship={AA}&attendance=in_person&attendance=hybrid"),
    ("aa meeting now", f"fellowship={AA}&now=1"),
    ("aa meetings right now near me", f"fellowship={AA}&now=1&q=near+me"),
    ("na meeting on monday morning", f"fellowship={NA}&day=1&time=morning"),
    ("cocaine anonymous meetings saturday", "fellowship=cocaine-anonymous&day=6"),
    ("find a meeting tonight", "day=today&time=evening"),
    ("zoom meetings", "attendance=online&attendance=hybrid"),
    ("meeting in person", "attendance=in_person&attendance=hybrid"),
    ("reunión de aa hoy", f"fellowship={AA}&day=today"),
    ("reuniones de na esta noche", f"fellowship={NA}&day=today&time=evening"),
    ("juntas de AA en línea", f"fellowship={AA}&attendance=online&attendance=hybrid"),
    ("reunión de aa mañana", f"fellowship={AA}&day=0"),
    ("alcohólicos anónimos reunión el domingo", f"fellowship={AA}&day=0"),
    ("nar-anon meetings wednesday evening", "fellowship=nar-anon&day=3&time=evening"),
    # Other words in it: a search, which links to the finder.
    ("aa meeting for women", None),
    ("meetings at st mark church", None),
    ("detox tonight", None),
    ("aa big book", None),
]


@pytest.mark.parametrize(("typed", "finder"), MEETINGS)
def test_a_request_for_meetings_goes_to_the_finder_with_its_choices(typed, finder):
    understood = understand(typed, today=A_SATURDAY)
    if finder is None:
        assert not understood.to_finder
        return
    assert understood.to_finder
    pairs = understood.meeting.parameters()
    if understood.place:
        pairs.append(("near", understood.place))
    elif understood.near_me:
        pairs.append(("q", "near me"))
    assert pairs == parse_qsl(finder)


@pytest.mark.parametrize("finder", [finder for _typed, finder in MEETINGS if finder])
def test_every_choice_sent_to_the_finder_is_one_it_offers(finder):
    # The finder's own FilterSet reads the address: a renamed parameter or choice fails here.
    filterset = MeetingFilter(QueryDict(finder), Meeting.objects.none())
    assert filterset.form.is_valid(), filterset.form.errors
    assert set(QueryDict(finder)) <= set(filterset.form.cleaned_data)


def test_tomorrow_is_the_day_after_today():
    for offset in range(7):
        today = A_SATURDAY + timedelta(days=offset)
        [day] = understand("aa meeting tomorrow", today=today).meeting.days
        assert day == str((today.isoweekday() + 1) % 7)


GUIDES = [
    ("what is suboxone", MOUD),
    ("What is MAT?", MOUD),
    ("what's methadone", MOUD),
    ("what is narcan", "naloxone"),
    ("what is detox", "levels-of-care"),
    ("what is an iop", "levels-of-care"),
    ("what is a halfway house", "sober-living"),
    ("what is aa", "peer-support-groups"),
    ("what is a closed meeting", "open-and-closed-meetings"),
    ("how do i help my son", "helping-a-loved-one"),
    ("how can I support my husband who drinks", "helping-a-loved-one"),
    ("cómo ayudar a mi hijo", "helping-a-loved-one"),
    ("how to pay for rehab", "paying-for-treatment"),
    ("qué es suboxone", MOUD),
    ("what is this", ""),
    ("suboxone", ""),
]


@pytest.mark.parametrize(("typed", "slug"), GUIDES)
def test_a_question_a_guide_answers_names_that_guide_and_is_still_searched(typed, slug):
    understood = understand(typed)
    assert understood.guide == slug
    assert understood.text == typed


def test_a_place_typed_in_where_wins_over_one_in_the_words():
    understood = understand("detox in chicago", near="Denver, CO")
    assert (understood.text, understood.place) == ("detox in chicago", "")


def test_any_text_is_read_without_error():
    for typed in ["", " ", "in", "near", "in ,", ",", "a, b, c", "😀 in 😀", "in " * 300, "\x00"]:
        understand(typed)


# The pages --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """A detox in Chicago and one in Denver, and a meeting, built once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        chicago = factories.make_treatment_program(name="Lakeview Detox", summary="Detox.")
        denver = factories.make_treatment_program(
            name="Mile High Detox", summary="Detox.", **factories.DENVER
        )
        group = factories.make_support_group(name="Lincoln Park Group")
        factories.make_meeting(group=group, name="Lincoln Park Meeting")
        yield {"chicago": chicago, "denver": denver, "group": group}
        transaction.set_rollback(True)


def names(response):
    return [listing.name for listing in response.context["page"]]


@pytest.mark.django_db
def test_a_place_in_the_words_is_searched_as_the_place_with_a_chip(client, directory):
    response = client.get("/search/", {"q": "detox in chicago"})
    assert response.status_code == 200
    assert names(response) == ["Lakeview Detox"]
    body = response.content.decode()
    assert "1 result for “detox” near Chicago, IL" in body
    # The box shows the words and the place apart, and the chip takes the place away.
    assert 'name="q" value="detox"' in body and 'name="near" value="chicago"' in body
    assert 'class="chip understood" href="?q=detox"' in body
    assert "Place: Chicago, IL" in body
    assert "Clear all filters" not in body
    everywhere = client.get("/search/", {"q": "detox"})
    assert set(names(everywhere)) == {"Lakeview Detox", "Mile High Detox"}


@pytest.mark.django_db
def test_a_place_typed_in_where_wins_on_the_page(client, directory):
    response = client.get("/search/", {"q": "detox in chicago", "near": "Denver, CO"})
    assert response.context["filterset"].location.label == "Denver, CO"
    assert "Place: " not in response.content.decode()


@pytest.mark.django_db
def test_a_town_in_several_states_is_asked_about(client, directory):
    response = client.get("/search/", {"q": "detox in springfield"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "“springfield” is in more than one state" in body
    assert "Springfield, IL" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("aa meeting tonight", f"/meetings/?fellowship={AA}&day=today&time=evening"),
        (
            "online smart meeting",
            f"/meetings/?fellowship={SMART}&attendance=online&attendance=hybrid",
        ),
        ("aa meeting in 10001", f"/meetings/?fellowship={AA}&near=10001"),
        ("na meetings near me", f"/meetings/?fellowship={NA}&q=near+me"),
    ],
)
def test_the_search_page_sends_a_request_for_meetings_to_the_finder(
    client, directory, typed, address
):
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == address
    finder = client.get(address)
    assert finder.status_code == 200


@pytest.mark.django_db
def test_the_finder_address_keeps_the_place_typed_in_where(client):
    response = client.get("/search/", {"q": "aa meeting tonight", "near": "60614", "radius": "10"})
    query = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert query["near"] == "60614" and query["radius"] == "10"


@pytest.mark.django_db
def test_na_meetings_near_me_arrive_at_a_finder_that_asks_where(client, directory):
    response = client.get("/search/", {"q": "na meetings near me"}, follow=True)
    body = response.content.decode()
    assert "Where are you?" in body and "Use my location" in body


@pytest.mark.django_db
def test_htmx_is_told_to_go_to_the_finder(client):
    response = client.get("/search/", {"q": "aa meeting tonight"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/meetings/?fellowship=")


@pytest.mark.django_db
def test_near_me_asks_where_with_the_cursor_in_where(client, directory):
    response = client.get("/search/", {"q": "detox near me"})
    body = response.content.decode()
    assert "Where are you? Type a town or ZIP code in “Where?”" in body
    assert 'href="#id_near"' in body
    near_field = body[body.index('id="id_near"') :].split(">")[0]
    assert "autofocus" in near_field
    assert names(response) == sorted(["Lakeview Detox", "Mile High Detox"])
    assert "autofocus" not in client.get("/search/", {"q": "detox"}).content.decode()


@pytest.mark.django_db
def test_words_with_meeting_choices_and_more_stay_a_search_with_a_link_to_the_finder(client):
    response = client.get("/search/", {"q": "aa meeting for women"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "See AA meetings in the meeting finder" in body
    assert f'href="/meetings/?fellowship={AA}"' in body


@pytest.mark.django_db
def test_a_question_links_to_its_guide_only_when_the_site_has_guides(client):
    response = client.get("/search/", {"q": "what is suboxone"})
    assert response.status_code == 200
    body = response.content.decode()
    try:
        address = reverse("guides:detail", kwargs={"slug": MOUD})
    except NoReverseMatch:
        assert guide_address(MOUD) == ""
        assert "Read the guide" not in body
    else:
        assert guide_address(MOUD) == address
        assert f'href="{address}">Read the guide' in body


@pytest.mark.django_db
def test_a_browse_page_understands_the_box_too(client, directory):
    response = client.get("/browse/treatment-programs/", {"q": "detox in chicago"})
    assert response.status_code == 200
    assert names(response) == ["Lakeview Detox"]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(GUIDE_TOPICS))
def test_every_guide_the_box_links_to_is_a_page(client, slug):
    address = guide_address(slug)
    if address:  # the site has guides: the link must open one
        assert client.get(address).status_code == 200
