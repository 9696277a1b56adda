"""The one writer of every importer: saves the rows a reader made (``exchange.rows``) in bulk.

Meetings are matched by slug, so importing the same rows twice changes nothing, and changed
rows update what changed. Places and groups are written first (``places_and_groups``).

Provenance: meetings have no source column, so the groups an import creates carry
``source`` = the import's source label. Groups are matched by fellowship, source label and
name. A meeting of such a group, of a fellowship in this import, that the rows no longer
list is marked inactive, never deleted: its page and history stay. Give each feed its own
``source`` label when one fellowship is imported from several feeds, or each import
deactivates the other feed's meetings.

Bulk writes (``resources.bulk``) send no signals, so the writer does their work itself:

- search text: it refreshes that of the groups it created or changed, and only those
  (``deferred_search_index()`` would re-index every listing in the directory: 2.4 s of a
  10,000-meeting import);
- history: every place, group and meeting created, changed or deactivated gets its history
  row, written in bulk (``record_history``) with the import's reason and user;
- kept pages: the feeds, finder time zones and meeting pages are forgotten once the import
  is committed (``forget_public_pages``).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from exchange.places_and_groups import save_groups, save_places
from exchange.rows import FeedError, MeetingRow
from groups.models import Fellowship, Meeting, MeetingFrequency, MeetingStatus
from resources.bulk import BATCH, in_chunks, insert_objects
from resources.models import Listing, Term
from resources.models.history import record_history
from resources.public_cache import forget_public_pages
from resources.search_index import refresh_search_index
from resources.vocabularies import Vocabulary

MEETING_FIELDS = [
    "group_id",
    "name",
    "weekday",
    "frequency",
    "week_of_month",
    "start_time",
    "end_time",
    "time_zone",
    "attendance",
    "place_id",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "notes",
    "status",
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    unknown_types: dict = field(default_factory=dict)
    groups_created: int = 0
    groups_updated: int = 0
    places_created: int = 0
    places_updated: int = 0
    dry_run: bool = False

    def lines(self):
        would = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{would} meetings: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated, "
            f"{len(self.skipped)} invalid rows skipped.",
            f"Groups: {self.groups_created} created, {self.groups_updated} updated. "
            f"Places: {self.places_created} created, {self.places_updated} updated.",
        ]
        lines += [f"Skipped {problem}" for problem in self.skipped]
        lines += [f"Warning: {warning}" for warning in self.warnings]
        for code, positions in sorted(self.unknown_types.items()):
            rows = ", ".join(str(position) for position in positions)
            lines.append(f"Unknown type code {code!r} left out (rows {rows}).")
        return lines


def fellowships_by_name():
    """{casefolded short name or slug: Fellowship}: how rows name their fellowship."""
    by_name = {}
    for each in Fellowship.objects.all():
        by_name[each.short_name.casefold()] = each
        by_name[each.slug.casefold()] = each
    return by_name


@dataclass
class Import:
    """One run of an importer: where its rows come from, what it may change, what it did."""

    source: str  # the label on the groups it creates, by which it finds them again
    reason: str  # why, in the history rows it writes
    user: object = None  # who, in the history rows, when known
    dry_run: bool = False  # write, report, then roll back
    skip_invalid: bool = False  # write the valid rows even when some are not
    # Deactivation reaches these fellowships and those of the rows, even with no rows.
    fellowship_ids: set = field(default_factory=set)
    # Slugs of rows the reader skipped: their meetings stay as they are.
    kept_slugs: set = field(default_factory=set)
    fellowships: dict = field(init=False)
    report: ImportReport = field(init=False)

    def __post_init__(self):
        self.fellowships = fellowships_by_name()
        self.report = ImportReport(dry_run=self.dry_run)

    def fellowship_of(self, row):
        return self.fellowships[row.fellowship.casefold()]

    def record(self, objs, history_type, when=None):
        """Write the history rows of ``objs``, signed with this import's reason and user."""
        record_history(objs, history_type, self.reason, user=self.user, when=when)


def save_meetings(job, rows):
    """Save ``rows`` (MeetingRows) with their places and groups; return the report.

    Raises FeedError when any row was skipped, unless ``job.skip_invalid``.
    """
    existing, rows = _existing_meetings(job, rows)
    if job.report.skipped and not job.skip_invalid:
        raise FeedError(job.report.skipped)
    with transaction.atomic():
        _write(job, rows, existing)
        if job.dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(forget_public_pages)
    return job.report


def _existing_meetings(job, rows):
    """{slug: Meeting} already stored; rows whose slug another fellowship uses are dropped."""
    existing = {}
    for chunk in in_chunks(row.slug for row in rows):
        meetings = Meeting.objects.filter(slug__in=chunk).annotate(
            fellowship_id=F("group__fellowship_id")
        )
        for meeting in meetings:
            existing[meeting.slug] = meeting
    clashing = set()
    for row in rows:
        meeting = existing.get(row.slug)
        if meeting and meeting.fellowship_id != job.fellowship_of(row).pk:
            clashing.add(row.position)
            job.report.skipped.append(
                f"row {row.position} (slug '{row.slug}'): the slug is already used by a "
                f"meeting of another fellowship"
            )
    return existing, [row for row in rows if row.position not in clashing]


