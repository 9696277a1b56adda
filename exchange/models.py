"""Sources that sync themselves, and the change report of each run (``sync.py`` runs them).

A ``Source`` is a feed the site fetches on its own, every so many hours: its address, its
format, the fellowship and time zone its rows lack, and the label its meetings carry
(``Meeting.source``). A source given the label an earlier ``--source LABEL`` import used
takes over those meetings: they are matched by label and slug, never created again.

A ``SyncRun`` is one fetch of one source and what it changed, kept for curators to read in
the admin. A run that would deactivate more than the source's share of its meetings is
held: nothing is imported, the fetched body is kept (compressed) until a curator approves
or rejects it, and then dropped.
"""

import gzip
from datetime import timedelta
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship
from resources.models import Listing, ListingKind, Organization, Term, validate_time_zone
from resources.models.history import CuratedHistory
from resources.models.listing import typed_listing_models
from resources.vocabularies import Vocabulary


class SourceFormat(models.TextChoices):
    # One reader each, behind the same seam (``sync.import_body`` dispatches on it).
    MEETING_GUIDE = "meeting_guide", _("Meeting Guide JSON")
    BMLT = "bmlt", _("BMLT semantic JSON (GetSearchResults)")
    # The address is an HSDS API's base URL: its /services pages are fetched one by one.
    HSDS = "hsds", _("HSDS 3.0 API (Open Referral)")


