"""Links from other pages to the guide that explains what they show.

``{% guide_link "category:sober-living" %}`` on a browse page, ``{% guides_for_terms types %}``
under a meeting's types: each guide lists the keys it explains (``Guide.explains``).
"""

from django import template
from django.utils.translation import get_language

from guides.models import Guide
from resources.public_cache import kept

register = template.Library()

# Kept until a guide (or anything else public) changes: see resources/public_cache.py.
GUIDE_LINKS_SECONDS = 60 * 60


def _make_guide_links(language):
    links = {}
    guides = Guide.objects.published().for_language(language)
    for guide in guides.only("title", "slug", "language", "explains"):
        for key in guide.explained_keys:
            # Guides come in their order: the first that explains a key is its guide.
            links.setdefault(
                key,
                {
                    "title": guide.title,
                    "url": guide.get_absolute_url(),
                    # An English guide on a Spanish page says so (WCAG 3.1.2).
                    "lang": "" if guide.language == language else guide.language,
                },
            )
    return links


def guide_links(language=None):
    """{explained key: {"title", "url", "lang"}} of every published guide in the page's
    language (or English where none), in one query, then kept."""
    language = language or get_language()
    return kept(
        "guides", ("links", language), lambda: _make_guide_links(language), GUIDE_LINKS_SECONDS
    )


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
            explained.append({"label": term.display_label, **guide})
    return {"explained": explained}
