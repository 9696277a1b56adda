"""Fellowships (AA, SMART Recovery…), their local groups, and the places they meet."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resources.models import (
    Address,
    Listing,
    ListingKind,
    TimeStampedModel,
    listing_history,
)
from resources.models.history import CuratedHistory
from resources.vocabularies import Vocabulary

__all__ = [
    "FellowshipApproach",
    "FellowshipAudience",
    "Fellowship",
    "SupportGroup",
    "Place",
]


class FellowshipApproach(models.TextChoices):
    TWELVE_STEP = "twelve_step", _("12-step")
    SECULAR = "secular", _("Secular")
    FAITH_BASED = "faith_based", _("Faith-based")


class FellowshipAudience(models.TextChoices):
    IN_RECOVERY = "in_recovery", _("People in recovery")
    FAMILY_AND_FRIENDS = "family_and_friends", _("Family and friends")
    BOTH = "both", _("People in recovery and their family and friends")


class Fellowship(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_("How people say it: AA, NA, SMART. Used by the feed importer."),
    )
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    approach = models.CharField(_("approach"), max_length=16, choices=FellowshipApproach)
    audience = models.CharField(_("who it is for"), max_length=20, choices=FellowshipAudience)
    website = models.URLField(_("website"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")

    history = CuratedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fellowship")
        verbose_name_plural = _("fellowships")
        constraints = [
            models.CheckConstraint(
                condition=Q(approach__in=FellowshipApproach.values),
                name="fellowship_approach_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=FellowshipAudience.values),
                name="fellowship_audience_valid",
            ),
        ]

    def __str__(self):
        return self.name


class SupportGroup(Listing):
    """A local group of a fellowship: a typed listing whose meetings are listed below it."""

    KIND = ListingKind.SUPPORT_GROUP

    fellowship = models.ForeignKey(
        Fellowship,
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("fellowship"),
    )

    vocabularies = (Vocabulary.LANGUAGE, Vocabulary.POPULATION, Vocabulary.ACCESSIBILITY)

    history = listing_history()

    class Meta:
        verbose_name = _("peer support group")
        verbose_name_plural = _("peer support groups")

    def search_words(self):
        fellowship = self.fellowship
        return (
            [fellowship.name, fellowship.short_name, "meetings"],
            [fellowship.get_approach_display(), fellowship.get_audience_display()],
        )

    def kind_phrase(self):
        return gettext("Peer support group: %(fellowship)s") % {"fellowship": self.fellowship.name}


class Place(TimeStampedModel, Address):
    """Where meetings happen when not at the group's own address: a church hall, a clubhouse."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “St. Luke's parish hall, room 2”.")
    )
    notes = models.CharField(
        _("directions"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("How to find the room: “side door on Elm St., downstairs”."),
    )

    history = CuratedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        constraints = Address.address_constraints("place")
        indexes = [
            # The few places without coordinates, whose meetings ``near()`` measures from
            # their group's address: found without reading every place.
            models.Index(
                fields=["id"],
                condition=Q(latitude__isnull=True),
                name="place_without_coordinates",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.town}" if self.town else self.name
