"""Import a Meeting Guide JSON feed: groups, places and meetings, in one transaction.

The reader (``reader.py``) turns the feed into rows and reports every problem with its
position; the shared writer (``exchange/writer.py``) saves them, with history, search text
and kept pages forgotten. The rows that cannot be meetings are skipped and reported, the
others written; ``strict=True`` writes nothing when any row is invalid (as ``--strict``).

Meeting Guide feeds do not say which fellowship they list: it comes from ``--fellowship``
(or a non-standard ``fellowship`` column). The groups this importer creates carry
``source`` = the import's source label ("Meeting Guide import" unless told otherwise), and
its history rows the reason "Meeting Guide import from <source>".
"""

from exchange.meeting_guide.reader import read_feed, read_rows
from exchange.rows import FeedError
from exchange.writer import Import, save_meetings
from resources.models import known_time_zones

__all__ = ["SOURCE", "FeedError", "import_feed", "read_feed"]

SOURCE = "Meeting Guide import"


def import_feed(
    data,
    *,
    fellowship=None,
    source=SOURCE,
    dry_run=False,
    strict=False,
    user=None,
    time_zone="",
    skip_invalid=None,
    **guard,
):
    """Import the parsed feed ``data``; return an ImportReport or raise FeedError.

    ``strict``: write nothing when any row is invalid; by default those rows are skipped
    and reported (``skip_invalid``, its older spelling, is still read: True is strict=False).
    ``user``, when known, is recorded as the author of the history rows the import writes.
    ``time_zone``: the IANA zone of rows without a valid ``timezone`` of their own, before
    the one their place gives; never the site's ``TIME_ZONE``.
    ``guard`` may set the Import's ``max_deactivate``, ``allow_deactivate`` and ``progress``.
    """
    if not isinstance(data, list):
        raise FeedError(["The feed must be a JSON list of meetings."])
    job = Import(
        source=source,
        reason=f"Meeting Guide import from {source}",
        user=user,
        dry_run=dry_run,
        skip_invalid=not strict if skip_invalid is None else skip_invalid,
        **guard,
    )
    known = ", ".join(sorted({each.short_name for each in job.fellowships.values()}))
    if fellowship:
        if fellowship.casefold() not in job.fellowships:
            raise FeedError([f"No fellowship {fellowship!r}: give --fellowship one of {known}."])
        # Deactivation reaches the fellowship of this feed, even of an empty one.
        job.fellowship_ids.add(job.fellowships[fellowship.casefold()].pk)
    else:
        # Feeds seldom say: one line for the whole feed rather than one per row.
        unsaid = sum(1 for row in data if isinstance(row, dict) and not row.get("fellowship"))
        if unsaid:
            raise FeedError(
                [
                    f"{unsaid} of {len(data)} rows do not say their fellowship: give "
                    f"--fellowship, one of {known or '(none yet: add one in the admin)'}."
                ]
            )
    if time_zone and time_zone not in known_time_zones():
        raise FeedError([f"--time-zone {time_zone!r} is not an IANA name such as America/Toronto."])
    rows = read_rows(data, job, default_fellowship=fellowship, default_time_zone=time_zone or "")
    return save_meetings(job, rows)
