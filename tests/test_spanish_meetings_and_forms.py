"""The meeting pages and the public forms in Spanish (/es/…): the meeting finder with its
Spanish-language filter, a meeting, the fellowships, suggest a resource with its errors, the
thank-you page, a report, a confirmation, the rate limit's page and a meeting's calendar file.

Each test asserts the Spanish a visitor reads, that none of the page's own English is left,
and that what curators and sources wrote in English (a place's directions, a fellowship's
description) is marked ``lang="en"`` on the Spanish page, for screen readers (WCAG 3.1.2).
"""

import re
from datetime import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.html import escape

from groups.models import Attendance
from moderation.models import REFERENCE_PATTERN, Submission
from resources.models import NewClientsAnswer, NewClientsLink
from tests.factories import (
    fellowship,
    make_meeting,
    make_place,
    make_support_group,
    make_treatment_program,
)
from tests.helpers import suggestion_data, text_of

pytestmark = pytest.mark.django_db

TUESDAY = 2
# The next Tuesday's 7 PM in Chicago, whichever half of the year it falls in.
# Django's Spanish writes "p.m.", CLDR's "p. m.": either reads well.
SEVEN_PM_CHICAGO = r"7:00 p\. ?m\. C[SD]T"


@pytest.fixture(autouse=True)
def empty_cache():
    # The forms' rate limit counts in the cache: every test starts from nothing.
    cache.clear()
    yield
    cache.clear()


def spanish_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    html = response.content.decode()
    assert '<html lang="es">' in html
    return html, text_of(html)


def assert_no_english(text, *phrases):
    left = [phrase for phrase in phrases if phrase in text]
    assert not left, f"English left on a Spanish page: {left}"


def spanish_meeting(**fields):
    place = make_place(name="St. Mark's Hall", notes="Side door, downstairs")
    fields.setdefault("group", make_support_group(name="Grupo Esperanza", phone="312-555-0100"))
    return make_meeting(
        name="Esperanza de los martes",
        place=place,
        weekday=TUESDAY,
        start_time=time(19),
        end_time=time(20),
        types=["S", "O"],
        **fields,
    )


def test_meeting_finder_in_spanish_shows_the_spanish_language_meetings(client):
    meeting = spanish_meeting(
        attendance=Attendance.HYBRID, conference_url="https://zoom.example.com/j/1"
    )
    make_meeting(name="Tuesday Night Big Book", weekday=TUESDAY, types=["O"])

    response = client.get("/es/meetings/?types=S&day=any")
    html, text = response.content.decode(), text_of(response.content.decode())

    assert response.status_code == 200
    assert [meeting.name for meeting in response.context["page"].object_list] == [
        "Esperanza de los martes"
    ]
    assert "Buscar una reunión" in text
    assert "1 reunión" in text
    assert re.search(rf"martes, {SEVEN_PM_CHICAGO}", text, re.IGNORECASE), text
    assert "Opciones rápidas:" in text
    assert "Las más próximas primero. Las horas son la hora local de cada reunión." in text
    assert "Agregar estas reuniones a su calendario" in text
    assert "Nombre de la reunión o del grupo (opcional)" in text
    # What static/js/locate.js and local-time.js say, given by the page in its language.
    assert 'data-finding="Buscando dónde está…"' in html
    assert 'data-text="su hora: {time}"' in html
    assert f'<a href="/es/meetings/{meeting.slug}/">Esperanza de los martes</a>' in html
    assert_no_english(
        text,
        "Find a meeting",
        "Quick picks",
        "Soonest first",
        "Add to calendar",
        "Directions",
        "Tuesday",
        " PM ",
    )


def test_meeting_finder_in_spanish_says_when_nothing_matches(client):
    make_meeting(name="Tuesday Night Big Book", weekday=TUESDAY, types=["O"])

    text = spanish_page(client, "/es/meetings/?types=S&day=any")[1]

    assert "No se encontraron reuniones" in text
    assert "Ninguna reunión coincide." in text
    assert_no_english(text, "No meetings", "clear all filters")


