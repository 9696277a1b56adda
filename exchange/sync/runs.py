"""One run of a source: fetch it, import it, keep the change report (``SyncRun``).

Fetching (``fetch.py``) and importing (``import_body``) are apart: ``import_body`` imports
a body for a source through the format's own importer, so every rule of the importers holds
(each source keeps its own meetings, time zones, the deactivation share, history, search
text, kept pages). A new format adds its reader there.

Outcomes:
- imported: the feed was imported (0 created, 0 updated when nothing in it changed);
- not changed: the server answered 304 to the last good fetch's ETag or date;
- held: the feed would deactivate more than the source's share; nothing is imported, the
  change report says what would change, the body is kept until a curator approves (then it
  is imported as the held run showed) or rejects it; a newer run supersedes it;
- failed: the fetch or the feed failed, with the reason.

A good fetch (imported or held) keeps the server's ETag and Last-Modified for the next
one; a failed one keeps those of the last good fetch, so the next run fetches the feed whole.
"""

import logging

from django.db import transaction
from django.utils import timezone

from exchange.bmlt.importer import import_bmlt
from exchange.bmlt.reader import read_feed as read_bmlt
from exchange.hsds.importer import fetch_api, import_hsds, read_source
from exchange.meeting_guide.importer import import_feed
from exchange.meeting_guide.reader import read_feed as read_meeting_guide
from exchange.models import RunOutcome, SourceFormat, SyncRun
from exchange.rows import FeedError
from exchange.sync.fetch import Fetched, FetchError, fetch
from exchange.writer import TooManyDeactivated

logger = logging.getLogger(__name__)

REPORT_LINES = 200  # the importer's report lines kept with a run


class AlreadyDecided(Exception):
    """The run is no longer held: someone decided it, or a newer run replaced it."""


def import_body(source, body, *, dry_run=False, allow_deactivate=False, user=None):
    """Import the fetched ``body`` for ``source`` with its format's importer; return the
    ImportReport, or raise FeedError (TooManyDeactivated when the share is passed)."""
    options = {
        "source": source.label,
        "fellowship": source.fellowship.short_name if source.fellowship else None,
        "time_zone": source.time_zone,
        "dry_run": dry_run,
        "skip_invalid": True,
        "user": user,
        "max_deactivate": source.max_deactivate_percent / 100,
        "allow_deactivate": allow_deactivate,
    }
    if source.format == SourceFormat.MEETING_GUIDE:
        return import_feed(read_meeting_guide(body), **options)
    if source.format == SourceFormat.BMLT:
        return import_bmlt(read_bmlt(body), **options)
    if source.format == SourceFormat.HSDS:
        # The body is the API's pages, fetched together (fetch_body); the fellowship and
        # time zone are the meeting formats' and mean nothing here.
        return import_hsds(read_source(body), **options, source_url=source.url)
    raise FeedError([f"No importer for the format {source.format!r}."])


def sync_source(source, *, force=False, dry_run=False, **limits):
    """Fetch and import ``source`` now; return its SyncRun (not saved when ``dry_run``).

    ``force`` fetches the feed whole, without the last fetch's ETag or date. ``limits``
    may set fetch()'s ``timeout``, ``deadline`` and ``max_bytes``.
    """
    run = SyncRun(source=source, started_at=timezone.now())
    conditional = {} if force else {"etag": source.etag, "last_modified": source.last_modified}
    try:
        fetched = fetch_body(source, conditional, limits)
    except FetchError as error:
        run.outcome, run.error = RunOutcome.FAILED, str(error)
        return _finish(run, None, dry_run)
    run.http_status = fetched.status
    if fetched.not_changed:
        run.outcome = RunOutcome.NOT_CHANGED
        return _finish(run, fetched, dry_run)
    run.size = len(fetched.body)
    try:
        _import(run, fetched.body, dry_run)
    except FeedError as error:
        run.outcome, run.error = RunOutcome.FAILED, "\n".join(error.problems)
    except Exception as error:  # One source's surprise must not stop the others.
        logger.exception("Sync of source %s failed", source.name)
        run.outcome, run.error = RunOutcome.FAILED, f"Unexpected error: {error!r}"
    return _finish(run, fetched, dry_run)


