"""Guides: short, reviewed pages that explain the kinds of help and how to use them.

A guide's body is Markdown written by curators, shown as sanitized HTML (``guides.markup``).
Its sources, the searches it ends with and the things it explains are plain lines, one per
line, so a curator edits them in a text box and the history shows each change as text.
"""

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language_from_path, override
from django.utils.translation import gettext_lazy as _

from directory.categories import BY_SLUG
from guides.markup import render_markdown
from resources.models import ListingKind, TimeStampedModel
from resources.models.history import CuratedHistory
from resources.vocabularies import all_terms

__all__ = ["GuideStatus", "GuideKeptError", "Guide", "Link", "explainable_keys"]

SEPARATOR = "|"


class GuideStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class GuideKeptError(Exception):
    """A guide that has been public was about to be deleted: archive it instead."""


def explainable_keys():
    """Every key a guide may explain: ``category:<browse slug>``, ``kind:<listing kind>`` and
    ``<vocabulary>:<term code>`` (``meeting_type:C`` is the "Closed" meeting type)."""
    keys = {f"category:{slug}" for slug in BY_SLUG}
    keys |= {f"kind:{kind}" for kind in ListingKind.values}
    keys |= {f"{vocabulary}:{code}" for vocabulary, code, _label, _position in all_terms()}
    return keys


class Link:
    """One "label | address" line of a guide's sources or searches."""

    def __init__(self, label, url):
        self.label, self.url = label, url

    def __repr__(self):
        return f"Link({self.label!r}, {self.url!r})"

    @classmethod
    def parse_lines(cls, text):
        links = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            label, separator, url = line.rpartition(SEPARATOR)
            if not separator or not label.strip() or not url.strip():
                raise ValidationError(
                    _("Line %(number)s should read “label | address”."), params={"number": number}
                )
            links.append(cls(label.strip(), url.strip()))
        return links


def validate_sources(text):
    check_url = URLValidator(schemes=["https"])
    for link in Link.parse_lines(text):
        try:
            check_url(link.url)
        except ValidationError:
            raise ValidationError(
                _("%(url)s is not a full https:// address."), params={"url": link.url}
            ) from None


def is_page_of_this_site(url):
    """Whether ``url`` is a path (with or without a query) that this site answers."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("/") or path.startswith("//"):
        return False
    # /es/… pages resolve only with their language active (i18n_patterns), and a curator
    # checks a Spanish guide's links from the English admin.
    with override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            resolve(path)
        except Resolver404:
            return False
    return True


def validate_searches(text):
    for link in Link.parse_lines(text):
        if not is_page_of_this_site(link.url):
            raise ValidationError(
                _("%(url)s is not a page of this site (it should start with /search/, /browse/…)."),
                params={"url": link.url},
            )


def validate_explains(text):
    unknown = sorted(set(text.split()) - explainable_keys())
    if unknown:
        raise ValidationError(
            _("Unknown: %(keys)s. Use category:<slug>, kind:<kind> or <vocabulary>:<code>."),
            params={"keys": ", ".join(unknown)},
        )


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=GuideStatus.PUBLISHED)

    def for_language(self, language):
        """One guide per slug: the one in ``language``, else the English one while that
        slug's translation is missing or a draft (a curator's guide not translated yet).
        An archived translation is not replaced by the English one: its page says "gone"."""
        translated = (
            Guide.objects.filter(language=language).exclude(status=GuideStatus.DRAFT).values("slug")
        )
        return self.filter(
            models.Q(language=language)
            | (models.Q(language=settings.LANGUAGE_CODE) & ~models.Q(slug__in=translated))
        )


class Guide(TimeStampedModel):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        help_text=_(
            "The guide's address: /guides/<slug>/. Other pages link to it: keep it. "
            "A translation takes the same slug as its English guide."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language it is written in: a Spanish guide is shown at /es/guides/<slug>/."
        ),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences, shown in the list of guides and to search engines."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: “## Heading”, “- item”, **bold**, [link text](https://…). "
            "Other HTML is removed. Say where each fact comes from in the sources below."
        ),
    )
    sources = models.TextField(
        _("sources"),
        validators=[validate_sources],
        help_text=_("One per line: “Title | https://address”, from SAMHSA, NIDA, FDA, NIAAA…"),
    )
    searches = models.TextField(
        _("searches it ends with"),
        blank=True,
        default="",
        validators=[validate_searches],
        help_text=_(
            "One per line: “Find buprenorphine near you | /browse/medication/?medication="
            "buprenorphine”. Only pages of this site."
        ),
    )
    explains = models.TextField(
        _("explains"),
        blank=True,
        default="",
        validators=[validate_explains],
        help_text=_(
            "What pages link here for, separated by spaces or lines: category:sober-living "
            "(a browse page), kind:clinician, meeting_type:C (the “Closed” tag), "
            "level_of_care:detox…"
        ),
    )
    reviewed_on = models.DateField(
        _("reviewed on"),
        help_text=_("The day someone last checked every fact against its sources."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GuideStatus,
        default=GuideStatus.DRAFT,
        help_text=_("A published guide is archived, never deleted: its address then says so."),
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the list of guides.")
    )

    history = CuratedHistory()
    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "language"], name="guide_one_per_slug_and_language"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # In the guide's own language: /es/guides/<slug>/ for a Spanish one, from any page.
        with override(self.language):
            return reverse("guides:detail", kwargs={"slug": self.slug})

    @property
    def is_default_language(self):
        return self.language == settings.LANGUAGE_CODE

    def delete(self, *args, **kwargs):
        if self.status != GuideStatus.DRAFT:
            raise GuideKeptError(f"{self.title} has been published: archive it instead.")
        return super().delete(*args, **kwargs)

    @cached_property
    def body_html(self):
        return render_markdown(self.body)

    @property
    def source_links(self):
        return Link.parse_lines(self.sources)

    @property
    def search_links(self):
        return Link.parse_lines(self.searches)

    @property
    def explained_keys(self):
        return self.explains.split()
