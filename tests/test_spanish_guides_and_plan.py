"""The guides and My support plan in Spanish (issue 17): /es/guides/ and /es/plan/ show
Spanish, the English pages stay as they were, other pages link to the guide in their own
language, and the shipped translations load once and never overwrite a curator's edit."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation import override

from guides.content import create_missing_guides, shipped_guides
from guides.models import Guide, GuideStatus
from tests.factories import days_ago, make_clinician, make_curator, make_meeting
from tests.helpers import PROJECT_DIR, text_of

pytestmark = pytest.mark.django_db

SLUGS = [guide["slug"] for guide in shipped_guides()]
PLAN_JS = Path(PROJECT_DIR, "static/js/plan.js").read_text(encoding="utf-8")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    assert not response.cookies, "the language comes from the address, never a cookie"
    return response.content.decode()


def main_of(html):
    return re.search(r"<main\b.*?</main>", html, re.DOTALL)[0]


def spanish(slug):
    return Guide.objects.get(slug=slug, language="es")


def english(slug):
    return Guide.objects.get(slug=slug, language="en")


# The shipped translations


def test_every_shipped_guide_has_a_spanish_version_published_after_migrate():
    assert [guide["slug"] for guide in shipped_guides("es")] == SLUGS
    published = Guide.objects.published().filter(language="es")
    assert set(published.values_list("slug", flat=True)) == set(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_translation_keeps_the_english_guides_sources_order_and_subjects(slug):
    es, en = spanish(slug), english(slug)
    assert [link.url for link in es.source_links] == [link.url for link in en.source_links]
    assert (es.explains, es.position, es.reviewed_on) == (en.explains, en.position, en.reviewed_on)
    assert es.title != en.title and es.body != en.body
    # Its searches and links lead to the Spanish pages of this site.
    assert len(es.search_links) == len(en.search_links)
    assert all(link.url.startswith("/es/") for link in es.search_links)
    internal = re.findall(r"\]\((/[^)]*)\)", es.body)
    assert all(url.startswith("/es/") for url in internal), internal
    assert 0.8 <= len(es.body.split()) / len(en.body.split()) <= 1.5, "a whole translation"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_link_in_a_spanish_guide_leads_to_a_spanish_page_that_exists(client, slug):
    html = main_of(page(client, f"/es/guides/{slug}/"))
    internal = {unescape(href) for href in re.findall(r'<a [^>]*href="(/[^"]*)"', html)}
    assert internal
    for url in sorted(internal):
        assert url.startswith("/es/"), url
        page(client, url)


# The pages


def test_the_spanish_list_shows_the_spanish_titles_in_order(client):
    html = page(client, "/es/guides/")
    titles = re.findall(r'<h2><a href="/es/guides/[^"]+/">([^<]+)</a></h2>', html)
    assert titles == [
        unescape(guide.title) for guide in Guide.objects.published().filter(language="es")
    ]
    assert len(titles) == len(SLUGS)
    assert '<html lang="es">' in html
    text = text_of(html)
    assert "Guías de apoyo para la recuperación" in text
    assert "Haga su propio plan de apoyo: se queda en su dispositivo." in text
    assert english("naloxone").title not in text
    assert 'href="/es/plan/"' in html


def test_a_spanish_guide_page_is_in_spanish_with_its_sources(client):
    guide = spanish("naloxone")
    html = page(client, "/es/guides/naloxone/")
    text = text_of(html)
    assert f"<h1>{guide.title}</h1>" in html
    assert "Si alguien podría estar sufriendo una sobredosis, llame al 911." in text
    assert "Revisada el 6 de diciembre de 2026 con las fuentes que aparecen abajo." in text
    assert "Encuéntrelo cerca de usted" in text and "Fuentes" in text
    for source in guide.source_links:
        assert f'<a href="{source.url}">{source.label}</a>' in html
    assert '<a class="button" href="/es/search/?medication=naloxone">' in html
    assert 'href="/es/guides/medication-for-opioid-use-disorder/"' in html
    assert "Reviewed on" not in text and "Find it near you" not in text


def test_the_english_guide_page_is_unchanged(client):
    guide = english("naloxone")
    html = page(client, "/guides/naloxone/")
    text = text_of(html)
    assert '<html lang="en">' in html
    assert f"<h1>{guide.title}</h1>" in html
    assert "Reviewed on December 6, 2026 against the sources below." in text
    assert "Find it near you" in text and "Sources" in text
    assert spanish("naloxone").title not in text
    assert "/es/" not in main_of(html)


def test_a_guide_not_translated_yet_is_shown_in_english_and_marked_so(client):
    Guide.objects.create(
        title="A curator's new guide",
        slug="a-new-guide",
        summary="Only in English for now.",
        body="## Heading\n\nSome text.",
        sources="NIDA | https://nida.nih.gov/",
        reviewed_on=days_ago(1),
        status=GuideStatus.PUBLISHED,
        position=5,
    )
    listed = page(client, "/es/guides/")
    assert re.search(r'<li class="card" lang="en">\s*<h2><a href="/guides/a-new-guide/">', listed)
    html = page(client, "/es/guides/a-new-guide/")
    assert '<h1 lang="en">A curator&#x27;s new guide</h1>' in html
    assert "Esta guía todavía no está traducida: aquí está en inglés." in text_of(html)


def test_a_spanish_guide_archived_is_gone_not_replaced_by_the_english_one(client):
    guide = spanish("sober-living")
    guide.status = GuideStatus.ARCHIVED
    guide.save()
    html = page(client, "/es/guides/sober-living/", status=410)
    assert "Esta guía ya no está disponible" in text_of(html)
    assert "/guides/sober-living/" not in page(client, "/es/guides/")
    page(client, "/guides/sober-living/")  # the English one is still up


def test_a_draft_translation_leaves_the_english_guide_in_its_place(client):
    Guide.objects.filter(slug="naloxone", language="es").update(status=GuideStatus.DRAFT)
    html = page(client, "/es/guides/naloxone/")
    assert f'<h1 lang="en">{english("naloxone").title}</h1>' in html


# Links from other pages, in the page's language


def test_a_spanish_browse_page_links_to_the_spanish_guide(client):
    html = page(client, "/es/browse/medication/")
    guide = spanish("medication-for-opioid-use-disorder")
    assert f'<a href="/es/guides/medication-for-opioid-use-disorder/">{guide.title}</a>' in html
    assert f"¿Es nuevo en esto? Lea nuestra guía: {guide.title}" in text_of(html)
    english_html = page(client, "/browse/medication/")
    assert 'href="/guides/medication-for-opioid-use-disorder/"' in english_html
    assert guide.title not in english_html


def test_a_guide_not_translated_yet_is_linked_from_a_spanish_page_marked_english(client):
    Guide.objects.create(
        title="Moving into a recovery home",
        slug="moving-in",
        summary="Only in English for now.",
        body="Some text.",
        sources="NIDA | https://nida.nih.gov/",
        explains="category:sober-living",
        reviewed_on=days_ago(1),
        status=GuideStatus.PUBLISHED,
        position=1,  # before the shipped guide that explains sober living
    )
    html = page(client, "/es/browse/sober-living/")
    assert (
        '<a href="/guides/moving-in/" lang="en" hreflang="en">Moving into a recovery home</a>'
    ) in html


def test_a_spanish_meeting_page_explains_its_closed_tag_with_the_spanish_guide(client):
    meeting = make_meeting(types=["C"])
    with override("es"):
        url = meeting.get_absolute_url()
    assert url.startswith("/es/")
    html = page(client, url)
    assert 'href="/es/guides/open-and-closed-meetings/"' in html
    assert f"Lea nuestra guía: {spanish('open-and-closed-meetings').title}" in text_of(html)


def test_the_sitemap_lists_both_languages(client):
    listed = page(client, "/sitemap-guides.xml")
    for slug in SLUGS:
        assert f"/guides/{slug}/</loc>" in listed
        assert f"/es/guides/{slug}/</loc>" in listed


# The shipped guides load once, and curators' edits stay


def test_loading_the_shipped_guides_twice_changes_nothing():
    before = list(Guide.objects.order_by("pk").values())
    histories = Guide.history.count()
    assert create_missing_guides(Guide) == 0
    assert create_missing_guides(Guide) == 0
    assert list(Guide.objects.order_by("pk").values()) == before
    assert Guide.history.count() == histories
    assert Guide.objects.count() == 2 * len(SLUGS)


def test_a_missing_translation_is_added_once_with_its_history():
    # As on a site that had the English guides before the translations shipped.
    Guide.objects.filter(slug="naloxone", language="es").delete()
    assert create_missing_guides(Guide) == 1
    assert create_missing_guides(Guide) == 0
    row = spanish("naloxone").history.latest()
    assert (row.history_type, row.history_change_reason) == ("+", "Shipped with the site")


def test_a_curators_edit_of_a_spanish_guide_is_kept_by_the_loader(client):
    curator = make_curator()
    client.force_login(curator)
    guide = spanish("naloxone")
    data = {
        "title": "Naloxona, como la escribió una curadora",
        "slug": guide.slug,
        "language": "es",
        "summary": guide.summary,
        "status": guide.status,
        "position": guide.position,
        "body": guide.body,
        "sources": guide.sources,
        "reviewed_on": days_ago(0).isoformat(),
        "searches": guide.searches,
        "explains": guide.explains,
        "_save": "Save",
    }
    response = client.post(reverse("admin:guides_guide_change", args=[guide.pk]), data)
    assert response.status_code == 302
    assert create_missing_guides(Guide) == 0
    guide.refresh_from_db()
    assert guide.title == "Naloxona, como la escribió una curadora"
    assert guide.history.latest().history_user == curator
    assert english("naloxone").title == "Naloxone: reversing an opioid overdose"
    client.logout()
    assert "Naloxona, como la escribió una curadora" in page(client, "/es/guides/naloxone/")


def test_one_guide_per_slug_and_language_in_the_admin(admin_client):
    guide = spanish("naloxone")
    data = {
        "title": "Otra naloxona",
        "slug": "naloxone",
        "language": "es",
        "summary": "Resumen.",
        "status": GuideStatus.DRAFT,
        "position": 0,
        "body": "Texto.",
        "sources": guide.sources,
        "reviewed_on": days_ago(0).isoformat(),
        "searches": "",
        "explains": "",
        "_save": "Save",
    }
    response = admin_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 200
    assert "Guide with this Slug and Language already exists." in response.content.decode()
    assert Guide.objects.filter(slug="naloxone").count() == 2


def test_a_curator_may_link_a_spanish_guide_to_spanish_pages():
    guide = spanish("naloxone")
    guide.searches = "Buscar naloxona | /es/search/?medication=naloxone\nInicio | /es/"
    guide.full_clean()
    guide.searches = "Ninguna | /es/no-such-page/"
    with pytest.raises(Exception, match="is not a page of this site"):
        guide.full_clean()


# My support plan


PLAN_TEXTS_ES = [
    "Mi plan de apoyo",
    "Su plan se queda en este dispositivo. Nosotros nunca lo vemos.",
    "Su navegador no está ejecutando JavaScript",
    "Personas a quienes puedo llamar",
    "Reuniones a las que iré",
    "Mis señales de alerta",
    "Mis razones para recuperarme",
    "Lugares y reuniones",
    "Agregar a esta persona",
    "Imprimir mi plan",
    "Borrar todo mi plan",
]


def test_the_plan_page_is_in_spanish(client):
    html = page(client, "/es/plan/")
    text = text_of(html)
    assert '<html lang="es">' in html
    for words in PLAN_TEXTS_ES:
        assert words in text, words
    for words in ("My support plan", "People I can call", "Print my plan", "Nothing saved yet"):
        assert words not in text, words
    assert 'href="/es/guides/support-plan/"' in html
    assert 'href="/es/meetings/"' in html


def test_the_printed_plan_and_its_crisis_block_are_in_spanish(client):
    html = page(client, "/es/plan/")
    blank = re.search(r'<div class="plan-sheet">.*?<div id="plan-app"', html, re.S)[0]
    assert text_of(blank).count("Nombre y número:") == 3
    blocks = re.findall(r'<section class="plan-crisis".*?</section>', html, re.S)
    assert len(blocks) == 2  # the blank one to print, and the one in the editor
    for block in blocks:
        text = text_of(block)
        assert "Si estoy en crisis" in text
        assert "Llame o envíe un mensaje de texto al 988" in text
        assert "oprima 2" in text
        assert "Línea Nacional de Ayuda de SAMHSA, 1-800-662-4357" in text
        assert "también en español" in text
        assert 'href="tel:988"' in block and 'href="tel:18006624357"' in block
    assert "Además, en una crisis, voy a" in text_of(blocks[1])


def test_what_plan_js_writes_comes_from_the_page_in_its_language(client):
    words = dict(re.findall(r'data-text-([a-z-]+)="([^"]*)"', page(client, "/es/plan/")))
    assert words["going"] == "Voy a ir a esta reunión"
    assert words["remove-named"] == "Quitar {name}"
    assert words["calendar-many"] == "Se creó el archivo de calendario con {count} reuniones."
    assert (
        words["confirm-clear"] == "¿Borrar todo su plan de este dispositivo? No se puede deshacer."
    )
    english_words = dict(re.findall(r'data-text-([a-z-]+)="([^"]*)"', page(client, "/plan/")))
    assert english_words.keys() == words.keys()
    # The script keeps none of them: every sentence it shows comes from the page.
    for sentence in english_words.values():
        assert sentence.replace("{name}", "").replace("{count}", "").strip() not in PLAN_JS
    for key in english_words:
        assert f'words("{key}"' in PLAN_JS, key


def test_save_buttons_on_spanish_pages_carry_spanish_labels(client):
    listing = make_clinician(name="Dr. Ada Plan")
    with override("es"):
        url = listing.get_absolute_url()
    html = page(client, url)
    assert 'data-save-label="Guardar en mi plan"' in html
    assert 'data-saved-label="Guardado. Quitar de mi plan"' in html
    assert '<span class="save-label">Guardar en mi plan</span>' in html
    assert "Saved. Remove from my plan" not in PLAN_JS


def test_the_admin_lists_the_guides_of_each_language(admin_client):
    html = admin_client.get(reverse("admin:guides_guide_changelist") + "?language=es").content
    html = html.decode()
    assert spanish("naloxone").title in html
    assert english("naloxone").title not in html