def allowed_url(url):
    """Whether the site may fetch ``url``: HTTPS anywhere; plain HTTP only from this machine
    (127.0.0.1, ::1, localhost) or with DEBUG on. No other scheme (file:, ftp:…)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if settings.DEBUG or parts.hostname == "localhost":
        return True
    try:
        return ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def validate_source_url(url):
    if not allowed_url(url):
        raise ValidationError(
            _("Give an https:// address (plain http:// only for this machine, in development)."),
        )


class Source(models.Model):
    # Formats of meetings, whose feeds do not name their fellowship.
    MEETING_FORMATS = (SourceFormat.MEETING_GUIDE, SourceFormat.BMLT)

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(
        _("feed address"),
        max_length=1000,
        validators=[validate_source_url],
        help_text=_(
            "The https:// address of the feed. For BMLT, the root server's "
            "client_interface/json/?switcher=GetSearchResults address. For HSDS, the API's base "
            "address (its /services and /organizations are read, page by page)."
        ),
    )
    format = models.CharField(_("format"), max_length=20, choices=SourceFormat)
    fellowship = models.ForeignKey(
        Fellowship,
        verbose_name=_("fellowship"),
        on_delete=models.PROTECT,
        related_name="sources",
        null=True,
        blank=True,
        help_text=_(
            "The fellowship of the meetings, which feeds do not say. Needed for Meeting Guide "
            "and BMLT; HSDS sources list services, not meetings."
        ),
    )
    time_zone = models.CharField(
        _("default time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "IANA name (America/New_York) for rows without a time zone of their own; when "
            "blank, it comes from each row's ZIP, state or province, or coordinates."
        ),
    )
    every_hours = models.PositiveIntegerField(
        _("fetch every (hours)"), default=24, validators=[MinValueValidator(1)]
    )
    label = models.CharField(
        _("source label"),
        max_length=200,
        unique=True,
        help_text=_(
            "The label on the meetings this source brings. To take over meetings imported "
            "before with --source LABEL, give the same label: they are matched, not copied."
        ),
    )
    max_deactivate_percent = models.PositiveSmallIntegerField(
        _("deactivation share (%)"),
        default=25,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A run that would deactivate more than this share of the source's active "
            "meetings is held until a curator approves it."
        ),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active sources are fetched.")
    )
    # What the last fetch left: written by the sync (without history), read-only in the admin.
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, editable=False)
    last_status = models.CharField(_("last status"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = CuratedHistory(
        excluded_fields=["etag", "last_modified", "last_fetched_at", "last_status"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.format in self.MEETING_FORMATS and not self.fellowship_id:
            raise ValidationError(
                {"fellowship": _("Choose the fellowship of this feed's meetings.")}
            )

    def next_due_at(self):
        if self.last_fetched_at is None:
            return None
        return self.last_fetched_at + timedelta(hours=self.every_hours)

    def is_due(self, now=None):
        due_at = self.next_due_at()
        return due_at is None or due_at <= (now or timezone.now())


class RunOutcome(models.TextChoices):
    IMPORTED = "imported", _("imported")
    NOT_CHANGED = "not_changed", _("not changed")
    HELD = "held", _("held for a curator")
    APPROVED = "approved", _("approved and imported")
    REJECTED = "rejected", _("rejected")
    SUPERSEDED = "superseded", _("held, then replaced by a newer run")
    FAILED = "failed", _("failed")


class SyncRun(models.Model):
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="runs"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RunOutcome)
    error = models.TextField(_("error"), blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True)
    size = models.PositiveBigIntegerField(_("bytes fetched"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated = models.PositiveIntegerField(_("deactivated"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    # {kind: how many}, and the importer's report lines (skipped rows, warnings…), capped.
    warning_counts = models.JSONField(_("warnings by kind"), default=dict, blank=True)
    report_lines = models.JSONField(_("report"), default=list, blank=True)
    # {"created": [...], "updated": [...], "deactivated": [...]}: see exchange/changes.py.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The fetched body of a held run, gzip-compressed; dropped once decided.
    held_body = models.BinaryField(_("held feed"), null=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        permissions = [("approve_syncrun", _("Can approve or reject a held sync run"))]
        indexes = [models.Index(fields=["source", "-started_at"], name="syncrun_source_started")]

    def __str__(self):
        when = timezone.localtime(self.started_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.source} — {when}"

    def keep_body(self, body):
        self.held_body = gzip.compress(body)

    def body(self):
        return gzip.decompress(bytes(self.held_body))

    @property
    def is_held(self):
        return self.outcome == RunOutcome.HELD


class ExternalRecord(models.Model):
    """Which of our records a source's row became: an HSDS service is a listing, an HSDS
    organization an organization. Re-imports find them here and update them; a source only
    ever changes the records it has here (never another source's, never a curator's)."""

    source_label = models.CharField(_("source label"), max_length=200)
    table = models.CharField(_("table"), max_length=40)  # "service", "organization"
    external_id = models.CharField(_("id in the source"), max_length=200)
    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_records",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_records",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["source_label", "table", "external_id"]
        verbose_name = _("record from a source")
        verbose_name_plural = _("records from sources")
        constraints = [
            models.UniqueConstraint(
                fields=["source_label", "table", "external_id"], name="external_record_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(listing__isnull=False, organization__isnull=True)
                | models.Q(listing__isnull=True, organization__isnull=False),
                name="external_record_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.source_label}: {self.table} {self.external_id}"


# What an HSDS taxonomy term may become: a term of one of our vocabularies, or a kind of
# listing (with the detail its kind requires: a clinician's role, a helpline's type…).
LISTING_KIND_TARGET = "listing_kind"
KIND_DETAIL_FIELDS = {
    ListingKind.CLINICIAN: "role",
    ListingKind.SOBER_LIVING_HOME: "serves",
    ListingKind.HELPLINE: "helpline_type",
    ListingKind.COMMUNITY_RESOURCE: "resource_type",
}
# Support groups come with their meetings (Meeting Guide, BMLT), never from HSDS.
IMPORTED_KINDS = [kind for kind in ListingKind if kind != ListingKind.SUPPORT_GROUP]


def mapping_targets():
    return [
        (LISTING_KIND_TARGET, _("Kind of listing")),
        *[(value, label) for value, label in Vocabulary.choices if value != "meeting_type"],
    ]


class HsdsTermMapping(models.Model):
    """One HSDS taxonomy term (matched by its code or its name, any case) and what it
    becomes here. The reviewed defaults are in ``exchange/data/hsds_mapping.json``; a row
    here adds a term or overrides a default."""

    taxonomy = models.CharField(
        _("taxonomy"),
        max_length=200,
        blank=True,
        help_text=_("The HSDS taxonomy's name (AIRS/211 LA…); blank for a term of any taxonomy."),
    )
    term = models.CharField(
        _("term code or name"),
        max_length=200,
        help_text=_("The taxonomy term's code or its name, as the source writes it (any case)."),
    )
    target = models.CharField(_("becomes"), max_length=32, choices=mapping_targets)
    code = models.CharField(
        _("code"),
        max_length=60,
        help_text=_(
            "The term's code in that vocabulary (e.g. detox), or for a kind of listing the "
            "kind, with its detail after a colon: treatment_program, clinician:therapist, "
            "helpline:hotline, community_resource:family_support, sober_living_home:all."
        ),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = CuratedHistory()

    class Meta:
        ordering = ["taxonomy", "term"]
        verbose_name = _("HSDS term mapping")
        verbose_name_plural = _("HSDS term mappings")
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "term"], name="hsds_term_mapping_unique"),
        ]

    def __str__(self):
        return f"{self.term} → {self.target}:{self.code}"

    def clean(self):
        super().clean()
        problem = target_problem(self.target, self.code)
        if problem:
            raise ValidationError({"code": problem})


def target_problem(target, code):
    """Why (target, code) names nothing of ours, in plain words; None when it does."""
    if target == LISTING_KIND_TARGET:
        kind, _colon, detail = code.partition(":")
        if kind not in IMPORTED_KINDS:
            return f"{kind!r} is not a kind of listing an HSDS import makes."
        field_name = KIND_DETAIL_FIELDS.get(kind)
        if field_name is None:
            return f"{kind} takes no detail." if detail else None
        model = typed_listing_models()[kind]
        choices = [value for value, _label in model._meta.get_field(field_name).choices]
        if detail not in choices:
            return f"Give {kind}:DETAIL, DETAIL one of {', '.join(choices)}."
        return None
    if not Term.objects.filter(vocabulary=target, code=code).exists():
        return f"No term {code!r} in the vocabulary {target!r}."
    return None
