"""The writer of listings a source brings (HSDS services and organizations), beside
``writer.save_meetings``: plain ORM saves in one transaction, or nothing.

Each source keeps its own records: an ``ExternalRecord`` (source label, table, id in the
source) points at the listing or organization a row became, so importing the same rows
again changes nothing, changed rows update what changed, and a source never changes
another source's records, nor a listing a curator made (it has no record of this source),
nor one a curator changed since the last import (its last history row is signed by a
user): that one is left as it is and reported.

A published listing of this source that the rows no longer list is archived, never
deleted; rows that list nothing archive nothing, and archiving more than ``max_deactivate``
of the source's published listings is refused whole unless ``allow_deactivate`` (the same
guard as meetings, ``writer.TooManyDeactivated``). Every record created or changed gets a
history row with the import's reason ("HSDS import from SOURCE").
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from exchange.models import ExternalRecord
from exchange.rows import FeedError
from exchange.writer import DEFAULT_MAX_DEACTIVATE, TooManyDeactivated
from resources.models import (
    Listing,
    ListingStatus,
    OpeningHours,
    Organization,
    Term,
    typed_listing_models,
)
from resources.models.history import one_history_row
from resources.public_cache import forget_public_pages

# The detail a kind needs when the term said only the kind.
KIND_DEFAULTS = {
    "clinician": {"role": "therapist"},
    "sober_living_home": {"serves": "all"},
    "helpline": {"helpline_type": "hotline"},
    "community_resource": {"resource_type": "wellness"},
}
KIND_FIELD = {kind: next(iter(fields)) for kind, fields in KIND_DEFAULTS.items()}
LISTING_FIELDS = (
    "name", "description", "website", "email", "phone", "sms", "offers_in_person",
    "offers_online", "offers_phone", "open_24_7", "hours_notes", "cost_notes",
    "last_verified_on", "source_url", *Listing.ADDRESS_FIELDS,
)  # fmt: skip
DETAIL_LIMIT = 200


@dataclass
class ListingChanges:
    """The listings created, updated (field: [before, after]) and archived, the first
    ``DETAIL_LIMIT`` of each, in the shape of ``exchange.changes.Changes.as_json``."""

    kept: dict = field(default_factory=lambda: {"created": [], "updated": [], "deactivated": []})

    def note(self, key, listing, fields=None):
        if len(self.kept[key]) < DETAIL_LIMIT:
            entry = {"id": listing.pk, "slug": listing.slug, "name": listing.name}
            if fields is not None:
                entry["fields"] = fields
            self.kept[key].append(entry)

    def as_json(self):
        return self.kept


@dataclass
class ListingReport:
    """What a listing import did; the names a sync run reads are those of ImportReport."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    organizations_created: int = 0
    organizations_updated: int = 0
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    warning_counts: Counter = field(default_factory=Counter)
    unmatched: dict = field(default_factory=dict)  # {what: [positions]}
    dry_run: bool = False
    nothing_deactivated: str = ""
    changes: "ListingChanges" = field(default_factory=lambda: ListingChanges())

    def note(self, key, listing, fields=None):
        self.changes.note(key, listing, fields)

    def lines(self):
        would = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{would} listings: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deactivated} archived, "
            f"{len(self.skipped)} invalid rows skipped.",
            f"Organizations: {self.organizations_created} created, "
            f"{self.organizations_updated} updated.",
        ]
        if self.nothing_deactivated:
            lines.append(self.nothing_deactivated)
        if self.warning_counts:
            counts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.warning_counts.items()))
            lines.append(f"Warnings: {counts}.")
        lines += [f"Skipped {problem}" for problem in self.skipped]
        lines += [f"Warning: {warning}" for warning in self.warnings]
        for what, positions in sorted(self.unmatched.items()):
            lines.append(f"Not matched: {what} ({', '.join(positions)}).")
        return lines


@dataclass
class ListingImport:
    source: str  # the source label its ExternalRecords carry
    reason: str  # why, in the history rows it writes
    user: object = None
    dry_run: bool = False
    skip_invalid: bool = False  # all-or-nothing unless told
    kept_ids: set = field(default_factory=set)  # rows skipped: their listings stay as they are
    ended_ids: set = field(default_factory=set)  # services the source says ended (inactive)
    max_deactivate: float = DEFAULT_MAX_DEACTIVATE
    allow_deactivate: bool = False
    report: ListingReport = field(init=False)

    def __post_init__(self):
        self.report = ListingReport(dry_run=self.dry_run)

    def sign(self, obj):
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        return obj


