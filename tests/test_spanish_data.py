"""The data side of the Spanish site: vocabulary labels, curators' Spanish texts, and the
API's labels by language. Search in Spanish is tests/test_search_spanish.py."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from demo.demo_data import load_demo_data
from groups.models import Meeting, MeetingText
from resources.models import ListingKind, ListingText, Term
from resources.vocabularies import (
    MEETING_GUIDE_TYPES_FILE,
    TERMS,
    VOCABULARY_LABELS,
    Vocabulary,
)
from tests import factories

pytestmark = pytest.mark.django_db

SPANISH_LABELS = json.loads((VOCABULARY_LABELS / "es.json").read_text(encoding="utf-8"))
MEETING_GUIDE = json.loads(MEETING_GUIDE_TYPES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def in_english():
    """Each test starts in English: a request to a Spanish page leaves Spanish active."""
    with override("en"):
        yield


# Vocabulary labels -------------------------------------------------------------------------


def test_every_term_of_every_vocabulary_has_a_spanish_label():
    missing = [
        f"{vocabulary.value}/{code}"
        for vocabulary, terms in TERMS.items()
        for code, _label in terms
        if not SPANISH_LABELS.get(vocabulary.value, {}).get(code, "").strip()
    ]
    assert not missing, f"add these to resources/data/vocabulary_labels/es.json: {missing}"


def test_the_spanish_labels_name_no_term_that_does_not_exist():
    known = {(vocabulary.value, code) for vocabulary, terms in TERMS.items() for code, _ in terms}
    listed = {(vocabulary, code) for vocabulary, codes in SPANISH_LABELS.items() for code in codes}
    assert listed - known == set()


def test_every_term_in_the_database_is_synced_with_its_spanish_label():
    terms = Term.objects.all()
    assert terms.count() == sum(len(t) for t in TERMS.values()) + len(MEETING_GUIDE)
    for term in terms:
        if term.vocabulary == Vocabulary.MEETING_TYPE:
            expected = MEETING_GUIDE[term.code]["es"]
        else:
            expected = SPANISH_LABELS[term.vocabulary][term.code]
        assert term.translations == {"es": expected}, term.code


def test_meeting_types_keep_the_meeting_guide_lists_own_spanish_labels():
    types = Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE)
    assert {term.code: term.translations["es"] for term in types} == {
        code: labels["es"] for code, labels in MEETING_GUIDE.items()
    }
    assert types.get(code="S").translations["es"] == "Español"


def test_a_term_shows_its_label_in_the_active_language_else_english():
    english = Term.objects.get(vocabulary=Vocabulary.LANGUAGE, code="en")
    with override("es"):
        assert str(english) == english.display_label == "Inglés"
    with override("en"):
        assert str(english) == english.display_label == "English"
    with override("es-mx"):
        assert english.display_label == "Inglés"
    # A language the term has no label in (a third language being added) shows English.
    with override("fr"):
        assert english.display_label == "English"
    english.translations = {}
    with override("es"):
        assert english.display_label == "English"


def test_a_spanish_listing_page_shows_its_terms_and_filters_in_spanish(client):
    listing = factories.make_clinician(
        name="Clínica Norte", terms={Vocabulary.LANGUAGE: ["es"], Vocabulary.PAYMENT: ["free"]}
    )
    with override("es"):
        page = client.get(listing.get_absolute_url())
    assert page.status_code == 200
    assert "<li>Español</li>" in page.text
    assert "<li>Gratis</li>" in page.text
    english = client.get(listing.get_absolute_url())
    assert "<li>Spanish</li>" in english.text
    with override("es"):
        search = client.get(reverse("directory:search"))
    assert "Tarifas de escala móvil según ingresos" in search.text
    assert "Sliding scale fees" not in search.text


def test_meeting_types_show_in_spanish_on_a_spanish_meeting_page(client):
    meeting = factories.make_meeting(types=["S", "O"])
    with override("es"):
        page = client.get(meeting.get_absolute_url())
    assert "<li>Español</li>" in page.text
    assert "<li>Abierta</li>" in page.text


# Curators' Spanish texts ---------------------------------------------------------------------


def test_a_listing_shows_its_spanish_text_on_spanish_pages_only():
    listing = factories.make_clinician(summary="Counseling.", description="We help.")
    ListingText.objects.create(
        listing=listing, language="es", summary="Consejería.", description="Le ayudamos."
    )
    listing.refresh_from_db()
    spanish = listing.text_in("es")
    assert (spanish["summary"].text, spanish["description"].text) == ("Consejería.", "Le ayudamos.")
    assert not spanish["description"].untranslated
    english = listing.text_in("en")
    assert (english["summary"].text, english["description"].text) == ("Counseling.", "We help.")
    assert not english["summary"].untranslated


def test_without_a_spanish_text_a_spanish_page_shows_the_english_one_marked_as_english():
    listing = factories.make_clinician(summary="Counseling.", description="We help.")
    shown = listing.text_in("es")
    assert shown["description"].text == "We help."
    assert shown["description"].untranslated
    assert shown["description"].lang_attribute == ' lang="en"'


def test_a_spanish_listing_page_says_when_the_description_is_only_in_english(client):
    listing = factories.make_clinician(description="We help people in Chicago.")
    with override("es"):
        page = client.get(listing.get_absolute_url())
    assert '<div lang="en"><p>We help people in Chicago.</p></div>' in page.text
    with override("es"):
        note = str(_("This description is only available in English."))
    assert note in page.text
    assert note not in client.get(listing.get_absolute_url()).text


def test_a_spanish_listing_page_and_result_show_the_curators_spanish_text(client):
    listing = factories.make_clinician(
        name="Consejería Norte", summary="Counseling in Spanish.", description="We help."
    )
    ListingText.objects.create(
        listing=listing, language="es", summary="Consejería en español.", description="Ayudamos."
    )
    with override("es"):
        page = client.get(listing.get_absolute_url())
        results = client.get(reverse("directory:search"), {"q": "Consejería Norte"})
    assert '<p class="lead">Consejería en español.</p>' in page.text
    assert "<div><p>Ayudamos.</p></div>" in page.text
    assert "We help." not in page.text
    assert '<p class="summary">Consejería en español.</p>' in results.text
    english = client.get(listing.get_absolute_url())
    assert "Counseling in Spanish." in english.text
    assert "Consejería en español." not in english.text


def test_spanish_results_read_the_spanish_texts_in_one_query(client, django_assert_max_num_queries):
    for number in range(3):
        listing = factories.make_clinician(name=f"Consejera {number}")
        ListingText.objects.create(listing=listing, language="es", summary=f"Resumen {number}.")
    with override("es"):
        url = reverse("directory:search")
    # Warm what is kept between requests, but no result card: nothing in Anchorage.
    client.get(url, {"q": "Consejera", "near": "99501"})
    # Read with the listings themselves: a Spanish page takes no more queries than an
    # English one (the exact-match check, the tally, the order, the listings, their terms).
    with django_assert_max_num_queries(5) as queries:
        page = client.get(url, {"q": "Consejera"})
    assert all(f"Resumen {number}." in page.text for number in range(3))
    texts = [q for q in queries.captured_queries if "listingtext" in q["sql"].lower()]
    assert len(texts) == 1
    # Then the Spanish cards are kept (directory/result_cards.py): no texts to read.
    with django_assert_max_num_queries(30) as queries:
        again = client.get(url, {"q": "Consejera"})
    assert all(f"Resumen {number}." in again.text for number in range(3))
    assert not [q for q in queries.captured_queries if "listingtext" in q["sql"].lower()]


def test_a_meeting_shows_its_spanish_notes_on_its_spanish_page(client):
    meeting = factories.make_meeting(notes="Use the side door.")
    with override("es"):
        before = client.get(meeting.get_absolute_url())
    assert '<div lang="en"><p>Use the side door.</p></div>' in before.text
    MeetingText.objects.create(meeting=meeting, language="es", notes="Entre por la puerta lateral.")
    with override("es"):
        after = client.get(meeting.get_absolute_url())
    assert "<div><p>Entre por la puerta lateral.</p></div>" in after.text
    assert "Use the side door." not in after.text
    assert "Use the side door." in client.get(meeting.get_absolute_url()).text


def test_texts_may_be_written_only_in_the_sites_other_languages():
    field = ListingText._meta.get_field("language")
    assert [code for code, _name in field.choices] == ["es"]


def test_curators_write_spanish_texts_in_every_kind_of_listing_and_meeting_admin(admin_client):
    listings = [
        factories.make_clinician(),
        factories.make_treatment_program(),
        factories.make_sober_living_home(),
        factories.make_helpline(),
        factories.make_community_resource(),
        factories.make_support_group(),
    ]
    for listing in listings:
        model = type(listing)._meta
        url = reverse(f"admin:{model.app_label}_{model.model_name}_change", args=[listing.pk])
        assert 'name="texts-TOTAL_FORMS"' in admin_client.get(url).text, model.model_name
    meeting = factories.make_meeting()
    url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    assert 'name="texts-TOTAL_FORMS"' in admin_client.get(url).text


# The API's labels by language ----------------------------------------------------------------

VOCABULARIES = reverse("api:vocabularies")


def _language_terms(response):
    vocabularies = {v["code"]: v for v in response.json()["vocabularies"]}
    return {term["code"]: term["label"] for term in vocabularies["language"]["terms"]}


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ({}, None, "en"),
        ({"lang": "es"}, None, "es"),
        ({}, "es", "es"),
        ({}, "es-MX,es;q=0.9,en;q=0.8", "es"),
        ({}, "fr-FR,fr;q=0.9", "en"),
        ({}, "fr,es;q=0.5", "es"),
        ({"lang": "en"}, "es", "en"),  # ?lang wins
        ({"lang": "xx"}, "es", "en"),  # unknown: English
        ({"lang": "ES"}, None, "es"),
        ({}, ";;q=,,*", "en"),
    ],
)
def test_the_api_answers_in_the_language_asked_for(client, query, header, expected):
    headers = {"Accept-Language": header} if header else {}
    response = client.get(VOCABULARIES, query, headers=headers)
    assert response.status_code == 200
    assert response["Content-Language"] == expected
    assert "Accept-Language" in response["Vary"]
    assert _language_terms(response)["en"] == {"en": "English", "es": "Inglés"}[expected]


def test_the_api_gives_listing_terms_kinds_and_meeting_types_in_spanish(client):
    factories.make_clinician(slug="norte", terms={Vocabulary.PAYMENT: ["free"]})
    factories.make_meeting(types=["S"])
    listing = client.get(reverse("api:listing-detail", args=["norte"]), {"lang": "es"}).json()
    assert listing["terms"]["payment"] == [{"code": "free", "label": "Gratis"}]
    listings = client.get(reverse("api:listing-list"), headers={"Accept-Language": "es"}).json()
    with override("es"):
        assert listings["results"][0]["kind_label"] == str(ListingKind.CLINICIAN.label)
    meetings = client.get(reverse("api:meeting-list"), {"day": "any", "lang": "es"}).json()
    assert meetings["results"][0]["types"] == [{"code": "S", "label": "Español"}]
    english = client.get(reverse("api:meeting-list"), {"day": "any"}).json()
    assert english["results"][0]["types"] == [{"code": "S", "label": "Spanish"}]


def test_the_schema_documents_lang_on_every_endpoint(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v"):
            continue
        names = {parameter["name"] for parameter in operations["get"].get("parameters", [])}
        assert {"lang", "Accept-Language"} <= names, path


# Demo data -----------------------------------------------------------------------------------


def test_the_demo_data_brings_spanish_texts_and_spanish_meetings_notes():
    first = load_demo_data()
    spanish_meetings = Meeting.objects.filter(types__code="S")
    assert first["MeetingText"]["created"] == spanish_meetings.count() > 20
    rosa = ListingText.objects.get(listing__slug="rosa-m-lcsw-pilsen", language="es")
    assert rosa.summary.startswith("Trabajadora social bilingüe")
    notes = MeetingText.objects.get(meeting__slug="nueva-esperanza-sunday").notes
    assert notes.startswith("Reunión abierta")
    again = load_demo_data()
    assert set(again["ListingText"]) == {"unchanged"}
    assert set(again["MeetingText"]) == {"unchanged"}
