"""Search in Spanish: Spanish words find what their English counterparts find, through the
reviewed table of resources/synonyms_es.py, with accents ignored, on both databases; on
PostgreSQL a search made on a Spanish page also stems Spanish words, which finds curators'
Spanish texts. The data set is the invented directory of tests/helpers.py, and a few
listings more."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import override

from resources.models import Listing, ListingText
from resources.vocabularies import Vocabulary
from tests import factories
from tests.helpers import build_directory, found

pytestmark = pytest.mark.django_db

SPRINGFIELD = {
    "address_line1": "1 Old State Capitol Plaza",
    "city": "Springfield",
    "region": "IL",
    "postal_code": "62701",
    "latitude": "39.801055",
    "longitude": "-89.649510",
}


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_directory()
        f = factories
        f.make_clinician(
            name="Dr. Rosa Vega",
            role="psychologist",
            summary="Psychologist for adults; accepts private insurance and Medicare.",
            terms={
                Vocabulary.PAYMENT: ["private-insurance", "medicare", "sliding-scale"],
                Vocabulary.POPULATION: ["veterans"],
            },
        )
        f.make_clinician(
            name="Marta Ruiz, LCSW",
            role="social_worker",
            summary="Help with benefits, housing and work.",
        )
        f.make_support_group(
            name="Night Owls Online",
            summary="Online meetings every night.",
            fellowship=f.fellowship("AA"),
            offers_online=True,
        )
        f.make_community_resource(
            name="Youth Drop-In Center",
            summary="Free help for youth and their families dealing with drugs.",
            terms={
                Vocabulary.POPULATION: ["youth", "women"],
                Vocabulary.PAYMENT: ["free", "medicaid"],
            },
        )
        far = f.make_treatment_program(
            name="Capital City Buprenorphine Clinic",
            summary="Buprenorphine treatment in Springfield.",
            **SPRINGFIELD,
        )
        spanish = f.make_community_resource(
            name="Centro Comunitario Luz",
            summary="Community center.",
            description="Peer support in Chicago.",
        )
        ListingText.objects.create(
            listing=spanish,
            language="es",
            summary="Acompañamos a las personas recién llegadas.",
            description="Ofrecemos orientación y reuniones semanales.",
        )
        yield far
        transaction.set_rollback(True)


def found_in(language, text):
    with override(language):
        return set(found(text))


# (Spanish, the English it means): the Spanish finds every listing the English finds.
SPANISH_AND_ENGLISH = [
    ("buprenorfina", "buprenorphine"),
    ("naltrexona", "naltrexone"),
    ("metadona", "methadone"),
    ("naloxona", "naloxone"),
    ("desintoxicación", "detox"),
    ("desintoxicacion", "detox"),
    ("desintox", "detox"),
    ("tratamiento residencial", "rehab"),
    ("internamiento", "residential"),
    ("ambulatorio", "outpatient"),
    ("vivienda sobria", "sober living"),
    ("casa de transición", "halfway house"),
    ("casa de recuperación", "recovery home"),
    ("consejero", "counselor"),
    ("consejera", "counselor"),
    ("terapeuta", "therapist"),
    ("psicólogo", "psychologist"),
    ("psiquiatra", "psychiatrist"),
    ("médico", "doctor"),
    ("trabajador social", "social worker"),
    ("grupo de familia", "al anon"),
    ("grupo de familia", "nar anon"),
    ("familiares", "al anon"),
    ("reunión", "meeting"),
    ("reuniones", "meetings"),
    ("reunión en línea", "online meeting"),
    ("reunión virtual", "online meeting"),
    ("en línea", "online"),
    ("en persona", "in person"),
    ("alcohol", "alcohol"),
    ("alcoholismo", "alcoholism"),
    ("drogas", "drugs"),
    ("opioides", "opioids"),
    ("línea de ayuda", "helpline"),
    ("seguro médico", "insurance"),
    ("Medicaid", "medicaid"),
    ("Medicare", "medicare"),
    ("gratis", "free"),
    ("sin costo", "no cost"),
    ("mujeres", "women"),
    ("jóvenes", "youth"),
    ("veteranos", "veterans"),
    ("alcohólicos anónimos", "alcoholics anonymous"),
    ("busco un consejero cerca de mí", "counselor"),
]


@pytest.mark.parametrize(("spanish", "english"), SPANISH_AND_ENGLISH)
def test_a_spanish_word_finds_what_its_english_counterpart_finds(directory, spanish, english):
    expected = found_in("en", english)
    assert expected, f"the data set should have something for “{english}”"
    assert expected <= found_in("es", spanish)
    # The table works whatever the page's language: a Spanish word typed on an English page.
    assert expected <= found_in("en", spanish)


@pytest.mark.parametrize(
    ("accented", "plain"),
    [
        ("desintoxicación", "desintoxicacion"),
        ("psicólogo", "psicologo"),
        ("médico", "medico"),
        ("reunión en línea", "reunion en linea"),
        ("jóvenes", "JOVENES"),
        ("recién llegadas", "recien llegadas"),
    ],
)
def test_accents_and_no_accents_give_the_same_results(directory, accented, plain):
    assert found_in("es", accented) == found_in("es", plain)
    assert found_in("en", accented) == found_in("en", plain)


def test_english_searches_find_no_spanish_meaning(directory):
    # "Médico" means doctor only in Spanish: the English table is as it was.
    assert found_in("en", "alcohol") == found_in("es", "alcohol")
    assert "Centro Comunitario Luz" not in found_in("en", "meeting")


def test_a_curators_spanish_text_is_searched(directory):
    assert "Centro Comunitario Luz" in found_in("es", "orientación")
    assert "Centro Comunitario Luz" in found_in("es", "recién llegadas")


def test_buprenorfina_near_a_town_finds_the_nearby_clinics_only(directory, client):
    with override("es"):
        url = reverse("directory:search")
    page = client.get(url, {"q": "buprenorfina", "near": "Chicago, IL"})
    assert page.status_code == 200
    assert "Halsted Medication Clinic" in page.text
    assert "Capital City Buprenorphine Clinic" not in page.text
    springfield = client.get(url, {"q": "buprenorfina", "near": "Springfield, IL"})
    assert "Capital City Buprenorphine Clinic" in springfield.text
    assert "Halsted Medication Clinic" not in springfield.text


# PostgreSQL: Spanish stemming of Spanish text ------------------------------------------------


@pytest.mark.postgresql
def test_a_spanish_search_stems_spanish_words(directory):
    # "acompañamiento" and "acompañamos" share their Spanish stem; not their English one.
    assert "Centro Comunitario Luz" in found_in("es", "acompañamiento")
    assert "Centro Comunitario Luz" in found_in("es", "orientaciones")
    assert "Centro Comunitario Luz" not in found_in("en", "acompañamiento")


@pytest.mark.postgresql
def test_spanish_term_labels_are_searched_with_spanish_stemming(directory):
    # "Tarifas de escala móvil" is the Spanish label of the sliding scale term.
    sliding = set(
        Listing.objects.published()
        .filter(terms__code="sliding-scale")
        .values_list("name", flat=True)
    )
    assert sliding
    assert sliding <= found_in("es", "tarifa móvil")
    assert not found_in("en", "tarifa móvil")


@pytest.mark.postgresql
def test_an_english_search_reads_words_in_english_only(directory):
    with override("en"):
        results = Listing.objects.published().search("meetings")
        assert "spanish" not in str(results.query)
    with override("es"):
        assert "spanish" in str(Listing.objects.published().search("meetings").query)
