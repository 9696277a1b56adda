"""The one writer of every importer: saves the rows a reader made (``exchange.rows``) in bulk.

Each source keeps its own meetings: a meeting carries ``source`` (the import's source label)
and ``source_slug`` (the row's slug), and is matched by both, so importing the same rows twice
changes nothing, changed rows update what changed, and nothing from one source ever changes
another source's meetings (or a curator's, whose source is blank). A new meeting takes the
row's slug as the site's slug when it is free, else the first free ``<slug>-2``,
``<slug>-3``…, and keeps it on every later import. Places and groups are written first
(``places_and_groups``); the groups an import creates carry its source label too, and are
matched by fellowship, source label and name.

A meeting of this source, of a fellowship in this import, that the rows no longer list is
marked inactive, never deleted: its page and history stay. No accident deactivates a
source: rows that list no meeting at all (an empty feed, or every row refused) deactivate
nothing, and a run that would deactivate more than ``max_deactivate`` (a share, 25% unless
told) of the source's active meetings is refused whole unless ``allow_deactivate``.

Bulk writes (``resources.bulk``) send no signals, so the writer does their work itself:

- search text: it refreshes that of the groups it created or changed, and only those
  (``deferred_search_index()`` would re-index every listing in the directory: 2.4 s of a
  10,000-meeting import);
- history: every place, group and meeting created, changed or deactivated gets its history
  row, written in bulk (``record_history``) with the import's reason and user;
- kept pages: the feeds, finder time zones and meeting pages are forgotten once the import
  is committed (``forget_public_pages``).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from exchange.changes import Changes
from exchange.places_and_groups import save_groups, save_places
from exchange.rows import FeedError, MeetingRow
from groups.models import (
    SOURCE_DETAIL_FIELDS,
    Fellowship,
    Meeting,
    MeetingFrequency,
    MeetingStatus,
)
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
    # The source's page, feedback, 7th-tradition links, entity, regions (MeetingDetails).
    *SOURCE_DETAIL_FIELDS,
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    skipped: list = field(default_factory=list)
    by_appointment: int = 0  # rows kept with no day or time
    warnings: list = field(default_factory=list)
    unknown_types: dict = field(default_factory=dict)
    warning_counts: Counter = field(default_factory=Counter)  # {kind: how many}
    groups_created: int = 0
    groups_updated: int = 0
    places_created: int = 0
    places_updated: int = 0
    dry_run: bool = False
    nothing_deactivated: str = ""  # why deactivation was left out, when it was
    # The meetings created, updated (before → after) and deactivated, the first few hundred.
    changes: Changes = field(default_factory=Changes)

    def lines(self):
        would = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{would} meetings: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated, "
            f"{len(self.skipped)} invalid rows skipped.",
            f"Groups: {self.groups_created} created, {self.groups_updated} updated. "
            f"Places: {self.places_created} created, {self.places_updated} updated.",
        ]
        if self.by_appointment:
            lines.append(f"Meetings by appointment (no day or time, kept): {self.by_appointment}.")
        if self.nothing_deactivated:
            lines.append(self.nothing_deactivated)
        if self.warning_counts:
            counts = ", ".join(
                f"{count} {kind}" for kind, count in sorted(self.warning_counts.items())
            )
            lines.append(f"Warnings: {counts}.")
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


DEFAULT_MAX_DEACTIVATE = 0.25
PROGRESS_EVERY = 1000


@dataclass
class Import:
    """One run of an importer: where its rows come from, what it may change, what it did."""

    source: str  # the label on the groups it creates, by which it finds them again
    reason: str  # why, in the history rows it writes
    user: object = None  # who, in the history rows, when known
    dry_run: bool = False  # write, report, then roll back
    skip_invalid: bool = True  # write the valid rows even when some are not (not --strict)
    # Deactivation reaches these fellowships and those of the rows, even with no rows.
    fellowship_ids: set = field(default_factory=set)
    # Slugs of rows the reader skipped: their meetings stay as they are.
    kept_slugs: set = field(default_factory=set)
    # Deactivating more than this share of the source's active meetings needs allow_deactivate.
    max_deactivate: float = DEFAULT_MAX_DEACTIVATE
    allow_deactivate: bool = False
    # Called with a line of progress now and then in long imports (every PROGRESS_EVERY rows).
    progress: object = None
    fellowships: dict = field(init=False)
    report: ImportReport = field(init=False)

    def __post_init__(self):
        self.fellowships = fellowships_by_name()
        self.report = ImportReport(dry_run=self.dry_run)

    def say(self, line):
        if self.progress:
            self.progress(line)

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
    """{source slug: Meeting} of this source already stored; rows whose meeting belongs to
    another fellowship are dropped."""
    existing = {}
    for chunk in in_chunks(row.slug for row in rows):
        meetings = Meeting.objects.filter(source=job.source, source_slug__in=chunk).annotate(
            fellowship_id=F("group__fellowship_id")
        )
        for meeting in meetings:
            existing[meeting.source_slug] = meeting
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
    now = timezone.now()
    # Checked before anything is written: a refused run changes nothing.
    gone = _to_deactivate(job, rows)
    places = save_places(job, rows)
    groups, changed_groups = save_groups(job, rows, places)
    # Groups are written in bulk, without the signals that index each saved listing.
    refresh_search_index(Listing.objects.filter(pk__in=changed_groups))
    terms = dict(Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", "pk"))
    to_create, to_update, wanted_types = [], [], {}
    changed_fields = set()
    for number, row in enumerate(rows, start=1):
        if number % PROGRESS_EVERY == 0:
            job.say(f"Compared {number:,} of {len(rows):,} meetings…")
        group = groups[(job.fellowship_of(row).pk, row.group_name)]
        values = _meeting_values(row, group, places)
        meeting = existing.get(row.slug)
        if meeting is None:
            meeting = Meeting(source=job.source, source_slug=row.slug, **values)
            to_create.append(meeting)
        elif changed := [name for name, value in values.items() if getattr(meeting, name) != value]:
            report.changes.note_updated(meeting, values)
            for name, value in values.items():
                setattr(meeting, name, value)
            meeting.updated_at = now
            to_update.append(meeting)
            changed_fields.update(changed)
        wanted_types[row.slug] = {terms[code] for code in row.type_codes}

    _give_site_slugs(to_create)
    if len(rows) >= PROGRESS_EVERY:
        job.say(f"Writing {len(to_create):,} new and {len(to_update):,} changed meetings…")
    create(Meeting, to_create, now)
    # Only the columns some meeting changed: bulk_update's cost grows with each column.
    changed_columns = [name for name in MEETING_FIELDS if name in changed_fields]
    Meeting.objects.bulk_update(to_update, [*changed_columns, "updated_at"], batch_size=BATCH)
    codes = {pk: code for code, pk in terms.items()}
    types_changed = _save_types(
        existing,
        to_create,
        wanted_types,
        now,
        noted=lambda changed, have: report.changes.note_types(changed, have, wanted_types, codes),
    )
    report.changes.note_created(to_create)
    updated = {meeting.source_slug for meeting in to_update} | types_changed
    report.created = len(to_create)
    report.updated = len(updated)
    report.unchanged = len(rows) - report.created - report.updated
    deactivated = _deactivate(gone, now)
    report.deactivated = len(deactivated)
    report.changes.note_deactivated(deactivated)
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
        "frequency": (
            MeetingFrequency.BY_APPOINTMENT if row.weekday is None else MeetingFrequency.WEEKLY
        ),
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
        **row.details.values(),
    }


def _save_types(existing, created, wanted, now, noted=None):
    """Make each meeting's types what the rows say; the source slugs of existing meetings
    changed. ``noted(changed meetings, {meeting pk: term ids before})`` hears of them."""
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
        if meeting.source_slug in wanted and have[meeting.pk] != wanted[meeting.source_slug]
    ]
    if noted:
        noted(changed, have)
    for chunk in in_chunks(meeting.pk for meeting in changed):
        through.objects.filter(meeting_id__in=chunk).delete()
    links = [
        through(meeting_id=meeting.pk, term_id=term_id)
        for meeting in [*changed, *created]
        for term_id in wanted[meeting.source_slug]
    ]
    create(through, links, now)
    # A change of types alone is a change of the meeting.
    for chunk in in_chunks(meeting.pk for meeting in changed):
        Meeting.objects.filter(pk__in=chunk).update(updated_at=now)
    return {meeting.source_slug for meeting in changed}


def create(model, objs, now):
    """Insert new objects in bulk, stamped as created and updated ``now``."""
    if hasattr(model, "created_at"):
        for obj in objs:
            obj.created_at = obj.updated_at = now
    insert_objects(model, objs)


def _give_site_slugs(meetings):
    """Give new meetings their site slug: the source's when free, else the first free
    ``<slug>-2``, ``<slug>-3``…; meetings whose own slug is free get it first."""
    wanted = [meeting.source_slug for meeting in meetings]
    taken = set()
    for chunk in in_chunks(wanted):
        taken.update(Meeting.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    clashing = []
    for meeting in meetings:
        if meeting.source_slug in taken:
            clashing.append(meeting)
        else:
            meeting.slug = meeting.source_slug
            taken.add(meeting.slug)
    if not clashing:
        return
    taken |= set(Meeting.objects.values_list("slug", flat=True))
    max_length = Meeting._meta.get_field("slug").max_length
    for meeting in clashing:
        number = 1
        while True:
            number += 1
            suffix = f"-{number}"
            slug = meeting.source_slug[: max_length - len(suffix)] + suffix
            if slug not in taken:
                break
        meeting.slug = slug
        taken.add(slug)


class TooManyDeactivated(FeedError):
    """The import would deactivate more than its share: ``count`` of ``active`` meetings."""

    def __init__(self, count, active, problems):
        super().__init__(problems)
        self.count = count
        self.active = active


def _to_deactivate(job, rows):
    """The pks of this source's active meetings, of these fellowships, that the rows leave
    out; none when the rows list no meeting at all.

    Raises FeedError when they are more than ``job.max_deactivate`` of the source's active
    meetings, unless ``job.allow_deactivate``.
    """
    fellowship_ids = job.fellowship_ids | {job.fellowship_of(row).pk for row in rows}
    candidates = list(
        Meeting.objects.filter(source=job.source, group__fellowship_id__in=fellowship_ids)
        .filter(~Q(status=MeetingStatus.INACTIVE))
        .values_list("pk", "source_slug")
    )
    listed = {row.slug for row in rows}
    # A skipped row's meetings stay as they are, including those of a list of days.
    kept = job.kept_slugs
    gone = [
        pk
        for pk, slug in candidates
        if slug not in listed and slug not in kept and slug.rsplit("-", 1)[0] not in kept
    ]
    if gone and not rows:
        job.report.nothing_deactivated = (
            f"The feed lists no meeting that could be imported: none of the {len(candidates)} "
            f"active meetings of {job.source!r} was deactivated."
        )
        return []
    share = len(gone) / len(candidates) if candidates else 0
    if share > job.max_deactivate and not job.allow_deactivate:
        raise TooManyDeactivated(
            len(gone),
            len(candidates),
            [
                f"This import would deactivate {len(gone)} of the {len(candidates)} active "
                f"meetings of {job.source!r} ({share:.0%}, more than the "
                f"{job.max_deactivate:.0%} allowed). If the feed is right, import it again "
                f"with --allow-deactivate (or a higher --max-deactivate)."
            ],
        )
    return gone


def _deactivate(gone, now):
    """Mark inactive the meetings of pks ``gone``; return them, as they now are."""
    deactivated = []
    for chunk in in_chunks(gone):
        Meeting.objects.filter(pk__in=chunk).update(status=MeetingStatus.INACTIVE, updated_at=now)
        deactivated += Meeting.objects.filter(pk__in=chunk)
    return deactivated