def test_meeting_page_in_spanish_marks_what_the_group_wrote_as_english(client):
    meeting = spanish_meeting(
        attendance=Attendance.HYBRID,
        conference_url="https://zoom.example.com/j/1",
        conference_url_notes="Passcode 1234",
    )

    html, text = spanish_page(client, f"/es/meetings/{meeting.slug}/")

    assert re.search(
        r"Cada martes, de 7:00 p\. ?m\. a 8:00 p\. ?m\. C[SD]T \(hora de Chicago\)", text, re.I
    ), text
    assert "Próxima reunión:" in text
    assert "Cómo asistir En persona y en línea" in text
    assert "Cómo encontrar el salón:" in text
    assert '<span lang="en">Side door, downstairs</span>' in html
    assert '<p lang="en">Passcode 1234</p>' in html
    assert "Unirse a la reunión en línea" in text
    assert "¿Preguntas? Comuníquese con el grupo" in text
    assert "Llamar al 312-555-0100" in text
    assert "¿Se realizó esta reunión?" in text
    assert f'href="/es/meetings/{meeting.slug}/report/"' in html
    assert "Informar un problema con esta reunión" in text
    assert_no_english(
        text,
        "How to attend",
        "Next meeting",
        "How to find the room",
        "Join the online meeting",
        "Questions?",
        "Report a problem",
        "Did this meeting happen?",
        "Tuesday",
    )
    # In English the same text is simply the page's own language.
    english = client.get(f"/meetings/{meeting.slug}/").content.decode()
    assert "How to find the room: <span>Side door, downstairs</span>" in english
    assert 'lang="en">Passcode' not in english


def test_fellowship_pages_in_spanish(client):
    aa = fellowship("AA")

    html, text = spanish_page(client, "/es/fellowships/")
    assert "<h1>Confraternidades</h1>" in html
    assert "De 12 pasos · Para personas en recuperación" in text
    assert "Buscar una reunión hoy" in text

    html, text = spanish_page(client, f"/es/fellowships/{aa.slug}/")
    assert "apoyo entre pares con enfoque de 12 pasos, para personas en recuperación" in html
    assert "Enfoque De 12 pasos" in text
    assert "Para quién es Personas en recuperación" in text
    assert "Buscar reuniones de AA" in text
    assert f'<p class="lead" lang="en">{escape(aa.description)}</p>' in html
    assert_no_english(text, "Approach", "Who it is for", "Find AA meetings", "Groups in this")


def test_suggest_form_in_spanish(client):
    html, text = spanish_page(client, "/es/suggest/")

    assert "<h1>Sugerir un recurso</h1>" in html
    assert 'action="/es/suggest/"' in html
    assert "¿Qué tipo de ayuda es? (obligatorio)" in text
    assert "Solo para grupos de apoyo entre pares: AA, NA, SMART Recovery…" in text
    assert "Su correo electrónico (opcional)" in text
    assert "No necesita una cuenta." in text
    assert "Enviar sugerencia" in text
    assert_no_english(
        text, "What kind of help", "(required)", "No account needed", "Send suggestion"
    )


def test_suggest_form_errors_in_spanish(client):
    data = suggestion_data(listing_kind="", name="", phone="", website="", email="", city="")
    data["region"] = "Illinois"

    response = client.post("/es/suggest/", data)
    html = response.content.decode()
    text = text_of(html)

    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert "<title>Error: Sugerir un recurso" in html
    assert "Hay 4 problemas con el formulario" in text
    for message in (
        "Elija qué tipo de ayuda es.",
        "Escriba el nombre del servicio o del grupo.",
        "Dé al menos una forma de encontrarlo: un número de teléfono, sitio web, "
        "correo electrónico o ciudad.",
        "Escriba el estado con dos letras, por ejemplo IL.",
    ):
        assert text.count(message) == 2, message  # in the summary and beside its field
    assert_no_english(text, "problems with the form", "Choose", "Enter", "Give at least")


def test_one_error_is_a_problem_in_spanish_and_in_english(client):
    data = suggestion_data(region="Illinois")

    assert "Hay un problema con el formulario" in text_of(
        client.post("/es/suggest/", data).content.decode()
    )
    assert "There is a problem with the form" in text_of(
        client.post("/suggest/", data).content.decode()
    )


def test_thank_you_page_in_spanish(client):
    response = client.post("/es/suggest/", suggestion_data())

    reference = Submission.objects.get().reference
    assert re.fullmatch(REFERENCE_PATTERN, reference)
    assert response.status_code == 302
    assert response["Location"] == f"/es/thanks/{reference}/"
    html, text = spanish_page(client, response["Location"])
    assert "<h1>Gracias</h1>" in html
    assert f"Su número de referencia es {reference}" in text
    assert "Un curador lo verificará con el servicio" in text
    assert '<a class="button secondary" href="/es/suggest/">Sugerir otro recurso</a>' in html
    assert_no_english(text, "Thank you", "reference number", "Suggest another")


