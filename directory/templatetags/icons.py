"""The site's small line icons, drawn inline so they cost no request and follow the text colour.

``{{ listing.kind|kind_icon }}`` for a kind of listing and ``{{ category.slug|category_icon }}``
for a browse category or the home page's cards. Every icon is decoration beside words that
say the same, so screen readers skip it (``aria-hidden``). The buttons' icons (call, text,
directions, email, website) and the clock are drawn by static/css/site.css instead, so a
page of results carries no markup for them.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# 24×24 outlines, stroked in the current text colour. Drawn for this site.
PATHS = {
    "clinician": (
        '<circle cx="10" cy="7" r="4"/>',
        '<path d="M2 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1"/>',
        '<path d="M19 3v6M16 6h6"/>',
    ),
    "treatment": (
        '<path d="M4 21V8l8-5 8 5v13z"/>',
        '<path d="M12 9v7M8.5 12.5h7"/>',
        '<path d="M2 21h20"/>',
    ),
    "medication": (
        '<path d="M10.5 20.5a5 5 0 0 1-7-7l10-10a5 5 0 0 1 7 7z"/>',
        '<path d="M8.5 8.5l7 7"/>',
    ),
    "home": (
        '<path d="M3 11l9-8 9 8"/>',
        '<path d="M5 9.5V21h14V9.5"/>',
        '<path d="M10 21v-6h4v6"/>',
    ),
    "helpline": (
        '<path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2'
        'A16 16 0 0 1 3 5a2 2 0 0 1 2-2z"/>',
    ),
    "community": (
        '<path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z"/>',
    ),
    "group": (
        '<circle cx="12" cy="8" r="3"/>',
        '<circle cx="4.5" cy="10" r="2"/>',
        '<circle cx="19.5" cy="10" r="2"/>',
        '<path d="M7 20v-1a5 5 0 0 1 10 0v1"/>',
        '<path d="M1.5 19v-.5a3 3 0 0 1 3-3M22.5 19v-.5a3 3 0 0 0-3-3"/>',
    ),
    "family": (
        '<circle cx="7" cy="6" r="3"/>',
        '<circle cx="17" cy="6" r="3"/>',
        '<circle cx="12" cy="14" r="2"/>',
        '<path d="M2 20v-3a4 4 0 0 1 4-4h1M22 20v-3a4 4 0 0 0-4-4h-1M9 21v-.5a3 3 0 0 1 6 0v.5"/>',
    ),
    "meetings": (
        '<rect x="3" y="5" width="18" height="16" rx="2"/>',
        '<path d="M3 10h18M8 3v4M16 3v4"/>',
        '<path d="M8 15h3"/>',
    ),
    "fellowship": (
        '<path d="M3 5h6a3 3 0 0 1 3 3v13a2 2 0 0 0-2-2H3z"/>',
        '<path d="M21 5h-6a3 3 0 0 0-3 3v13a2 2 0 0 1 2-2h7z"/>',
    ),
}

KIND_ICONS = {
    "clinician": "clinician",
    "treatment_program": "treatment",
    "sober_living_home": "home",
    "helpline": "helpline",
    "community_resource": "community",
    "support_group": "group",
}

CATEGORY_ICONS = {
    "doctors-and-therapists": "clinician",
    "treatment-programs": "treatment",
    "medication": "medication",
    "sober-living": "home",
    "hotlines-and-online-help": "helpline",
    "community-resources": "community",
    "peer-support-groups": "group",
    "family-and-friends": "family",
    "meetings": "meetings",
    "fellowships": "fellowship",
}


def svg(name):
    """The inline ``<svg>`` of the icon ``name``; nothing for a name without one."""
    paths = PATHS.get(name)
    if paths is None:
        return ""
    return format_html(
        '<svg class="icon icon-{}" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
        'focusable="false" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        name,
        mark_safe("".join(paths)),  # noqa: S308 -- the constant paths above, never input
    )


@register.filter
def kind_icon(kind):
    return svg(KIND_ICONS.get(str(kind), ""))


@register.filter
def category_icon(slug):
    return svg(CATEGORY_ICONS.get(str(slug), ""))
