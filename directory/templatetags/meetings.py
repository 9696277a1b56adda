"""Formatting for the meeting finder and meeting pages; none of it touches the database."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def distance_text(miles):
    """ "0.4 miles away", "12 miles away" from a distance in miles (None: "")."""
    if miles is None:
        return ""
    miles = float(miles)
    shown = f"{miles:.1f}" if miles < 10 else f"{miles:.0f}"
    return ngettext("%(n)s mile away", "%(n)s miles away", 1 if shown == "1.0" else 2) % {
        "n": shown
    }
