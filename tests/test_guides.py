"""Guides: the shipped ones render, link only to pages that exist and are two clicks from
home; curators edit them with history; bodies are sanitized; archived guides are kept."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guides.content import create_missing_guides, shipped_guides
from guides.markup import render_markdown
from guides.models import Guide, GuideKeptError, GuideStatus
from tests.factories import days_ago, make_curator, make_meeting, term
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

SHIPPED = [guide["slug"] for guide in shipped_guides()]
# The slugs other parts of the site link to (the search box's "what is suboxone" answers).
PROMISED_SLUGS = {
    "kinds-of-help",
    "levels-of-care",
    "medication-for-opioid-use-disorder",
    "naloxone",
    "sober-living",
    "peer-support-groups",
    "open-and-closed-meetings",
    "helping-a-loved-one",
    "support-plan",
    "paying-for-treatment",
}


def links_in_main(html):
    """The href of every link inside <main>, unescaped, in order."""
    main = re.search(r"<main\b.*?</main>", html, re.DOTALL)[0]
    return [unescape(href) for href in re.findall(r'<a [^>]*href="([^"]*)"', main)]


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def guide_fields(**fields):
    return {
        "title": "A test guide",
        "slug": "a-test-guide",
        "summary": "A summary.",
        "body": "## Heading\n\nSome text.",
        "sources": "NIDA | https://nida.nih.gov/",
        "reviewed_on": days_ago(1),
        **fields,
    }


# The shipped guides


def test_every_shipped_guide_is_published_after_migrate():
    assert set(Guide.objects.published().values_list("slug", flat=True)) == set(SHIPPED)
    assert set(SHIPPED) == PROMISED_SLUGS


def test_the_list_shows_every_published_guide_in_order(client):
    Guide.objects.create(**guide_fields(status=GuideStatus.DRAFT))
    html = page(client, reverse("guides:index"))
    titles = re.findall(r'<h2><a href="/guides/[^"]+/">([^<]+)</a></h2>', html)
    assert titles == [unescape(g.title) for g in Guide.objects.published().filter(language="en")]
    assert len(titles) == len(SHIPPED)
    assert "A test guide" not in html


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_guide_renders_with_its_sources_and_review_date(client, slug):
    guide = Guide.objects.get(slug=slug, language="en")
    text = text_of(page(client, guide.get_absolute_url()))
    assert guide.title in text
    assert f"Reviewed on {guide.reviewed_on:%B} {guide.reviewed_on.day}, " in text
    for source in guide.source_links:
        assert source.label in text
        assert source.url.startswith("https://")
    assert guide.search_links, "each guide ends in the searches it explains"
    for search in guide.search_links:
        assert search.label in text


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_guide_is_short(slug):
    words = len(Guide.objects.get(slug=slug, language="en").body.split())
    assert 300 <= words <= 700


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_link_in_a_guide_leads_to_a_page_that_exists(client, slug):
    html = page(client, reverse("guides:detail", kwargs={"slug": slug}))
    internal = [url for url in links_in_main(html) if url.startswith("/")]
    assert internal
    for url in internal:
        page(client, url)
    others = [url for url in links_in_main(html) if not url.startswith("/")]
    assert all(urlsplit(url).scheme in {"https", "tel"} for url in others), others


def test_every_guide_is_within_two_clicks_of_home(client):
    def internal_links(url):
        html = page(client, url)
        return {urlsplit(href).path for href in re.findall(r'href="(/[^"]*)"', html)}

    one_click = internal_links(reverse("directory:home"))
    assert reverse("guides:index") in one_click
    reached = set(one_click)
    for url in one_click:
        if url.startswith("/guides/") or url == reverse("guides:plan"):
            reached |= internal_links(url)
    assert {reverse("guides:detail", kwargs={"slug": slug}) for slug in SHIPPED} <= reached


def test_the_guides_shipped_never_overwrite_what_curators_changed():
    guide = Guide.objects.get(slug="naloxone", language="en")
    guide.title = "Naloxone, as a curator put it"
    guide.save()
    Guide.objects.filter(slug="sober-living").update(status=GuideStatus.ARCHIVED)
    assert create_missing_guides(Guide) == 0
    assert (
        Guide.objects.get(slug="naloxone", language="en").title == "Naloxone, as a curator put it"
    )
    assert Guide.objects.get(slug="sober-living", language="en").status == GuideStatus.ARCHIVED


def test_a_shipped_guide_has_its_first_history_row():
    row = Guide.objects.get(slug="naloxone", language="en").history.earliest()
    assert (row.history_type, row.history_change_reason) == ("+", "Shipped with the site")


# Links from other pages


def test_a_browse_page_links_to_the_guide_that_explains_it(client):
    html = page(client, reverse("directory:browse", kwargs={"category": "medication"}))
    assert 'href="/guides/medication-for-opioid-use-disorder/"' in html
    assert "New to this? Read our guide: Medication for opioid and alcohol use disorder" in (
        text_of(html)
    )


def test_a_closed_meeting_links_to_the_guide_to_open_and_closed_meetings(client):
    meeting = make_meeting(types=["C"])
    html = page(client, meeting.get_absolute_url())
    assert "What does “Closed” mean? Read our guide: Open and closed meetings" in text_of(html)
    assert 'href="/guides/open-and-closed-meetings/"' in html


def test_an_archived_guide_is_no_longer_linked(client):
    Guide.objects.filter(slug="open-and-closed-meetings").update(status=GuideStatus.ARCHIVED)
    meeting = make_meeting(types=["C"])
    assert "/guides/open-and-closed-meetings/" not in page(client, meeting.get_absolute_url())


def test_a_term_explained_by_no_guide_gets_no_link(client):
    assert term("meeting_type", "B").label == "Big Book"
    html = page(client, make_meeting(types=["B"]).get_absolute_url())
    assert "What does “Big Book” mean?" not in text_of(html)


# Sanitized markup


def test_the_body_keeps_simple_markdown():
    html = render_markdown("## Ask\n\n- **one**\n- [two](https://nida.nih.gov/)\n")
    assert html == (
        "<h2>Ask</h2>\n<ul>\n<li><strong>one</strong></li>\n"
        '<li><a href="https://nida.nih.gov/">two</a></li>\n</ul>'
    )


def test_scripts_and_event_attributes_are_stripped():
    html = render_markdown(
        'Hi <script>alert("x")</script><img src="x" onerror="alert(1)">'
        '<a href="javascript:alert(1)" onclick="alert(2)">link</a>'
        '<p style="color:red" onmouseover="alert(3)">text</p><iframe src="https://x.test"></iframe>'
    )
    for unsafe in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "javascript:",
        "<img",
        "style=",
        "<iframe",
    ):
        assert unsafe not in html
    assert "link" in html and "text" in html


def test_a_guide_page_shows_the_sanitized_body(client):
    guide = Guide.objects.create(
        **guide_fields(status=GuideStatus.PUBLISHED, body='Safe.<script>alert("x")</script>')
    )
    html = page(client, guide.get_absolute_url())
    assert "Safe." in html
    assert 'alert("x")' not in html


# Curators, history and archiving


def test_a_curator_edits_a_guide_in_the_admin_with_history(client):
    curator = make_curator()
    client.force_login(curator)
    guide = Guide.objects.get(slug="naloxone", language="en")
    before = guide.history.count()
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "language": guide.language,
        "summary": "A new summary.",
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
    guide.refresh_from_db()
    assert guide.summary == "A new summary."
    assert guide.history.count() == before + 1
    latest = guide.history.latest()
    assert (latest.history_user, latest.summary) == (curator, "A new summary.")
    assert guide.history.earliest().summary != "A new summary."


def test_a_curator_may_not_delete_a_guide(client):
    client.force_login(make_curator())
    guide = Guide.objects.get(slug="naloxone", language="en")
    response = client.post(reverse("admin:guides_guide_delete", args=[guide.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Guide.objects.filter(pk=guide.pk).exists()


def test_a_published_guide_is_never_deleted():
    guide = Guide.objects.get(slug="naloxone", language="en")
    with pytest.raises(GuideKeptError):
        guide.delete()
    draft = Guide.objects.create(**guide_fields())
    draft.delete()
    assert not Guide.objects.filter(slug="a-test-guide").exists()


def test_an_archived_guide_is_gone_for_visitors_but_kept(client):
    guide = Guide.objects.get(slug="sober-living", language="en")
    guide.status = GuideStatus.ARCHIVED
    guide.save()
    html = page(client, guide.get_absolute_url(), status=410)
    assert "This guide has been taken down" in html
    assert guide.title not in page(client, reverse("guides:index"))
    assert Guide.objects.filter(slug="sober-living", status=GuideStatus.ARCHIVED).exists()
    assert guide.history.latest().status == GuideStatus.ARCHIVED


def test_a_draft_or_unknown_guide_is_not_found(client):
    Guide.objects.create(**guide_fields())
    page(client, reverse("guides:detail", kwargs={"slug": "a-test-guide"}), status=404)
    page(client, reverse("guides:detail", kwargs={"slug": "no-such-guide"}), status=404)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sources", "NIDA https://nida.nih.gov/", "should read “label | address”"),
        ("sources", "NIDA | http://nida.nih.gov/", "is not a full https:// address"),
        ("searches", "Elsewhere | https://example.com/", "is not a page of this site"),
        ("searches", "Nowhere | /no-such-page/", "is not a page of this site"),
        ("explains", "category:sober-living colour:blue", "Unknown: colour:blue"),
    ],
)
def test_a_guide_explains_its_mistakes_to_curators(field, value, message):
    guide = Guide(**guide_fields(**{field: value}))
    with pytest.raises(ValidationError) as error:
        guide.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_a_well_formed_guide_is_valid():
    Guide(
        **guide_fields(
            searches="Find buprenorphine | /browse/medication/?medication=buprenorphine",
            explains="category:medication kind:clinician meeting_type:C",
        )
    ).full_clean()


def test_the_admin_shows_a_guides_history(admin_client):
    guide = Guide.objects.get(slug="naloxone", language="en")
    guide.summary = "Changed."
    guide._change_reason = "A clearer summary"
    guide.save()
    html = admin_client.get(reverse("admin:guides_guide_history", args=[guide.pk])).content
    assert "A clearer summary" in html.decode()
    assert "Shipped with the site" in html.decode()


def test_the_sitemap_lists_the_published_guides(client):
    Guide.objects.filter(slug="sober-living").update(status=GuideStatus.ARCHIVED)
    assert "/sitemap-guides.xml" in client.get("/sitemap.xml").content.decode()
    listed = client.get("/sitemap-guides.xml").content.decode()
    assert "/guides/naloxone/" in listed
    assert "/guides/sober-living/" not in listed
