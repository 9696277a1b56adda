"""Links from other pages to the guide that explains what they show.

``{% guide_link "category:sober-living" %}`` on a browse page, ``{% guides_for_terms types %}``
under a meeting's types: each guide lists the keys it explains (``Guide.explains``).
"""

from django import template

from guides.models import Guide
from resources.public_cache import kept

register = template.Library()

# Kept until a guide (or anything else public) changes: see resources/public_cache.py.
GUIDE_LINKS_SECONDS = 60 * 60


def _make_guide_links():
    links = {}
    for guide in Guide.objects.published().only("title", "slug", "explains"):
        for key in guide.explained_keys:
            # Guides come in their order: the first that explains a key is its guide.
            links.setdefault(key, {"title": guide.title, "url": guide.get_absolute_url()})
    return links


def guide_links():
    """{explained key: {"title", "url"}} of every published guide, in one query, then kept."""
    return kept("guides", ("links",), _make_guide_links, GUIDE_LINKS_SECONDS)


@register.inclusion_tag("guides/includes/guide_link.html")
def guide_link(key):
    return {"guide": guide_links().get(key)}


@register.inclusion_tag("guides/includes/guides_for_terms.html")
def guides_for_terms(terms):
    """One "What does “Closed” mean?" link per term that a guide explains."""
    links = guide_links()
    explained = []
    for term in terms:
        guide = links.get(f"{term.vocabulary}:{term.code}")
        if guide is not None:
            explained.append({"label": term.label, **guide})
    return {"explained": explained}
