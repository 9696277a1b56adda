"""The same page in the site's other languages: the language link and the hreflang links.

English pages live at today's addresses and every other language under its code (/es/…),
so "the same page in Spanish" is the address of the same view and arguments with Spanish
active (``translate_url``), query string included: a search stays the same search. An
address that names no page (the 404 page) links to the other language's start page.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

register = template.Library()


@dataclass(frozen=True)
class Version:
    code: str
    name: str  # in its own language (settings.LANGUAGES): "Español", "English"
    url: str  # relative to the site: /es/search/?q=detox


def _versions(request):
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            # Nothing here resolves (a 404): the start page in that language.
            with override(code):
                url = reverse("directory:home")
        versions.append(Version(code, name, url))
    return versions


@register.simple_tag(takes_context=True)
def other_languages(context):
    """This page in each language but the current one, for the language link."""
    current = get_language()
    return [v for v in _versions(context.get("request")) if v.code != current]


@register.simple_tag(takes_context=True)
def alternate_pages(context):
    """Absolute addresses of this page in every language, then the x-default (English),
    for ``<link rel="alternate" hreflang>``: search engines show each visitor the page in
    their own language."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return []  # no page here (404): nothing to offer in another language
    versions = _versions(request)
    pages = [(v.code, request.build_absolute_uri(v.url)) for v in versions]
    default = next(url for code, url in pages if code == settings.LANGUAGE_CODE)
    return [*pages, ("x-default", default)]


@register.filter
def start_page(code):
    """The start page's address in a language, written out without the URL resolver, for
    the 500 and 503 pages, which are made when something may have broken."""
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


@register.simple_tag
def data_lang():
    """` lang="en"` on a Spanish (or any non-English) page, nothing on an English one: for
    the element around text curators or sources wrote in English (a listing's summary, a
    meeting's notes), so that screen readers read it as English (WCAG 3.1.2, Language of
    Parts). ``<p{% data_lang %}>{{ listing.summary }}</p>``"""
    if get_language() == settings.LANGUAGE_CODE:
        return ""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')  # a setting, never a visitor's input


@register.simple_tag
def site_languages():
    """settings.LANGUAGES, each name in its own language ("English", "Español"): Django's
    get_available_languages would translate them into the page's ("Inglés")."""
    return settings.LANGUAGES
