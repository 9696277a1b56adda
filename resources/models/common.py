"""What every listing and meeting place is made of: addresses, vocabulary terms, organizations,
weekdays, time zones and the choices shared by every kind."""

from functools import cache
from zoneinfo import available_timezones

import zipcodes
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from resources.models.history import CuratedHistory
from resources.vocabularies import Vocabulary

__all__ = [
    "TimeStampedModel",
    "Weekday",
    "known_time_zones",
    "validate_time_zone",
    "time_zone_of_postal_code",
    "LocationPrecision",
    "Address",
    "Term",
    "Organization",
    "ListingKind",
    "ListingStatus",
    "STATUS_TRANSITIONS",
    "NEVER_DELETED",
]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Weekday(models.IntegerChoices):
    # Sunday is 0, as in the Meeting Guide feed format.
    SUNDAY = 0, _("Sunday")
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")

    @classmethod
    def of(cls, day):
        """The Weekday of a date or datetime (Python counts Monday as 0)."""
        return cls((day.weekday() + 1) % 7)


@cache
def known_time_zones():
    # available_timezones() rescans the tz database on every call (~15 ms).
    return frozenset(available_timezones())


def validate_time_zone(value):
    if value not in known_time_zones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone name such as America/Chicago."),
            params={"value": value},
        )


@cache
def time_zone_of_postal_code(postal_code, country="US"):
    """The IANA time zone of a US ZIP code, from the offline ZIP table; "" when unknown."""
    if country != "US" or not postal_code:
        return ""
    try:
        matches = zipcodes.matching(postal_code[:5])
    except (ValueError, TypeError):
        return ""
    zone = matches[0]["timezone"] if matches else ""
    # The ZIP table has a few entries that are not IANA names; never store those.
    return zone if zone in known_time_zones() else ""


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact street address")
    APPROXIMATE = "approximate", _("Approximate: only the town is public")


class Address(models.Model):
    """A postal address with coordinates, shared by listings and meeting places."""

    # Every field of an address, in the order it is read, written and exported: the one list
    # that the CSV columns, the feeds, the importers and the review of corrections start from.
    ADDRESS_FIELDS = (
        "address_line1",
        "address_line2",
        "city",
        "region",
        "postal_code",
        "country",
        "latitude",
        "longitude",
        "location_precision",
    )

    address_line1 = models.CharField(_("address line 1"), max_length=200, blank=True, default="")
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    region = models.CharField(
        _("state or region"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Two-letter postal code for US states, such as IL."),
    )
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True, default="")
    country = models.CharField(
        _("country"),
        max_length=2,
        default="US",
        help_text=_("Two-letter ISO country code."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=12,
        choices=LocationPrecision,
        default=LocationPrecision.EXACT,
        help_text=_(
            "Choose approximate for sober living homes and groups that publish only their town: "
            "the street address is then never shown."
        ),
    )

    class Meta:
        abstract = True

    @classmethod
    def address_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name=f"{prefix}_coordinates_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name=f"{prefix}_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name=f"{prefix}_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(location_precision__in=LocationPrecision.values),
                name=f"{prefix}_location_precision_valid",
            ),
        ]

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def address_is_public(self):
        return self.location_precision == LocationPrecision.EXACT

    @property
    def town(self):
        """ "Chicago, IL": what is shown when only the town is public."""
        return ", ".join(part for part in (self.city, self.region) if part)

    @property
    def public_address_lines(self):
        """The lines of the address a visitor may see, honouring the precision flag."""
        lines = []
        if self.address_is_public:
            lines += [line for line in (self.address_line1, self.address_line2) if line]
        town = self.town
        if town and self.address_is_public and self.postal_code:
            town = f"{town} {self.postal_code}"
        if town:
            lines.append(town)
        return lines


class Term(models.Model):
    """One word of a shared vocabulary: a language, a payment option, a meeting type…

    The words are kept in ``resources/vocabularies.py`` and synced after every migrate.
    """

    vocabulary = models.CharField(_("vocabulary"), max_length=32, choices=Vocabulary)
    code = models.CharField(
        _("code"),
        max_length=40,
        help_text=_("Stable identifier used in URLs, feeds and exports."),
    )
    label = models.CharField(_("label"), max_length=120)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'The label in other languages, such as {"es": "Inglés"}. Synced from '
            "resources/data after every migrate."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired terms stay on the listings that have them but are not offered."),
    )

    history = CuratedHistory()

    class Meta:
        ordering = ["vocabulary", "position", "label"]
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code"),
            models.CheckConstraint(
                condition=Q(vocabulary__in=Vocabulary.values), name="term_vocabulary_valid"
            ),
        ]

    def __str__(self):
        return self.display_label

    def label_in(self, language):
        """The label in ``language`` ("es", "es-mx"), or the English one when it has none."""
        return self.translations.get((language or "").split("-")[0], self.label)

    @property
    def display_label(self):
        """The label in the language of the page (or answer) being made."""
        return self.label_in(get_language())


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    website = models.URLField(_("website"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")

    history = CuratedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class ListingKind(models.TextChoices):
    CLINICIAN = "clinician", _("Doctor, therapist or counselor")
    TREATMENT_PROGRAM = "treatment_program", _("Treatment program")
    SOBER_LIVING_HOME = "sober_living_home", _("Sober living home")
    HELPLINE = "helpline", _("Helpline or online resource")
    COMMUNITY_RESOURCE = "community_resource", _("Community resource")
    SUPPORT_GROUP = "support_group", _("Peer support group")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Pending review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")

    def can_become(self, new_status):
        """Whether a listing with this status may be given ``new_status`` (see TRANSITIONS)."""
        return new_status == self or new_status in STATUS_TRANSITIONS[self]

    @property
    def next_statuses(self):
        return STATUS_TRANSITIONS[self]


# The status workflow, in one place: what each status may become.
# A curator is the reviewer, so a draft may be published at once (curators can also add a
# listing as published); "pending review" is where listings wait for a curator's check.
# Once public a listing is archived, never deleted or sent back to draft, and an archived
# one can be restored.
STATUS_TRANSITIONS = {
    ListingStatus.DRAFT: (ListingStatus.PENDING_REVIEW, ListingStatus.PUBLISHED),
    ListingStatus.PENDING_REVIEW: (ListingStatus.DRAFT, ListingStatus.PUBLISHED),
    ListingStatus.PUBLISHED: (ListingStatus.ARCHIVED,),
    ListingStatus.ARCHIVED: (ListingStatus.PUBLISHED,),
}

# Statuses of listings that have been public: kept for good, never deleted.
NEVER_DELETED = (ListingStatus.PUBLISHED, ListingStatus.ARCHIVED)
