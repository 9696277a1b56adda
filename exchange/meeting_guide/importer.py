"""Import a Meeting Guide JSON feed: groups, places and meetings, in one transaction.

Every row is checked first (see ``meeting_guide_rows``) and every problem is reported
with its position; unless ``skip_invalid``, one bad row means nothing is written.

Meetings are matched by slug, so importing the same feed twice changes nothing, and a
changed feed updates what changed. Meeting Guide feeds do not say which fellowship they
list: it comes from ``--fellowship`` (or a non-standard ``fellowship`` column).

Provenance: meetings have no source column, so the groups this importer creates carry
``source`` = the import's source label ("Meeting Guide import" unless told otherwise).
Groups are matched by fellowship, source label and name. A meeting of such a group, of a
fellowship in this feed, that the feed no longer lists is marked inactive, never deleted:
its page and history stay. Give each feed its own ``source`` label when one fellowship is
imported from several feeds, or each import deactivates the other feed's meetings.

Places and groups: see ``meeting_guide_listings``. Groups are written in bulk, which
bypasses the signals that keep the search index fresh, so the import then refreshes the
search text of the groups it created or changed, and only those (``deferred_search_index()``
would re-index every listing in the directory: 2.4 s of a 10,000-meeting import).

History: bulk writes also bypass the signals that keep the change history, so every place,
group and meeting created, changed or deactivated gets its history row here, written in bulk
(``resources.models.history.record_history``) with the reason "Meeting Guide import from
<source>" and the user who ran it, if known.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from exchange.meeting_guide.listings import BATCH, in_chunks, save_groups, save_places
from exchange.meeting_guide.rows import MeetingRow, RowProblems, describe, parse_row
from groups.models import (
    Fellowship,
    Meeting,
    MeetingFrequency,
    MeetingStatus,
)
from resources.models import Listing, Term
from resources.models.history import insert_objects, record_history
from resources.public_cache import forget_public_pages
from resources.search import refresh_search_index
from resources.vocabularies import Vocabulary

SOURCE = "Meeting Guide import"
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


class FeedError(Exception):
    """The feed cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


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


