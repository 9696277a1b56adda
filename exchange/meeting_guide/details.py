"""What a Meeting Guide row says of a meeting beyond when and where (``rows.MeetingDetails``).

Every value is optional: a bad one is dropped with a warning and never refuses the row.

- ``regions`` (a list, widest first) wins; else ``region`` then ``sub_region``.
- ``url``, ``feedback_url``, ``entity_website_url`` (or ``entity_url``) and ``entity_logo``
  must be http or https addresses; ``feedback_emails`` (a list, or text with commas) and
  ``entity_email`` e-mail addresses.
- 7th-tradition handles: ``venmo`` "@Name", ``square`` "$Name" (a Cash App cashtag),
  ``paypal`` a PayPal.me name, given as "Name", "paypal.me/Name" or its web address. They
  are stored as "@Name", "$Name" and "Name".
- ``updated`` is the source's "YYYY-MM-DD HH:MM:SS" in UTC (ISO 8601 with a zone is read
  too), never the time of the import.
"""

import re
from datetime import UTC, datetime

from exchange.reading import email_address, optional_text, web_address
from exchange.rows import MeetingDetails

VENMO = re.compile(r"^@?([A-Za-z0-9_-]{1,50})$")
CASHTAG = re.compile(r"^\$?([A-Za-z0-9_-]{1,50})$")
PAYPAL = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:paypal\.me/|paypal\.com/paypalme/)?([A-Za-z0-9_.-]{1,50})/?$",
    re.IGNORECASE,
)
BAD_HANDLE = "bad 7th-tradition handles dropped"


# The keys a row gives details in; most rows of most feeds have none of them.
DETAIL_KEYS = frozenset(
    {
        "url",
        "updated",
        "regions",
        "region",
        "sub_region",
        "district",
        "location_notes",
        "feedback_url",
        "feedback_emails",
        "venmo",
        "paypal",
        "square",
        "entity",
        "entity_email",
        "entity_phone",
        "entity_location",
        "entity_website_url",
        "entity_url",
        "entity_logo",
    }
)
NO_DETAILS = MeetingDetails()


def details_of(row, warnings, has_place):
    """The ``MeetingDetails`` of the Meeting Guide ``row``. The row's ``location_notes``
    are kept here only for a meeting without a place (``has_place``: they are the place's)."""
    if DETAIL_KEYS.isdisjoint(row):
        return NO_DETAILS
    return MeetingDetails(
        source_url=_link(row, "url", warnings),
        source_updated=_updated(row.get("updated"), warnings),
        regions=_regions(row, warnings),
        district=optional_text(row, "district", warnings),
        location_notes="" if has_place else optional_text(row, "location_notes", warnings),
        feedback_url=_link(row, "feedback_url", warnings),
        feedback_emails=_emails(row.get("feedback_emails"), warnings),
        venmo=_handle(row, "venmo", VENMO, "@", warnings),
        paypal=_handle(row, "paypal", PAYPAL, "", warnings),
        square=_handle(row, "square", CASHTAG, "$", warnings),
        entity=optional_text(row, "entity", warnings),
        entity_email=_email(row, "entity_email", warnings),
        entity_phone=optional_text(row, "entity_phone", warnings),
        entity_location=optional_text(row, "entity_location", warnings),
        entity_url=_link(
            row, "entity_website_url" if row.get("entity_website_url") else "entity_url", warnings
        ),
        entity_logo=_link(row, "entity_logo", warnings),
    )


def _link(row, field, warnings):
    column = "entity_url" if field == "entity_website_url" else field
    return web_address(optional_text(row, field, warnings, column), field, warnings)


def _email(row, field, warnings):
    return email_address(optional_text(row, field, warnings), field, warnings)


def _regions(row, warnings):
    names = row.get("regions")
    if names in (None, "", []):
        names = [row.get("region"), row.get("sub_region")]
    elif not isinstance(names, list):
        warnings.append(("bad optional values dropped", "regions must be a list"))
        return ()
    regions = []
    for name in names:
        if isinstance(name, str) and (name := name.replace("\xa0", " ").strip()):
            regions.append(name[:200])
    return tuple(regions)


def _emails(value, warnings):
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;\s]+", value) if part]
    if value in (None, []):
        return ()
    if not isinstance(value, list):
        warnings.append(("bad e-mail addresses dropped", "feedback_emails must be a list"))
        return ()
    emails = []
    for each in value:
        email = email_address(
            each.strip() if isinstance(each, str) else str(each), "feedback_emails", warnings
        )
        if email and email not in emails:
            emails.append(email)
    return tuple(emails)


def _handle(row, field, pattern, prefix, warnings):
    value = optional_text(row, field, warnings)
    if not value:
        return ""
    match = pattern.match(value)
    if not match:
        warnings.append((BAD_HANDLE, f"{field} {value!r} is not a handle"))
        return ""
    return prefix + match.group(1)


def _updated(value, warnings):
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        warnings.append(("bad updated times dropped", f"updated {value!r} is not a time"))
        return None
    # The spec's times are UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
