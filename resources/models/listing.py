"""The Listing base every kind of support is stored in, and its opening hours.

Every listing lives in one concrete table, ``Listing``, so a single query can list,
filter, rank and paginate across all kinds at once; each kind adds its own fields
in a child table (Django multi-table inheritance). The ``kind`` column copies the
child's type onto the base row so that counting and filtering by kind needs no join.
"""

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from resources.geo import within_radius
from resources.models.common import (
    NEVER_DELETED,
    Address,
    ListingKind,
    ListingStatus,
    Organization,
    Term,
    TimeStampedModel,
    Weekday,
    time_zone_of_postal_code,
    validate_time_zone,
)
from resources.models.history import CuratedHistory
from resources.models.texts import TranslatedTexts
from resources.public_cache import kept
from resources.search import search_listings
from resources.vocabularies import Vocabulary

__all__ = [
    "REVERIFY_AFTER_DAYS",
    "KIND_RELATIONS",
    "typed_listing_models",
    "ListingQuerySet",
    "Listing",
    "ListingKeptError",
    "listing_history",
    "OpeningHours",
    "ids_found_first",
]


# A listing not verified for this long is flagged for curators and marked on its page.
REVERIFY_AFTER_DAYS = 365

# The reverse one-to-one accessor from Listing to each typed child, by kind.
# SupportGroup lives in the groups app; its accessor is "supportgroup".
KIND_RELATIONS = {
    ListingKind.CLINICIAN: "clinician",
    ListingKind.TREATMENT_PROGRAM: "treatmentprogram",
    ListingKind.SOBER_LIVING_HOME: "soberlivinghome",
    ListingKind.HELPLINE: "helpline",
    ListingKind.COMMUNITY_RESOURCE: "communityresource",
    ListingKind.SUPPORT_GROUP: "supportgroup",
}


def ids_found_first(queryset, limit=None):
    """The ids of ``queryset`` (at most ``limit``, in no order) as a condition for
    ``pk__in=``, which PostgreSQL works out on its own first, in a materialized CTE.

    Planning the whole query instead, PostgreSQL may walk an index in the outer query's order
    and test each row until it has enough; when the matches lie far along that order it
    reads most of the table. The first 500 matches of a national search: 25 ms instead of 5,
    read from the text index. The admin's first 100 listings named "…lakeside…" in name
    order: 280 ms (1.5 s cold) instead of 15, names with "Lakeside" all being at L.
    """
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    limit = "" if limit is None else f" LIMIT {int(limit)}"
    return RawSQL(f"WITH found (id) AS MATERIALIZED ({sql}) SELECT id FROM found{limit}", params)


def typed_listing_models():
    """{kind: the typed model stored for it} (Clinician, …, groups.SupportGroup), derived
    from KIND_RELATIONS so that a new kind is declared in one place."""
    return {
        kind: Listing._meta.get_field(accessor).related_model
        for kind, accessor in KIND_RELATIONS.items()
    }


# A listing saved sends a signal that drops them at once; this is for bulk writes.
LISTING_TIME_ZONES_SECONDS = 3600


class ListingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ListingStatus.PUBLISHED)

    def searchable(self, today=None):
        """Published listings verified recently enough to be offered in search results.

        A listing not re-verified for ``settings.STALE_AFTER_DAYS`` leaves search and browse
        pages (its own page stays, marked out of date) until a curator checks it again.
        Listings never verified stay: there is no date to age them by.
        """
        oldest = (today or timezone.localdate()) - timedelta(days=settings.STALE_AFTER_DAYS)
        return self.published().exclude(last_verified_on__lt=oldest)

    def needs_checking(self, older_than_days=REVERIFY_AFTER_DAYS, today=None):
        """Listings never verified, or not verified for ``older_than_days``, oldest first."""
        oldest = (today or timezone.localdate()) - timedelta(days=older_than_days)
        return self.filter(
            Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=oldest)
        ).order_by(models.F("last_verified_on").asc(nulls_first=True), "name")

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def with_kind_details(self, kinds=None):
        """Join the typed child tables (of ``kinds``, default all), the organization and a
        support group's fellowship, so ``listing.specific`` costs no query."""
        kinds = KIND_RELATIONS.keys() if kinds is None else kinds
        relations = [KIND_RELATIONS[kind] for kind in KIND_RELATIONS if kind in kinds]
        if ListingKind.SUPPORT_GROUP in kinds:
            relations.append("supportgroup__fellowship")
        return self.select_related(*relations, "organization")

    def without_search_text(self):
        """Leave out the stored search text (about 2 KB a listing), which pages never show."""
        return self.defer(*SEARCH_FIELDS)

    def search(self, text):
        """Listings matching ``text``, annotated with ``rank`` (higher is better)."""
        return search_listings(self, text)

    def near(self, location, miles):
        """Listings within ``miles`` of ``location``, annotated with ``distance`` in miles."""
        return within_radius(self, location, miles)

    def open_now(self, moment=None):
        """Listings open at ``moment`` (default: now) in their own time zones, or open 24/7."""
        moment = moment or timezone.now()
        # Zones whose clocks read the same weekday and time share one condition.
        zones_by_local_time = defaultdict(list)
        for zone in listing_time_zones(self.db):
            local = moment.astimezone(ZoneInfo(zone))
            zones_by_local_time[(Weekday.of(local), local.time())].append(zone)
        open_hours = Q(pk__in=[])
        for (weekday, local_time), zone_names in zones_by_local_time.items():
            open_hours |= Q(
                listing__time_zone__in=zone_names,
                weekday=weekday,
                opens__lte=local_time,
                closes__gt=local_time,
            )
        open_listings = OpeningHours.objects.filter(open_hours).values("listing_id")
        return self.filter(Q(open_24_7=True) | Q(pk__in=open_listings))

    def counts_by_kind(self):
        """{kind: number of listings}, in one grouped query."""
        rows = self.order_by().values_list("kind").annotate(total=models.Count("pk"))
        return dict(rows)