def read_feed(text):
    """The parsed feed; a FeedError unless it is JSON."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FeedError([f"The feed is not valid JSON: {error}"]) from error


def import_feed(
    data, *, fellowship=None, source=SOURCE, dry_run=False, skip_invalid=False, user=None
):
    """Import the parsed feed ``data``; return an ImportReport or raise FeedError.

    ``user``, when known, is recorded as the author of the history rows the import writes.
    """
    if not isinstance(data, list):
        raise FeedError(["The feed must be a JSON list of meetings."])
    fellowships = _fellowships()
    if fellowship and fellowship.casefold() not in fellowships:
        raise FeedError([f"No fellowship {fellowship!r}: give a short name such as AA."])
    report = ImportReport(dry_run=dry_run)
    rows, invalid_slugs = _check(data, fellowship, fellowships, report)
    existing, rows = _existing_meetings(rows, fellowships, report)
    if report.skipped and not skip_invalid:
        raise FeedError(report.skipped)
    # Deactivation reaches the fellowships of this feed, even of an empty one.
    scope = {fellowships[fellowship.casefold()].pk} if fellowship else set()
    with transaction.atomic():
        history = History(reason=f"Meeting Guide import from {source}", user=user)
        _write(rows, existing, scope, invalid_slugs, fellowships, source, report, history)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Bulk writes send no signals: the kept feeds, finder time zones and meeting
            # pages go once the import is committed.
            transaction.on_commit(forget_public_pages)
    return report


def _fellowships():
    by_name = {}
    for each in Fellowship.objects.all():
        by_name[each.short_name.casefold()] = each
        by_name[each.slug.casefold()] = each
    return by_name


def _check(data, default_fellowship, fellowships, report):
    """The valid meetings, in feed order; problems go to ``report.skipped``."""
    known_codes = set(
        Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", flat=True)
    )
    rows, first_position, invalid_slugs = [], {}, set()
    for position, row in enumerate(data, start=1):
        where = describe(position, row)
        warnings = []
        try:
            meetings = parse_row(position, row, default_fellowship, known_codes, warnings)
            problems = []
            if meetings[0].fellowship.casefold() not in fellowships:
                problems.append(f"no fellowship {meetings[0].fellowship!r}")
            for meeting in meetings:
                if meeting.slug in first_position:
                    problems.append(
                        f"slug {meeting.slug!r} is already used by row "
                        f"{first_position[meeting.slug]}"
                    )
            if problems:
                raise RowProblems(problems)
        except RowProblems as error:
            report.skipped += [f"{where}: {problem}" for problem in error.problems]
            if isinstance(row, dict) and isinstance(row.get("slug"), str):
                invalid_slugs.add(row["slug"].strip())
            continue
        report.warnings += [f"{where}: {warning}" for warning in warnings]
        for code in row.get("types") or []:
            if code not in known_codes:
                report.unknown_types.setdefault(code, []).append(position)
        for meeting in meetings:
            first_position[meeting.slug] = position
        rows += meetings
    return rows, invalid_slugs


def _existing_meetings(rows, fellowships, report):
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
        fellowship = fellowships[row.fellowship.casefold()]
        if meeting and meeting.fellowship_id != fellowship.pk:
            clashing.add(row.position)
            report.skipped.append(
                f"row {row.position} (slug '{row.slug}'): the slug is already used by a "
                f"meeting of another fellowship"
            )
    return existing, [row for row in rows if row.position not in clashing]


@dataclass
class History:
    """How the import signs the history rows it writes."""

    reason: str
    user: object = None

    def record(self, objs, history_type, when=None):
        record_history(objs, history_type, self.reason, user=self.user, when=when)


def _write(rows, existing, scope, invalid_slugs, fellowships, source, report, history):
    fellowship_of = {row.slug: fellowships[row.fellowship.casefold()] for row in rows}
    places = save_places(rows, report, history)
    groups, changed_groups = save_groups(rows, fellowship_of, places, source, report, history)
    # Groups are written in bulk, without the signals that index each saved listing.
    refresh_search_index(Listing.objects.filter(pk__in=changed_groups))
    terms = dict(Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", "pk"))
    now = timezone.now()
    to_create, to_update, wanted_types = [], [], {}
    for row in rows:
        group = groups[(fellowship_of[row.slug].pk, row.group_name)]
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

    _insert(Meeting, to_create, now)
    Meeting.objects.bulk_update(to_update, [*MEETING_FIELDS, "updated_at"], batch_size=BATCH)
    types_changed = _save_types(existing, to_create, wanted_types, now)
    updated = {meeting.slug for meeting in to_update} | types_changed
    report.created = len(to_create)
    report.updated = len(updated)
    report.unchanged = len(rows) - report.created - report.updated
    scope |= {fellowship.pk for fellowship in fellowship_of.values()}
    deactivated = _deactivate(scope, {row.slug for row in rows}, invalid_slugs, source, now)
    report.deactivated = len(deactivated)
    # After the types are stored: each history row keeps the meeting's types with it.
    history.record(to_create, "+", when=now)
    for slug in types_changed:
        existing[slug].updated_at = now
    history.record([existing[slug] for slug in sorted(updated)] + deactivated, "~", when=now)


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
    """Make each meeting's types what the feed says; the slugs of existing meetings changed."""
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
    _insert(through, links, now)
    # A change of types alone is a change of the meeting.
    for chunk in in_chunks(meeting.pk for meeting in changed):
        Meeting.objects.filter(pk__in=chunk).update(updated_at=now)
    return {meeting.slug for meeting in changed}


def _insert(model, objs, now):
    """bulk_create, or on PostgreSQL a COPY: for 10,000 meetings, 0.3 s rather than 2.4 s."""
    if connection.vendor != "postgresql" or not objs:
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    for obj in objs:
        if hasattr(obj, "created_at"):
            obj.created_at = obj.updated_at = now
    insert_objects(model, objs)
    if model is Meeting:
        for chunk in in_chunks(objs):
            pks = dict(
                Meeting.objects.filter(slug__in=[obj.slug for obj in chunk]).values_list(
                    "slug", "pk"
                )
            )
            for obj in chunk:
                obj.pk = pks[obj.slug]
                obj._state.adding = False


def _deactivate(fellowship_ids, listed_slugs, invalid_slugs, source, now):
    """Mark inactive the imported meetings of these fellowships that the feed left out.

    Returns those meetings, as they now are.
    """
    candidates = (
        Meeting.objects.filter(group__source=source, group__fellowship_id__in=fellowship_ids)
        .filter(~Q(status=MeetingStatus.INACTIVE))
        .values_list("pk", "slug")
    )
    # A skipped row's meetings stay as they are, including those of a list of days.
    gone = [
        pk
        for pk, slug in candidates
        if slug not in listed_slugs
        and slug not in invalid_slugs
        and slug.rsplit("-", 1)[0] not in invalid_slugs
    ]
    deactivated = []
    for chunk in in_chunks(gone):
        Meeting.objects.filter(pk__in=chunk).update(status=MeetingStatus.INACTIVE, updated_at=now)
        deactivated += Meeting.objects.filter(pk__in=chunk)
    return deactivated
