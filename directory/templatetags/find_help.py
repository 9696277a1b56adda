"""Helpers for the search and browse pages: distances, kinds in plain words, browse links.

Like ``directory``, they only rearrange what the view loaded and never query the database.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.categories import BY_KIND
from resources.models import Listing

register = template.Library()


@register.filter
def miles(distance):
    """ "2.3 miles", "1 mile", "less than 0.1 miles" for a distance in miles."""
    if distance is None or distance == "":
        return ""
    distance = float(distance)
    if distance < 0.05:
        return _("less than 0.1 miles")
    rounded = round(distance, 1)
    shown = f"{rounded:g}" if rounded < 10 else f"{round(distance):d}"
    return ngettext("%(n)s mile", "%(n)s miles", 1 if shown == "1" else 2) % {"n": shown}


@register.filter
def how_far(listing):
    """ "2.3 miles away"; "About …" when only the town's position is public."""
    if listing.distance < 0.05:
        return _("Less than 0.1 miles away")
    if listing.address_is_public:
        return _("%(miles)s away") % {"miles": miles(listing.distance)}
    return _("About %(miles)s away") % {"miles": miles(listing.distance)}


@register.filter
def kind_phrase(listing):
    """What the listing is, in the words a visitor would use: "Therapist or counselor"."""
    return listing.specific.kind_phrase()


@register.filter
def browse_url(kind):
    """The browse page of a kind of listing, for breadcrumbs: "" if there is none."""
    category = BY_KIND.get(kind)
    return category.get_absolute_url() if category else ""


@register.filter
def key_facts(listing):
    """The few facts a result shows before anyone opens it, in plain words: how to get the
    help, then what the listing's kind says of itself (``kind_facts()``), then its terms."""
    facts = []
    if listing.open_24_7:
        facts.append(_("Open 24/7"))
    if listing.offers_online:
        facts.append(Listing.delivery_label("offers_online"))
    if listing.offers_phone:
        facts.append(Listing.delivery_label("offers_phone"))
    facts += listing.specific.kind_facts()
    # Prefetched by the search page (RESULT_VOCABULARIES), in their vocabulary's order.
    facts += [term.display_label for term in listing.result_terms]
    return facts


@register.filter
def select_options(filterset, name):
    """``{% for value, label, selected in filterset|select_options:"radius" %}``."""
    return filterset.select_options(name)


@register.filter
def tick(filterset, name):
    """The checkbox ``name`` if this page offers it: ``{% with t=filterset|tick:"remote" %}``."""
    return filterset.tick(name)


@register.simple_tag
def result_count(page, filterset):
    """The results' heading: "12 results for “detox” near Chicago, IL", "No results near …",
    one whole sentence per case so that every language can order it its own way."""
    count = page.paginator.count
    searched = filterset.text_search.searches
    near = bool(filterset.location)
    values = {
        "total": intcomma(count),
        "text": filterset.searched_text,
        "place": filterset.location.label if near else "",
    }
    if not count:
        if searched and near:
            return _("No results for “%(text)s” near %(place)s") % values
        if searched:
            return _("No results for “%(text)s”") % values
        if near:
            return _("No results near %(place)s") % values
        return _("No results")
    if filterset.more_than_cap:
        # Words and no place: only the first matches found are shown (ListingFilter.cap).
        return _("%(total)s+ results for “%(text)s”") % values
    if searched and near:
        message = ngettext(
            "%(total)s result for “%(text)s” near %(place)s",
            "%(total)s results for “%(text)s” near %(place)s",
            count,
        )
    elif searched:
        message = ngettext(
            "%(total)s result for “%(text)s”", "%(total)s results for “%(text)s”", count
        )
    elif near:
        message = ngettext(
            "%(total)s result near %(place)s", "%(total)s results near %(place)s", count
        )
    else:
        message = ngettext("%(total)s result", "%(total)s results", count)
    return message % values
