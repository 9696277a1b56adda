"""Curators' optional texts of a listing in another language than the site's own.

A listing is written once, in English. A curator may add its summary and description in
Spanish (or any other language of ``settings.LANGUAGES``): a page in that language shows
them, and says when it has only the English text (which it marks ``lang="en"``).
"""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from resources.models.history import CuratedHistory

__all__ = [
    "text_languages",
    "page_language",
    "Shown",
    "shown",
    "with_summaries",
    "keep_summary",
    "text_of",
    "ListingText",
    "TranslatedTexts",
]


def text_languages():
    """The languages a curator may write a text in: the site's languages but English."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def page_language(language=None):
    """``language`` (default: the active one) as a plain code such as "es"."""
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]


class Shown(NamedTuple):
    """A text as a page shows it: in the page's language when a curator wrote it, else
    as written (in English)."""

    text: str
    language: str  # the language ``text`` is written in
    wanted: str  # the language of the page

    @property
    def untranslated(self):
        """True when there is a text but not in the page's language: the page says so and
        marks it with ``lang`` (WCAG 3.1.2)."""
        return bool(self.text) and self.language != self.wanted

    @property
    def lang_attribute(self):
        """` lang="en"` when untranslated, for the element around the text."""
        return format_html(' lang="{}"', self.language) if self.untranslated else ""

    def __str__(self):
        return self.text


def shown(translated, english, language):
    if translated:
        return Shown(translated, language, language)
    return Shown(english, settings.LANGUAGE_CODE, language)


def with_summaries(queryset, language=None):
    """``queryset`` of listings with the summary a page in ``language`` shows, read with each
    listing (``page_summary``): a prefetch of the texts would be one more query on every page
    of results. Unchanged for a page in English, which shows none. Each listing read so is
    then given to ``keep_summary``."""
    language = page_language(language)
    if language == settings.LANGUAGE_CODE:
        return queryset
    summaries = ListingText.objects.filter(listing=OuterRef("pk"), language=language)
    return queryset.annotate(page_summary=Subquery(summaries.values("summary")[:1]))


def keep_summary(listing, language=None):
    """Keep on ``listing`` (read ``with_summaries``) its text in ``language`` for ``text_of``:
    the summary alone, which is all a list of results shows of it."""
    language = page_language(language)
    if language != settings.LANGUAGE_CODE:
        summary = listing.page_summary
        text = None if summary is None else ListingText(language=language, summary=summary)
        listing.__dict__.setdefault("_texts_by_language", {})[language] = text


def text_of(obj, language):
    """The text of ``obj`` (a listing or a meeting) in ``language``, or None; kept on it."""
    found = obj.__dict__.setdefault("_texts_by_language", {})
    if language not in found:
        found[language] = None
        if language != settings.LANGUAGE_CODE:
            found[language] = next((t for t in obj.texts.all() if t.language == language), None)
    return found[language]


class ListingText(models.Model):
    listing = models.ForeignKey(
        "resources.Listing",
        verbose_name=_("listing"),
        on_delete=models.CASCADE,
        related_name="texts",
    )
    language = models.CharField(_("language"), max_length=8, choices=text_languages)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("One plain sentence shown in search results, in this language."),
    )
    description = models.TextField(_("description"), blank=True, default="")

    history = CuratedHistory()

    class Meta:
        ordering = ["language"]
        verbose_name = _("text in another language")
        verbose_name_plural = _("texts in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "language"], name="listing_text_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.get_language_display()}: {self.summary or self.description[:60]}"


class TranslatedTexts:
    """What a listing shows of its summary and description on a page in a given language.

    Reads ``texts.all()``, so a list of listings prefetches ``texts`` once; a page in the
    site's own language reads nothing."""

    def text_in(self, language=None):
        """``{"summary": Shown, "description": Shown}`` for a page in ``language``."""
        language = page_language(language)
        text = text_of(self, language)
        return {
            "summary": shown(text and text.summary, self.summary, language),
            "description": shown(text and text.description, self.description, language),
        }

    @property
    def localized_text(self):
        """``text_in()`` the language of the page being made, for templates."""
        return self.text_in()