def test_report_and_confirmation_pages_in_spanish(client):
    meeting = spanish_meeting()

    html, text = spanish_page(client, f"/es/meetings/{meeting.slug}/report/")
    assert "Informar un problema con Esperanza de los martes" in text
    assert "¿Qué está mal? (obligatorio)" in text
    assert "La reunión no se realizó" in text
    assert "Los datos correctos, si los conoce" in text
    assert "Enviar informe" in text
    assert_no_english(text, "What is wrong", "The right details", "Send report")

    html, text = spanish_page(client, f"/es/meetings/{meeting.slug}/confirm/")
    assert "¿Se realizó la reunión Esperanza de los martes?" in text
    assert "Sí, se realizó" in text
    assert f'href="/es/meetings/{meeting.slug}/report/?problem=did_not_happen"' in html
    assert_no_english(text, "Did Esperanza", "Yes, it happened", "Tell us what went wrong")


def test_too_many_submissions_page_in_spanish_gives_the_crisis_lines(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 0

    html, text = spanish_page(client, "/es/suggest/", status=429)

    assert "<h1>Vuelva a intentarlo más tarde</h1>" in html
    assert "Aceptamos hasta 0 sugerencias" in text
    assert "oprima 2 para español" in text
    assert "Línea Nacional de Ayuda de SAMHSA al 1-800-662-4357" in text
    assert "Atiende en español." in text
    assert_no_english(text, "Please try again", "Call or text", "Lifeline")


def test_meeting_calendar_file_in_spanish(client):
    meeting = spanish_meeting()

    response = client.get(f"/es/meetings/{meeting.slug}.ics")
    calendar = response.content.decode().replace("\r\n ", "")

    assert response.status_code == 200
    assert f"Reunión de {meeting.group.fellowship.name} del grupo Grupo Esperanza." in calendar
    assert "Detalles y cambios: http://testserver/es/meetings/" in calendar


def test_new_clients_link_pages_in_spanish_write_the_date_the_spanish_way(client):
    link = NewClientsLink.objects.create(listing=make_treatment_program(name="Lakeside Program"))
    url = f"/es/new-clients/{link.token}/"

    html, text = spanish_page(client, url)
    assert "<h1>¿Lakeside Program está aceptando clientes nuevos?</h1>" in html
    expires = link.expires_at.astimezone(timezone.get_current_timezone())
    with translation.override("es"):
        spanish_date = date_format(expires, r"j \d\e F \d\e Y")
    assert f"Este enlace funciona una sola vez, hasta el {spanish_date}." in text
    assert re.search(r"\d{1,2} de [a-z]+ de 20\d\d", spanish_date)
    assert "Enviar respuesta" in text

    response = client.post(url, {})
    assert response.status_code == 400
    assert "Elija una respuesta." in text_of(response.content.decode())

    response = client.post(url, {"answer": NewClientsAnswer.TAKING})
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "<h1>Gracias</h1>" in response.content.decode()
    assert "confirmado por usted el" in text
    assert "Ver su página en el directorio" in text

    html, text = spanish_page(client, url, status=410)
    assert "<h1>Este enlace ya se usó</h1>" in html
    assert_no_english(text, "This link", "Each link works once", "tell us what to change")


def test_form_sent_without_its_cookie_is_refused_in_spanish(client):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/es/suggest/", suggestion_data())
    text = text_of(response.content.decode())

    assert response.status_code == 403
    assert "No pudimos aceptar el formulario" in text
    assert "Permita las cookies para este sitio" in text
    assert "oprima 2 para español" in text
    assert not Submission.objects.exists()


def test_the_finder_lists_meeting_types_in_spanish_alphabetical_order(client):
    make_meeting(weekday=TUESDAY, types=["O", "W"])
    make_meeting(weekday=TUESDAY, types=["C", "SP", "BE"])
    english = client.get("/meetings/?day=any")
    spanish = client.get("/es/meetings/?day=any")

    def type_labels(response):
        (types,) = [group for group in response.context["groups"] if group[0] == "types"]
        with translation.override(response.context["LANGUAGE_CODE"]):
            return [str(option.label) for option in types[2]]

    assert type_labels(english) == ["Closed", "Newcomer", "Open", "Speaker", "Women"]
    assert type_labels(spanish) == ["Abierta", "Cerrada", "Mujeres", "Orador", "Principiantes"]