def save_listings(job, organizations, services):
    """Save ``organizations`` ({id: OrganizationRow}) and ``services`` ([ServiceRow]);
    return the report. Raises FeedError when a row was skipped, unless ``job.skip_invalid``."""
    if job.report.skipped and not job.skip_invalid:
        raise FeedError(job.report.skipped)
    with transaction.atomic():
        gone = _to_archive(job, services)
        orgs = _save_organizations(job, organizations)
        terms = {(t.vocabulary, t.code): t.pk for t in Term.objects.all()}
        records = {
            record.external_id: record
            for record in ExternalRecord.objects.filter(source_label=job.source, table="service")
        }
        for row in services:
            _save_service(job, row, records.get(row.external_id), orgs, terms)
        _archive(job, gone)
        if job.dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(forget_public_pages)
    return job.report


def _records(job, table):
    return ExternalRecord.objects.filter(source_label=job.source, table=table)


def _free_slug(model, name):
    base = slugify(name)[:200] or "listing"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _save_organizations(job, rows):
    """{source id: Organization} of every organization in the rows."""
    report = job.report
    records = {
        r.external_id: r for r in _records(job, "organization").select_related("organization")
    }
    saved = {}
    for ident, row in rows.items():
        values = {"name": row.name, "website": row.website, "description": row.description}
        record = records.get(ident)
        if record is None:
            org = job.sign(Organization(slug=_free_slug(Organization, row.name), **values))
            org.save()
            ExternalRecord.objects.create(
                source_label=job.source, table="organization", external_id=ident, organization=org
            )
            report.organizations_created += 1
        else:
            org = record.organization
            if any(getattr(org, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(org, name, value)
                job.sign(org).save()
                report.organizations_updated += 1
        saved[ident] = org
    return saved


def _values(row, orgs, terms):
    values = {
        "name": row.name,
        "description": row.description,
        "website": row.website,
        "email": row.email,
        "phone": row.phone,
        "sms": row.sms,
        "offers_in_person": row.offers_in_person,
        "offers_online": row.offers_online,
        "offers_phone": row.offers_phone,
        "open_24_7": row.open_24_7,
        "hours_notes": row.hours_notes,
        "cost_notes": row.cost_notes,
        "last_verified_on": row.last_verified_on,
        "source_url": row.source_url,
        "address_line1": "", "address_line2": "", "city": "", "region": "", "postal_code": "",
        "country": "US", "latitude": None, "longitude": None, "location_precision": "exact",
    }  # fmt: skip
    values.update({name: value for name, value in row.address.items() if value is not None})
    if row.address.get("latitude") is None:
        values["latitude"] = values["longitude"] = None
    if not row.address.get("country"):
        values["country"] = "US" if row.address.get("address_line1") else values["country"]
    org = orgs.get(row.organization_id)
    values["organization_id"] = org.pk if org else None
    if row.time_zone:
        values["time_zone"] = row.time_zone
    if row.kind == "sober_living_home":
        values["weekly_cost"] = row.weekly_cost
    wanted_terms = {terms[pair] for pair in row.terms if pair in terms}
    hours = {(p.weekday, p.opens, p.closes) for p in row.hours}
    return values, wanted_terms, hours


def _reachable(listing):
    return (
        (listing.offers_in_person and (listing.latitude is not None or listing.address_line1))
        or listing.offers_online
        or listing.offers_phone
    )


def _save_service(job, row, record, orgs, terms):
    report = job.report
    values, wanted_terms, hours = _values(row, orgs, terms)
    if record is None:
        model = typed_listing_models()[row.kind]
        detail = dict(KIND_DEFAULTS.get(row.kind, {}))
        if row.kind_detail and row.kind in KIND_FIELD:
            detail[KIND_FIELD[row.kind]] = row.kind_detail
        listing = model(slug=_free_slug(Listing, row.name), source=job.source, **detail, **values)
        published = row.kind_matched and _reachable(listing)
        listing.status = ListingStatus.PUBLISHED if published else ListingStatus.DRAFT
        if row.kind_matched and not published:
            report.warnings.append(f"{row.position}: no address, phone or web address: a draft")
            report.warning_counts["listings kept as drafts"] += 1
        job.sign(listing).save()
        with one_history_row(listing):
            listing.terms.set(wanted_terms)
        _set_hours(job, listing, hours)
        ExternalRecord.objects.create(
            source_label=job.source, table="service", external_id=row.external_id, listing=listing
        )
        report.created += 1
        report.note("created", listing)
        return
    listing = record.listing.specific
    if _changed_by_curator(listing, job.reason):
        report.warnings.append(
            f"{row.position}: {listing.name!r} was changed by a curator since the last "
            f"import: left as it is"
        )
        report.warning_counts["listings changed by curators left as they are"] += 1
        report.unchanged += 1
        return
    if listing.kind != row.kind:
        report.warnings.append(f"{row.position}: now says {row.kind}; kept as {listing.kind}")
        values.pop("weekly_cost", None)
    fields = {
        name: [str(getattr(listing, name)), str(value)]
        for name, value in values.items()
        if getattr(listing, name) != value
    }
    have_terms = set(listing.terms.values_list("pk", flat=True))
    have_hours = {(p.weekday, p.opens, p.closes) for p in listing.opening_hours.all()}
    if listing.status == ListingStatus.ARCHIVED and _reachable(listing):
        fields["status"] = [listing.status, ListingStatus.PUBLISHED]  # listed again
        values["status"] = ListingStatus.PUBLISHED
    if have_terms != wanted_terms:
        fields["terms"] = [len(have_terms), len(wanted_terms)]
    if have_hours != hours:
        fields["opening hours"] = [len(have_hours), len(hours)]
    if not fields:
        report.unchanged += 1
        return
    for name, value in values.items():
        setattr(listing, name, value)
    if listing.status == ListingStatus.PUBLISHED and not _reachable(listing):
        # No way left to reach it: archived, as a listing the source no longer lists.
        listing.status = ListingStatus.ARCHIVED
        fields["status"] = [ListingStatus.PUBLISHED, ListingStatus.ARCHIVED]
        report.warning_counts["listings archived: no way to reach them"] += 1
    job.sign(listing).save()
    if have_terms != wanted_terms:
        with one_history_row(listing):
            listing.terms.set(wanted_terms)
    if have_hours != hours:
        for period in listing.opening_hours.all():
            job.sign(period).delete()
        _set_hours(job, listing, hours)
    report.updated += 1
    report.note("updated", listing, fields)


def _set_hours(job, listing, hours):
    for weekday, opens, closes in sorted(hours):
        period = OpeningHours(listing=listing, weekday=weekday, opens=opens, closes=closes)
        job.sign(period).save()


def _changed_by_curator(listing, reason):
    """Whether the listing's last history row is a person's change, not an import's."""
    last = listing.history.order_by("-history_date", "-history_id").first()
    return last is not None and last.history_user_id and last.history_change_reason != reason


def _to_archive(job, services):
    """The published listings of this source the rows no longer list (checked first: a
    refused run changes nothing)."""
    listed = {row.external_id for row in services} | job.kept_ids
    published = list(
        Listing.objects.filter(
            external_records__source_label=job.source,
            external_records__table="service",
            status=ListingStatus.PUBLISHED,
        ).values_list("pk", "external_records__external_id")
    )
    gone = [pk for pk, ident in published if ident not in listed]
    # Rows that list nothing archive nothing, unless they say what ended.
    if gone and not services and not job.ended_ids:
        job.report.nothing_deactivated = (
            f"The source lists no service that could be imported: none of the "
            f"{len(published)} published listings of {job.source!r} was archived."
        )
        return []
    share = len(gone) / len(published) if published else 0
    if share > job.max_deactivate and not job.allow_deactivate:
        raise TooManyDeactivated(
            len(gone),
            len(published),
            [
                f"This import would archive {len(gone)} of the {len(published)} published "
                f"listings of {job.source!r} ({share:.0%}, more than the "
                f"{job.max_deactivate:.0%} allowed). If the source is right, import it again "
                f"with --allow-deactivate (or a higher --max-deactivate)."
            ],
        )
    return gone


def _archive(job, gone):
    for listing in Listing.objects.filter(pk__in=gone):
        listing = listing.specific
        listing.status = ListingStatus.ARCHIVED
        listing.updated_at = timezone.now()
        job.sign(listing).save()
        job.report.deactivated += 1
        job.report.note("deactivated", listing)
