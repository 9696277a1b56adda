"""Curators' optional notes of a meeting in another language than the site's own (see
``resources.models.texts``, the same for listings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from resources.models.history import CuratedHistory
from resources.models.texts import page_language, shown, text_languages, text_of

__all__ = ["MeetingText", "TranslatedNotes"]


class MeetingText(models.Model):
    meeting = models.ForeignKey(
        "groups.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="texts",
    )
    language = models.CharField(_("language"), max_length=8, choices=text_languages)
    notes = models.TextField(_("notes"), blank=True, default="")

    history = CuratedHistory()

    class Meta:
        ordering = ["language"]
        verbose_name = _("notes in another language")
        verbose_name_plural = _("notes in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "language"], name="meeting_text_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.get_language_display()}: {self.notes[:60]}"


class TranslatedNotes:
    """What a meeting shows of its notes on a page in a given language (a ``Shown``)."""

    def notes_in(self, language=None):
        language = page_language(language)
        text = text_of(self, language)
        return shown(text and text.notes, self.notes, language)

    @property
    def localized_notes(self):
        return self.notes_in()
