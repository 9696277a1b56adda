"""Import a Meeting Guide JSON feed: groups, places and meetings, in one transaction.

The reader (``reader.py``) turns the feed into rows and reports every problem with its
position; the shared writer (``exchange/writer.py``) saves them, with history, search text
and kept pages forgotten. Unless ``skip_invalid``, one bad row means nothing is written.

Meeting Guide feeds do not say which fellowship they list: it comes from ``--fellowship``
(or a non-standard ``fellowship`` column). The groups this importer creates carry
``source`` = the import's source label ("Meeting Guide import" unless told otherwise), and
its history rows the reason "Meeting Guide import from <source>".
"""

from exchange.meeting_guide.reader import read_feed, read_rows
from exchange.rows import FeedError
from exchange.writer import Import, save_meetings

__all__ = ["SOURCE", "FeedError", "import_feed", "read_feed"]

SOURCE = "Meeting Guide import"


def import_feed(
    data, *, fellowship=None, source=SOURCE, dry_run=False, skip_invalid=False, user=None
):
    """Import the parsed feed ``data``; return an ImportReport or raise FeedError.

    ``user``, when known, is recorded as the author of the history rows the import writes.
    """
    if not isinstance(data, list):
        raise FeedError(["The feed must be a JSON list of meetings."])
    job = Import(
        source=source,
        reason=f"Meeting Guide import from {source}",
        user=user,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    if fellowship:
        if fellowship.casefold() not in job.fellowships:
            raise FeedError([f"No fellowship {fellowship!r}: give a short name such as AA."])
        # Deactivation reaches the fellowship of this feed, even of an empty one.
        job.fellowship_ids.add(job.fellowships[fellowship.casefold()].pk)
    rows = read_rows(data, job, default_fellowship=fellowship)
    return save_meetings(job, rows)
