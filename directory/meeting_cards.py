"""The cards of the meeting finder's results, kept in the cache for every visitor alike.

A card says what a meeting says of itself: its name and link, its fellowship and how people
attend, its place's name and town, its types, its Join / Dial in / Directions / Add to
calendar buttons and the save-to-plan button. That is the same for everyone shown the
meeting, whatever the day, so it is kept per meeting and language, under the public cache's
generation, which any curator's save leaves behind (resources/public_cache.py). What
depends on the search or on the minute is made on every page and never kept: how far the
meeting is, and when it is next held (in progress, the day, the start time in its zone).
The keys name a meeting, never what anyone searched for.

A page whose cards are all kept reads only its meetings' order from the database; the
others are read with their group, fellowship, place and types (one query) and made with two
small templates (``meeting_result_head.html``, ``meeting_result_body.html``).
"""

import json
from dataclasses import dataclass, fields
from datetime import time

from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from groups.models import Meeting
from resources import public_cache
from resources.models import Term

# A kept card is left behind sooner by any save of anything public (a new generation).
CARD_SECONDS = 10 * 60

# A meeting's types as read with its row: types joined by TYPE_SEPARATOR, each its
# vocabulary, position, label and translations (JSON) joined by FIELD_SEPARATOR. Control
# characters: no label holds them, and JSON writes them escaped.
TYPE_SEPARATOR = "\x1e"
FIELD_SEPARATOR = "\x1f"


@dataclass
class CardPlace:
    """Where the map puts a meeting's pin (directory/maps.py ``pin_for``)."""

    latitude: float | None
    longitude: float | None
    address_is_public: bool


@dataclass
class MeetingCard:
    """What the result list, the map and the "when" line need of one meeting, as plain values."""

    pk: int
    name: str
    url: str
    # Its schedule, for the "when" line made on each page (``meeting_time``, ``in_progress``).
    weekday: int | None
    week_of_month: int | None
    frequency: str
    start_time: time | None
    end_time: time | None
    time_zone: str
    schedule: str  # "Every Tuesday", in the card's language
    is_by_appointment: bool
    is_online: bool
    location: CardPlace | None  # None: online only
    head: SafeString
    body: SafeString
    # This search's and this minute's, set on each page: never kept.
    distance: float | None = None
    in_progress: bool = False

    def get_absolute_url(self):
        return self.url


# The name cards are kept under, with the card's fields: a release that changes them starts
# afresh instead of reading cards kept by the one before, which would lack the new fields.
KEPT_AS = "meeting-card:" + ",".join(field.name for field in fields(MeetingCard))


def _parts(pk):
    # The page's language gives the words and the links; nothing in a card depends on the day.
    return (pk, get_language())


def kept_cards(pks):
    """{pk: MeetingCard} of the meetings whose cards are kept, without their distance."""
    kept = public_cache.kept_many(KEPT_AS, [_parts(pk) for pk in pks])
    return {parts[0]: card for parts, card in kept.items()}


def make_cards(pks):
    """{pk: MeetingCard} of the meetings ``pks`` (those still there), which are then kept."""
    cards = {meeting.pk: _card_of(meeting) for meeting in _read_meetings(pks)}
    public_cache.keep_many(KEPT_AS, {_parts(pk): card for pk, card in cards.items()}, CARD_SECONDS)
    return cards


def _read_meetings(pks):
    """The meetings with all their cards show, in one query: their types come as one text
    a meeting (``types_text``) rather than by a prefetch, which would be one more query."""
    return (
        Meeting.objects.filter(pk__in=pks)
        .with_details()
        .prefetch_related(None)
        .annotate(types_text=_types_text())
    )


def _types_text():
    through = Meeting.types.through
    between = Value(FIELD_SEPARATOR)
    entry = Concat(
        "term__vocabulary",
        between,
        Cast("term__position", CharField()),
        between,
        "term__label",
        between,
        Cast("term__translations", CharField()),
    )
    types = (
        through.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(text=StringAgg(entry, Value(TYPE_SEPARATOR)))
        .values("text")
    )
    return Subquery(types, output_field=CharField())


def read_types(text):
    """The unsaved Terms of a meeting's ``types_text``, in Term's own order, as
    ``meeting.types.all`` would give them."""
    terms = []
    for entry in (text or "").split(TYPE_SEPARATOR):
        if entry:
            vocabulary, position, label, translations = entry.split(FIELD_SEPARATOR)
            terms.append(
                Term(
                    vocabulary=vocabulary,
                    position=int(position),
                    label=label,
                    translations=json.loads(translations) if translations else {},
                )
            )
    return sorted(terms, key=lambda term: (term.vocabulary, term.position, term.label))


def _card_of(meeting):
    context = {"meeting": meeting, "group": meeting.group, "types": read_types(meeting.types_text)}
    place = meeting.location
    return MeetingCard(
        pk=meeting.pk,
        name=meeting.name,
        url=meeting.get_absolute_url(),
        weekday=meeting.weekday,
        week_of_month=meeting.week_of_month,
        frequency=meeting.frequency,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        time_zone=meeting.time_zone,
        schedule=str(meeting.schedule),
        is_by_appointment=meeting.is_by_appointment,
        is_online=meeting.is_online,
        location=None if place is None else _card_place(place),
        head=_render("groups/includes/meeting_result_head.html", context),
        body=_render("groups/includes/meeting_result_body.html", context),
    )


def _card_place(place):
    return CardPlace(
        latitude=None if place.latitude is None else float(place.latitude),
        longitude=None if place.longitude is None else float(place.longitude),
        address_is_public=place.address_is_public,
    )


def _render(template, context):
    # Without the line break after the template's first line and the one ending the file:
    # meeting_result.html puts each part on lines of its own.
    text = render_to_string(template, context).removeprefix("\n").removesuffix("\n")
    return SafeString(text)
