"""Formatting for the meeting finder and meeting pages; none of it touches the database."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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


@register.simple_tag
def checkbox_items(name, options):
    """The ``<li>`` checkboxes of one of the finder's filters, from (value, label, checked).

    Written here rather than as a template loop: the finder has about 130 of them.
    """
    return format_html_join(
        "\n",
        '<li><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{1}"{2}> '
        '<label for="f-{0}-{1}">{3}</label></li>',
        (
            (name, value, mark_safe(" checked") if checked else "", label)
            for value, label, checked in options
        ),
    )