def fetch_body(source, conditional, limits):
    """What ``import_body`` imports: the feed, or for an HSDS API every page of its services
    and organizations in one JSON document (``fetch_api``: each page through ``fetch``, all
    together within the same bytes and seconds as one feed; no ETag: paged APIs are fetched
    whole each time, and an unchanged API imports as 0 created, 0 updated)."""
    if source.format == SourceFormat.HSDS:
        try:
            return Fetched(200, fetch_api(source.url, **limits), "", "")
        except FeedError as error:
            raise FetchError("\n".join(error.problems)) from error
    return fetch(source.url, **conditional, **limits)


def _import(run, body, dry_run):
    try:
        report = import_body(run.source, body, dry_run=dry_run)
    except TooManyDeactivated as held:
        # What approving would do, without doing it.
        report = import_body(run.source, body, dry_run=True, allow_deactivate=True)
        run.outcome = RunOutcome.HELD
        run.error = (
            f"This feed would deactivate {held.count} of the {held.active} active meetings of "
            f"the source, more than its {run.source.max_deactivate_percent}%: approve it if "
            f"the feed is right, else reject it."
        )
        run.keep_body(body)
        _keep_report(run, report)
        for entry in run.changes["created"]:
            entry["id"] = None  # made in a rolled-back transaction
        return
    run.outcome = RunOutcome.IMPORTED
    _keep_report(run, report)


def _keep_report(run, report):
    run.created, run.updated = report.created, report.updated
    run.unchanged, run.deactivated = report.unchanged, report.deactivated
    run.skipped = len(report.skipped)
    run.warning_counts = dict(report.warning_counts)
    run.report_lines = report.lines()[:REPORT_LINES]
    run.changes = report.changes.as_json()


def _finish(run, fetched, dry_run):
    run.finished_at = timezone.now()
    if dry_run:
        return run
    source = run.source
    with transaction.atomic():
        run.save()
        state = {"last_fetched_at": run.started_at, "last_status": status_line(run)[:500]}
        if fetched and run.outcome in (RunOutcome.IMPORTED, RunOutcome.HELD):
            state |= {"etag": fetched.etag[:500], "last_modified": fetched.last_modified[:100]}
            # A newer feed replaces any feed still waiting for a curator.
            _supersede(source.runs.filter(outcome=RunOutcome.HELD).exclude(pk=run.pk))
        # Without a history row: the fetch state is not something a curator entered.
        type(source).objects.filter(pk=source.pk).update(**state)
        for name, value in state.items():
            setattr(source, name, value)
    return run


def _supersede(runs):
    runs.update(outcome=RunOutcome.SUPERSEDED, held_body=None, decided_at=timezone.now())


def status_line(run):
    """One line on what the run did, for the command's output and the source's last status."""
    outcome = run.get_outcome_display()
    if run.outcome == RunOutcome.FAILED:
        first = run.error.splitlines()[0] if run.error else ""
        return f"{outcome}: {first}"
    if run.outcome == RunOutcome.NOT_CHANGED:
        return f"{outcome} since the last fetch"
    counts = (
        f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
        f"{run.deactivated} deactivated, {run.skipped} rows skipped"
    )
    if run.outcome == RunOutcome.HELD:
        return f"{outcome}: would deactivate too many ({counts})"
    return f"{outcome}: {counts}"


def approve(run, user):
    """Import a held run's feed as it was fetched, deactivations and all; return the run.

    Raises AlreadyDecided, or FeedError when the feed cannot be imported now.
    """
    with transaction.atomic():
        run = (
            SyncRun.objects.select_for_update(of=("self",))
            .select_related("source__fellowship")
            .get(pk=run.pk)
        )
        if not run.is_held:
            raise AlreadyDecided
        report = import_body(run.source, run.body(), allow_deactivate=True, user=user)
        _keep_report(run, report)
        _decide(run, RunOutcome.APPROVED, user)
    return run


def reject(run, user):
    """Drop a held run's feed: nothing of it is imported. Raises AlreadyDecided."""
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().select_related("source").get(pk=run.pk)
        if not run.is_held:
            raise AlreadyDecided
        _decide(run, RunOutcome.REJECTED, user)
    return run


def _decide(run, outcome, user):
    run.outcome, run.decided_by, run.decided_at = outcome, user, timezone.now()
    run.held_body = None
    run.save()
    source = run.source
    source.last_status = status_line(run)[:500]
    type(source).objects.filter(pk=source.pk).update(last_status=source.last_status)