def _write(job, rows, existing):
    report = job.report
    places = save_places(job, rows)
    groups, changed_groups = save_groups(job, rows, places)
    # Groups are written in bulk, without the signals that index each saved listing.
    refresh_search_index(Listing.objects.filter(pk__in=changed_groups))
    terms = dict(Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", "pk"))
    now = timezone.now()
    to_create, to_update, wanted_types = [], [], {}
    for row in rows:
        group = groups[(job.fellowship_of(row).pk, row.group_name)]
        values = _meeting_values(row, group, places)
        meeting = existing.get(row.slug)
        if meeting is None:
            meeting = Meeting(slug=row.slug, **values)
            to_create.append(meeting)
        elif any(getattr(meeting, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(meeting, name, value)
            meeting.updated_at = now
            to_update.append(meeting)
        wanted_types[row.slug] = {terms[code] for code in row.type_codes}

    create(Meeting, to_create, now)
    Meeting.objects.bulk_update(to_update, [*MEETING_FIELDS, "updated_at"], batch_size=BATCH)
    types_changed = _save_types(existing, to_create, wanted_types, now)
    updated = {meeting.slug for meeting in to_update} | types_changed
    report.created = len(to_create)
    report.updated = len(updated)
    report.unchanged = len(rows) - report.created - report.updated
    fellowship_ids = job.fellowship_ids | {job.fellowship_of(row).pk for row in rows}
    deactivated = _deactivate(job, fellowship_ids, {row.slug for row in rows}, now)
    report.deactivated = len(deactivated)
    # After the types are stored: each history row keeps the meeting's types with it.
    job.record(to_create, "+", when=now)
    for slug in types_changed:
        existing[slug].updated_at = now
    job.record([existing[slug] for slug in sorted(updated)] + deactivated, "~", when=now)


def _meeting_values(row: MeetingRow, group, places):
    return {
        "group_id": group.pk,
        "name": row.name,
        "weekday": row.weekday,
        "frequency": MeetingFrequency.WEEKLY,
        "week_of_month": None,
        "start_time": row.start_time,
        "end_time": row.end_time,
        "time_zone": row.time_zone,
        "attendance": row.attendance,
        "place_id": places[row.place.key].pk if row.place else None,
        "conference_url": row.conference_url,
        "conference_url_notes": row.conference_url_notes,
        "conference_phone": row.conference_phone,
        "conference_phone_notes": row.conference_phone_notes,
        "notes": row.notes,
        "status": row.status,
    }


def _save_types(existing, created, wanted, now):
    """Make each meeting's types what the rows say; the slugs of existing meetings changed."""
    through = Meeting.types.through
    have = defaultdict(set)
    ids = [meeting.pk for meeting in existing.values()]
    for chunk in in_chunks(ids):
        pairs = through.objects.filter(meeting_id__in=chunk).values_list("meeting_id", "term_id")
        for meeting_id, term_id in pairs:
            have[meeting_id].add(term_id)
    changed = [
        meeting
        for meeting in existing.values()
        if meeting.slug in wanted and have[meeting.pk] != wanted[meeting.slug]
    ]
    for chunk in in_chunks(meeting.pk for meeting in changed):
        through.objects.filter(meeting_id__in=chunk).delete()
    links = [
        through(meeting_id=meeting.pk, term_id=term_id)
        for meeting in [*changed, *created]
        for term_id in wanted[meeting.slug]
    ]
    create(through, links, now)
    # A change of types alone is a change of the meeting.
    for chunk in in_chunks(meeting.pk for meeting in changed):
        Meeting.objects.filter(pk__in=chunk).update(updated_at=now)
    return {meeting.slug for meeting in changed}


def create(model, objs, now):
    """Insert new objects in bulk, stamped as created and updated ``now``."""
    if hasattr(model, "created_at"):
        for obj in objs:
            obj.created_at = obj.updated_at = now
    insert_objects(model, objs)


def _deactivate(job, fellowship_ids, listed_slugs, now):
    """Mark inactive the imported meetings of these fellowships that the rows left out.

    Returns those meetings, as they now are.
    """
    candidates = (
        Meeting.objects.filter(group__source=job.source, group__fellowship_id__in=fellowship_ids)
        .filter(~Q(status=MeetingStatus.INACTIVE))
        .values_list("pk", "slug")
    )
    # A skipped row's meetings stay as they are, including those of a list of days.
    kept = job.kept_slugs
    gone = [
        pk
        for pk, slug in candidates
        if slug not in listed_slugs and slug not in kept and slug.rsplit("-", 1)[0] not in kept
    ]
    deactivated = []
    for chunk in in_chunks(gone):
        Meeting.objects.filter(pk__in=chunk).update(status=MeetingStatus.INACTIVE, updated_at=now)
        deactivated += Meeting.objects.filter(pk__in=chunk)
    return deactivated
