"""Listings: the shared base every kind of support is stored in, and its typed kinds.

Every listing lives in one concrete table, ``Listing``, so a single query can list,
filter, rank and paginate across all kinds at once; each kind adds its own fields
in a child table (Django multi-table inheritance). The ``kind`` column copies the
child's type onto the base row so that counting and filtering by kind needs no join.
"""

from collections import defaultdict
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import zipcodes
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.vocabularies import Vocabulary


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
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired terms stay on the listings that have them but are not offered."),
    )

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
        return self.label


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    website = models.URLField(_("website"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")

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


class ListingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ListingStatus.PUBLISHED)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def with_kind_details(self):
        """Join every typed child table, so ``listing.specific`` costs no query."""
        return self.select_related(*KIND_RELATIONS.values(), "organization")

    def search(self, text):
        """Listings matching ``text``, annotated with ``rank`` (higher is better)."""
        from resources.search import search_listings

        return search_listings(self, text)

    def near(self, location, miles):
        """Listings within ``miles`` of ``location``, annotated with ``distance`` in miles."""
        from resources.geo import within_radius

        return within_radius(self, location, miles)

    def open_now(self, moment=None):
        """Listings open at ``moment`` (default: now) in their own time zones, or open 24/7."""
        moment = moment or timezone.now()
        zones = self.exclude(time_zone="").order_by().values_list("time_zone", flat=True)
        # Zones whose clocks read the same weekday and time share one condition.
        zones_by_local_time = defaultdict(list)
        for zone in set(zones):
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


class Listing(TimeStampedModel, Address):
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

    offers_in_person = models.BooleanField(_("in person"), default=True)
    offers_online = models.BooleanField(_("online or telehealth"), default=False)
    offers_phone = models.BooleanField(_("by phone"), default=False)

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

    # Kept up to date by resources.search (signals and refresh_search_index()); the GIN
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
            # place we can show, online, or by phone.
            models.CheckConstraint(
                condition=~Q(status=ListingStatus.PUBLISHED)
                | Q(offers_in_person=True, latitude__isnull=False)
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

    def get_absolute_url(self):
        return reverse("resources:listing_detail", kwargs={"slug": self.slug})

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
        modes = []
        if self.offers_in_person:
            modes.append(_("In person"))
        if self.offers_online:
            modes.append(_("Online or telehealth"))
        if self.offers_phone:
            modes.append(_("By phone"))
        return modes

    def clean(self):
        super().clean()
        if self.status == ListingStatus.PUBLISHED:
            if not (self.offers_in_person or self.offers_online or self.offers_phone):
                raise ValidationError(
                    _("Choose at least one way to get this help: in person, online or by phone.")
                )
            if self.offers_in_person and not self.has_coordinates:
                raise ValidationError(
                    {
                        "latitude": _(
                            "A published in-person listing needs its latitude and longitude."
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


class ClinicianRole(models.TextChoices):
    ADDICTION_MEDICINE = "addiction_medicine", _("Physician or addiction medicine")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    THERAPIST = "therapist", _("Therapist or counselor")
    SOCIAL_WORKER = "social_worker", _("Social worker or case manager")
    PEER_SPECIALIST = "peer_specialist", _("Peer recovery specialist")


class Clinician(Listing):
    """An individual professional."""

    KIND = ListingKind.CLINICIAN

    role = models.CharField(_("role"), max_length=32, choices=ClinicianRole)
    credentials = models.CharField(
        _("credentials"),
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "Licences and degrees as the clinician writes them, for example MD, LCSW, CADC."
        ),
    )
    accepting_new_clients = models.BooleanField(_("accepting new clients"), default=True)

    vocabularies = (
        *Listing.vocabularies,
        Vocabulary.THERAPY_APPROACH,
        Vocabulary.MEDICATION,
    )

    class Meta:
        verbose_name = _("doctor, therapist or counselor")
        verbose_name_plural = _("doctors, therapists and counselors")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=ClinicianRole.values), name="clinician_role_valid"
            ),
        ]


class TreatmentProgram(Listing):
    """A clinic, hospital unit or residential program offering treatment."""

    KIND = ListingKind.TREATMENT_PROGRAM

    is_opioid_treatment_program = models.BooleanField(
        _("opioid treatment program (OTP)"),
        default=False,
        help_text=_("Certified to dispense methadone (a “methadone clinic”)."),
    )
    license_number = models.CharField(
        _("state licence number"), max_length=60, blank=True, default=""
    )

    vocabularies = (
        *Listing.vocabularies,
        Vocabulary.LEVEL_OF_CARE,
        Vocabulary.MEDICATION,
        Vocabulary.THERAPY_APPROACH,
        Vocabulary.ACCREDITATION,
    )

    class Meta:
        verbose_name = _("treatment program")
        verbose_name_plural = _("treatment programs")


class SoberHomeServes(models.TextChoices):
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    ALL = "all", _("All genders")


class SoberHomeCertification(models.TextChoices):
    NONE = "none", _("Not certified")
    NARR_1 = "narr_1", _("NARR Level I (peer-run)")
    NARR_2 = "narr_2", _("NARR Level II (monitored)")
    NARR_3 = "narr_3", _("NARR Level III (supervised)")
    NARR_4 = "narr_4", _("NARR Level IV (service provider)")
    STATE = "state", _("State certified")


class SoberLivingHome(Listing):
    """A recovery residence. Many publish only their town, so the precision flag matters."""

    KIND = ListingKind.SOBER_LIVING_HOME

    serves = models.CharField(_("serves"), max_length=8, choices=SoberHomeServes)
    beds_total = models.PositiveSmallIntegerField(_("beds in total"), null=True, blank=True)
    beds_available = models.PositiveSmallIntegerField(_("beds available"), null=True, blank=True)
    beds_updated_on = models.DateField(
        _("beds last updated on"),
        null=True,
        blank=True,
        help_text=_("Available beds change weekly; say when the number was last checked."),
    )
    certification = models.CharField(
        _("certification"),
        max_length=8,
        choices=SoberHomeCertification,
        default=SoberHomeCertification.NONE,
    )
    certifying_body = models.CharField(
        _("certifying body"),
        max_length=120,
        blank=True,
        default="",
        help_text=_("For example the state NARR affiliate or the state agency."),
    )
    allows_medication = models.BooleanField(
        _("welcomes residents on medication for addiction treatment"), default=False
    )
    weekly_cost = models.DecimalField(
        _("weekly cost (USD)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("sober living home")
        verbose_name_plural = _("sober living homes")
        constraints = [
            models.CheckConstraint(
                condition=Q(serves__in=SoberHomeServes.values), name="sober_home_serves_valid"
            ),
            models.CheckConstraint(
                condition=Q(certification__in=SoberHomeCertification.values),
                name="sober_home_certification_valid",
            ),
            models.CheckConstraint(
                condition=Q(beds_available__isnull=True)
                | Q(beds_total__isnull=False, beds_available__lte=models.F("beds_total")),
                name="sober_home_available_within_total",
            ),
            models.CheckConstraint(
                condition=Q(beds_available__isnull=True) | Q(beds_updated_on__isnull=False),
                name="sober_home_available_has_date",
            ),
            models.CheckConstraint(
                condition=Q(weekly_cost__isnull=True) | Q(weekly_cost__gte=0),
                name="sober_home_weekly_cost_not_negative",
            ),
        ]

    def clean(self):
        super().clean()
        if self.beds_available is not None:
            if self.beds_total is None or self.beds_available > self.beds_total:
                raise ValidationError(
                    {"beds_available": _("Available beds cannot be more than the beds in total.")}
                )
            if self.beds_updated_on is None:
                raise ValidationError(
                    {"beds_updated_on": _("Say when the number of available beds was checked.")}
                )


class HelplineType(models.TextChoices):
    HOTLINE = "hotline", _("Phone hotline")
    TEXT_LINE = "text_line", _("Text line")
    CHAT = "chat", _("Online chat")
    WEBSITE = "website", _("Website")
    FORUM = "forum", _("Online forum or community")
    APP = "app", _("App")


class ServiceScope(models.TextChoices):
    NATIONAL = "national", _("National")
    STATE = "state", _("Statewide")
    LOCAL = "local", _("Local")


class Helpline(Listing):
    """A hotline, text line, chat or online resource people reach from anywhere in its area."""

    KIND = ListingKind.HELPLINE

    helpline_type = models.CharField(_("type"), max_length=16, choices=HelplineType)
    chat_url = models.URLField(_("chat link"), blank=True, default="")
    scope = models.CharField(
        _("area served"),
        max_length=10,
        choices=ServiceScope,
        default=ServiceScope.NATIONAL,
        help_text=_("For statewide or local services, fill in the state (and city) above."),
    )

    class Meta:
        verbose_name = _("helpline or online resource")
        verbose_name_plural = _("helplines and online resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(helpline_type__in=HelplineType.values), name="helpline_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=ServiceScope.values), name="helpline_scope_valid"
            ),
            models.CheckConstraint(
                condition=~Q(helpline_type=HelplineType.CHAT) | ~Q(chat_url=""),
                name="helpline_chat_has_link",
            ),
        ]

    def clean(self):
        super().clean()
        if self.scope != ServiceScope.NATIONAL and not self.region:
            raise ValidationError(
                {"region": _("Say which state a statewide or local service serves.")}
            )
        if self.helpline_type == HelplineType.HOTLINE and not self.phone:
            raise ValidationError({"phone": _("A hotline needs its phone number.")})
        if self.helpline_type == HelplineType.TEXT_LINE and not self.sms:
            raise ValidationError({"sms": _("A text line needs the number to text.")})


class CommunityResourceType(models.TextChoices):
    FAITH = "faith", _("Faith or spiritual community")
    VOCATIONAL = "vocational", _("Jobs and vocational training")
    EDUCATION = "education", _("Education")
    WELLNESS = "wellness", _("Wellness and holistic (mindfulness, yoga, exercise, nutrition)")
    RECREATION = "recreation", _("Sober recreation")
    VOLUNTEERING = "volunteering", _("Volunteering")
    FAMILY_SUPPORT = "family_support", _("Family support services")
    LEGAL_FINANCIAL = "legal_financial", _("Legal or financial aid")
    RECOVERY_CENTER = "recovery_center", _("Recovery community center")


class CommunityResource(Listing):
    """Support around recovery that is not treatment: work, faith, wellness, family, law…"""

    KIND = ListingKind.COMMUNITY_RESOURCE

    resource_type = models.CharField(_("type"), max_length=20, choices=CommunityResourceType)

    class Meta:
        verbose_name = _("community resource")
        verbose_name_plural = _("community resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(resource_type__in=CommunityResourceType.values),
                name="community_resource_type_valid",
            ),
        ]


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