def listing_time_zones(using="default"):
    """The time zones listings are in: one query, then kept until anything public changes."""

    def read():
        zones = Listing.objects.using(using).exclude(time_zone="").order_by().distinct()
        return sorted(zones.values_list("time_zone", flat=True))

    return kept("listing-time-zones", (using,), read, LISTING_TIME_ZONES_SECONDS)


class ListingKeptError(Exception):
    """A published or archived listing was about to be deleted: archive it instead."""


# Worked out from the other fields (resources.search_index): not worth keeping in the history.
SEARCH_FIELDS = ["search_document", "search_keywords", "search_vector"]


def listing_history():
    """The history of one kind of listing: its own and inherited fields, and its terms.

    Declared on each typed kind, because saving a Clinician sends post_save as Clinician,
    never as Listing (see resources.models.history).
    """
    return CuratedHistory(excluded_fields=SEARCH_FIELDS, m2m_fields=["terms"])


class Listing(TranslatedTexts, TimeStampedModel, Address):
    """The shared base of every listing, whatever its kind."""

    kind = models.CharField(_("kind"), max_length=32, choices=ListingKind, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=220,
        unique=True,
        help_text=_("The listing's address on this site. Keep it stable: people share links."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("One plain sentence shown in search results."),
    )
    description = models.TextField(_("description"), blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ListingStatus,
        default=ListingStatus.DRAFT,
        db_index=True,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
    )

    phone = models.CharField(
        _("phone"), max_length=40, blank=True, default="", help_text=_("For example 312-555-0142.")
    )
    sms = models.CharField(
        _("text (SMS) number"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("A number people can text, if different from the phone or text-only."),
    )
    email = models.EmailField(_("email"), blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")

    # How help is given; their verbose names are what every page calls them (delivery_label).
    offers_in_person = models.BooleanField(_("in person"), default=True)
    offers_online = models.BooleanField(_("online or video"), default=False)
    offers_phone = models.BooleanField(_("by phone"), default=False)
    DELIVERY_FIELDS = ("offers_in_person", "offers_online", "offers_phone")

    terms = models.ManyToManyField(
        Term, verbose_name=_("vocabulary terms"), blank=True, related_name="listings"
    )
    cost_notes = models.CharField(
        _("cost notes"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Plain words about cost, for example “$40 per session; first visit free.”"),
    )

    open_24_7 = models.BooleanField(_("open 24/7"), default=False)
    hours_notes = models.CharField(
        _("hours notes"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("For example “Closed on public holidays” or “Walk-ins until 3 pm.”"),
    )

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        default="",
        validators=[validate_time_zone],
        help_text=_(
            "IANA name such as America/Denver, for “open now”. Left empty, it is taken from the "
            "US ZIP code."
        ),
    )

    last_verified_on = models.DateField(
        _("last verified on"),
        null=True,
        blank=True,
        help_text=_("The day a curator last confirmed these details with the provider."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Where the details came from: phone call with staff, provider website, feed…"),
    )
    source_url = models.URLField(_("source URL"), blank=True, default="")

    # Kept up to date by resources.search_index (signals and refresh_search_index()); the GIN
    # indexes on search_keywords and search_vector are PostgreSQL-only and are created
    # in migration 0003_listing_search, not declared here, so SQLite migrates the same model.
    search_document = models.TextField(_("search document"), blank=True, default="", editable=False)
    search_keywords = models.TextField(_("search keywords"), blank=True, default="", editable=False)
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = ListingQuerySet.as_manager()

    # The vocabularies a curator fills in for this kind; typed kinds extend it.
    vocabularies = (
        Vocabulary.LANGUAGE,
        Vocabulary.POPULATION,
        Vocabulary.SUBSTANCE,
        Vocabulary.PAYMENT,
        Vocabulary.ACCESSIBILITY,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["kind", "status"], name="listing_kind_status"),
            # Serves the bounding box that distance searches start with.
            models.Index(fields=["latitude", "longitude"], name="listing_coordinates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ListingKind.values), name="listing_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ListingStatus.values), name="listing_status_valid"
            ),
            # Someone must be able to reach a published listing somehow: in person at a
            # place we can show (on a map, or at least by its street address: many feeds
            # publish addresses without coordinates), online, or by phone.
            models.CheckConstraint(
                condition=~Q(status=ListingStatus.PUBLISHED)
                | Q(offers_in_person=True, latitude__isnull=False)
                | (Q(offers_in_person=True) & ~Q(address_line1=""))
                | Q(offers_in_person=False, offers_online=True)
                | Q(offers_in_person=False, offers_phone=True),
                name="listing_published_is_reachable",
            ),
            *Address.address_constraints("listing"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.kind = self.listing_kind
        if not self.time_zone:
            self.time_zone = time_zone_of_postal_code(self.postal_code, self.country)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # The admin never offers it; this stops code doing it by mistake. (QuerySet.delete()
        # does not come through here.)
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if self.status in NEVER_DELETED or stored in NEVER_DELETED:
            raise ListingKeptError(
                f"{self.name!r} has been published, so it is kept: archive it instead."
            )
        return super().delete(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:listing_detail", kwargs={"slug": self.slug})

    def status_change_error(self, new_status, old_status=None):
        """Why the status cannot go from ``old_status`` (default: the stored one) to
        ``new_status``, in plain words; None when the workflow allows it."""
        if old_status is None:
            if self.pk is None:
                return None  # a new listing may start in any status
            old_status = type(self).objects.filter(pk=self.pk).values_list("status", flat=True)[0]
        old, new = ListingStatus(old_status), ListingStatus(new_status)
        if old.can_become(new):
            return None
        choices = " or ".join(str(status.label) for status in old.next_statuses)
        return _(
            "A listing that is %(old)s cannot become %(new)s. From %(old)s it can become "
            "%(choices)s."
        ) % {"old": str(old.label).lower(), "new": str(new.label).lower(), "choices": choices}

    @property
    def listing_kind(self):
        """The kind a typed model stores; the bare base has none of its own."""
        kind = getattr(type(self), "KIND", None)
        if kind is None:
            raise TypeError(
                "Create a typed listing (Clinician, TreatmentProgram, …), not a bare one."
            )
        return kind

    @property
    def specific(self):
        """This listing as its typed model (Clinician, SoberLivingHome, …)."""
        if type(self) is not Listing:
            return self
        return getattr(self, KIND_RELATIONS[self.kind])

    # What each kind says of itself; the typed kinds override these.

    def search_words(self):
        """(labels, facts): words only this kind has, for its stored search text
        (resources.search_index): labels say what it is, facts what it offers."""
        return [], []

    def kind_phrase(self):
        """What the listing is, in the words a visitor would use: "Therapist or counselor"."""
        return self.get_kind_display()

    def kind_facts(self):
        """Facts of this kind that a search result shows before anyone opens it."""
        return []

    @property
    def may_be_out_of_date(self):
        """Not verified for a year: its page says so."""
        if self.last_verified_on is None:
            return False
        return (timezone.localdate() - self.last_verified_on).days > REVERIFY_AFTER_DAYS

    def is_open_at(self, moment=None):
        """True or False at ``moment`` (default: now) in the listing's own time zone; None
        when that cannot be told (no hours or no time zone). Reads the opening hours already
        loaded with ``prefetch_related("opening_hours")``."""
        if self.open_24_7:
            return True
        periods = list(self.opening_hours.all())
        if not periods or not self.time_zone:
            return None
        local = (moment or timezone.now()).astimezone(ZoneInfo(self.time_zone))
        today, now = Weekday.of(local), local.time()
        return any(p.weekday == today and p.opens <= now < p.closes for p in periods)

    @property
    def delivery_modes(self):
        return [self.delivery_label(name) for name in self.DELIVERY_FIELDS if getattr(self, name)]

    @classmethod
    def delivery_label(cls, field_name):
        """How a page names a way of getting help, say "Online or video": the admin, the
        search filters, the results and the listing's page all use the same words."""
        return capfirst(cls._meta.get_field(field_name).verbose_name)

    def clean(self):
        super().clean()
        if self.status == ListingStatus.PUBLISHED:
            if not (self.offers_in_person or self.offers_online or self.offers_phone):
                raise ValidationError(
                    _("Choose at least one way to get this help: in person, online or by phone.")
                )
            if self.offers_in_person and not (self.has_coordinates or self.address_line1):
                raise ValidationError(
                    {
                        "latitude": _(
                            "A published in-person listing needs its street address, or its "
                            "latitude and longitude."
                        )
                    }
                )


class OpeningHours(models.Model):
    """One opening period on one weekday; a day may have several."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("listing")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"),
        help_text=_("Periods past midnight are split: 20:00–23:59 and 00:00–02:00 the next day."),
    )

    history = CuratedHistory()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_range"
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_hours_closes_after_opens"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
