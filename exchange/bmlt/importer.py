"""Import a BMLT root server's meetings (``switcher=GetSearchResults``), in one transaction.

The reader (``reader.py``) turns the response into rows and reports every problem with its
position; the shared writer (``exchange/writer.py``) saves them, exactly as for a Meeting
Guide feed. BMLT servers list Narcotics Anonymous meetings, so the fellowship is "NA" unless
told. The groups this importer creates carry ``source`` = the import's source label (one per
server: a root server's ids are its own), and its history rows the reason
"BMLT import from <source>".
"""

from exchange.bmlt.reader import formats_of, meetings_of, read_feed, read_rows
from exchange.rows import FeedError
from exchange.writer import Import, save_meetings
from resources.models import known_time_zones

__all__ = ["FELLOWSHIP", "FeedError", "import_bmlt", "read_feed"]

FELLOWSHIP = "NA"


def import_bmlt(
    data,
    *,
    source,
    fellowship=FELLOWSHIP,
    dry_run=False,
    strict=False,
    user=None,
    time_zone="",
    skip_invalid=None,
    **guard,
):
    """Import the parsed BMLT response ``data``; return an ImportReport or raise FeedError.

    ``strict`` and ``skip_invalid`` as for ``exchange.meeting_guide.importer.import_feed``.

    ``time_zone``: the IANA zone of rows whose ``time_zone`` is empty or unknown, before the
    one their place gives. ``guard`` may set the Import's ``max_deactivate``,
    ``allow_deactivate`` and ``progress``.
    """
    if not source or not source.strip():
        raise FeedError(["Give the BMLT server a --source label, such as 'BMLT Chicagoland'."])
    meetings = meetings_of(data)
    job = Import(
        source=source.strip(),
        reason=f"BMLT import from {source.strip()}",
        user=user,
        dry_run=dry_run,
        skip_invalid=not strict if skip_invalid is None else skip_invalid,
        **guard,
    )
    fellowship = (fellowship or "").strip()
    if not fellowship or fellowship.casefold() not in job.fellowships:
        known = ", ".join(sorted({each.short_name for each in job.fellowships.values()}))
        raise FeedError([f"No fellowship {fellowship!r}: give --fellowship one of {known}."])
    # Deactivation reaches the fellowship of this server, even with an empty response.
    job.fellowship_ids.add(job.fellowships[fellowship.casefold()].pk)
    if time_zone and time_zone not in known_time_zones():
        raise FeedError([f"--time-zone {time_zone!r} is not an IANA name such as America/Toronto."])
    rows = read_rows(
        meetings, job, fellowship, default_time_zone=time_zone or "", world_ids=formats_of(data)
    )
    return save_meetings(job, rows)
