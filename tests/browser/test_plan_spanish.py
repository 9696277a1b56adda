"""My support plan in Spanish in a real browser: every word plan.js shows or writes comes from
the Spanish page (issue 17), and the Spanish guide and plan pages pass axe-core."""

from datetime import time
from pathlib import Path

import icalendar
import pytest
from django.utils.translation import override
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations
from tests.factories import make_meeting, make_place, make_support_group

pytestmark = pytest.mark.browser


def test_the_plan_speaks_spanish_from_saving_to_clearing(page):
    meeting = make_meeting(
        name="Grupo Esperanza",
        group=make_support_group(),
        place=make_place(),
        weekday=2,
        start_time=time(18, 30),
        end_time=time(19, 30),
    )
    with override("es"):
        page.goto(meeting.get_absolute_url())
    button = page.locator("button.save-to-plan")
    expect(button).to_contain_text("Guardar en mi plan")
    button.click()
    expect(button).to_contain_text("Guardado. Quitar de mi plan")

    page.goto("/es/plan/")
    page.get_by_label("Voy a ir a esta reunión").check()
    expect(page.get_by_role("button", name="Quitar Grupo Esperanza")).to_have_text("Quitar")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Agregar mis reuniones a un calendario (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "mis-reuniones.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Mis reuniones"
    status = page.get_by_role("status")
    expect(status).to_have_text("Se creó el archivo de calendario con 1 reunión.")

    page.get_by_label("Nombre", exact=True).fill("Sam")
    page.get_by_label("Teléfono", exact=True).fill("312-555-0100")
    page.get_by_role("button", name="Agregar a esta persona").click()
    expect(status).to_have_text("Se agregó a Sam.")

    page.get_by_role("button", name="Crear un enlace para compartir mi plan").click()
    expect(status).to_have_text("Se creó el enlace. Cópielo y envíeselo a alguien de confianza.")
    assert_no_axe_violations(page)

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Borrar todo mi plan").click()
    expect(status).to_have_text("Su plan se borró.")
    assert messages == ["¿Borrar todo su plan de este dispositivo? No se puede deshacer."]


def test_the_spanish_guides_are_accessible(phone_page):
    for url in ("/es/guides/", "/es/guides/naloxone/", "/es/plan/"):
        phone_page.goto(url)
        assert_no_axe_violations(phone_page)
