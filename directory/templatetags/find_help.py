"""Helpers for the search and browse pages: distances, kinds in plain words, browse links.

Like ``directory``, they only rearrange what the view loaded and never query the database.
"""

from django import template
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.categories import BY_KIND
from resources.models import ListingKind

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
    specific = listing.specific
    match listing.kind:
        case ListingKind.CLINICIAN:
            return specific.get_role_display()
        case ListingKind.TREATMENT_PROGRAM:
            if specific.is_opioid_treatment_program:
                return _("Treatment program and methadone clinic")
            return _("Treatment program")
        case ListingKind.SOBER_LIVING_HOME:
            return _("Sober living home for %(who)s") % {
                "who": specific.get_serves_display().lower()
            }
        case ListingKind.HELPLINE:
            return specific.get_helpline_type_display()
        case ListingKind.COMMUNITY_RESOURCE:
            return specific.get_resource_type_display()
        case ListingKind.SUPPORT_GROUP:
            return _("Peer support group: %(fellowship)s") % {
                "fellowship": specific.fellowship.name
            }
    return listing.get_kind_display()


@register.filter
def browse_url(kind):
    """The browse page of a kind of listing, for breadcrumbs: "" if there is none."""
    category = BY_KIND.get(kind)
    return category.get_absolute_url() if category else ""


@register.filter
def key_facts(listing):
    """The few facts a result shows before anyone opens it, in plain words."""
    specific = listing.specific
    facts = []
    if listing.open_24_7:
        facts.append(_("Open 24/7"))
    if listing.offers_online:
        facts.append(_("Online or video"))
    if listing.offers_phone:
        facts.append(_("By phone"))
    if listing.kind == ListingKind.CLINICIAN:
        if specific.accepting_new_clients:
            facts.append(_("Taking new clients"))
        else:
            facts.append(_("Not taking new clients now"))
    if listing.kind == ListingKind.SOBER_LIVING_HOME and specific.beds_available is not None:
        when = dateformat.format(specific.beds_updated_on, "M j")
        if specific.beds_available:
            facts.append(
                ngettext(
                    "%(n)s open bed on %(when)s",
                    "%(n)s open beds on %(when)s",
                    specific.beds_available,
                )
                % {"n": specific.beds_available, "when": when}
            )
        else:
            facts.append(_("No open beds on %(when)s") % {"when": when})
    # Prefetched by the search page (RESULT_VOCABULARIES), in their vocabulary's order.
    facts += [term.label for term in listing.result_terms]
    return facts


@register.filter
def select_options(filterset, name):
    """``{% for value, label, selected in filterset|select_options:"radius" %}``."""
    return filterset.select_options(name)


@register.filter
def tick(filterset, name):
    """The checkbox ``name`` if this page offers it: ``{% with t=filterset|tick:"remote" %}``."""
    return filterset.tick(name)
