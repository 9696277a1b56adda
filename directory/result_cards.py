"""The cards of the search page's results, kept in the cache for every visitor alike.

A card says what a listing says of itself: its name and kind, its address, phone and
directions, whether it takes new clients, its summary and key facts, when it was last
checked. That is the same for everyone who is shown the listing, so it is kept per listing,
language and day ("confirmed in the last 30 days" can change at midnight), under the public
cache's generation, which any curator's save leaves behind (resources/public_cache.py).
What depends on the search or on the minute is made on every page and never kept: how far
the listing is, its number in the list, and whether it is open now. The keys name a listing,
never what anyone searched for.

A page whose cards are all kept reads only its listings' order from the database; making a
card takes the listing's rows and two small templates (``result_card_head.html``,
``result_card_body.html``), about half a millisecond a card (docs/performance.md).
"""

from dataclasses import dataclass, fields
from datetime import time

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from resources import public_cache
from resources.models import OpeningHours

# A kept card is left behind sooner by any save of anything public (a new generation).
CARD_SECONDS = 10 * 60

# A listing's opening hours as read with its row (ListingPaginator): periods joined by ";",
# each "weekday opens closes" ("0 07:00:00 17:00:00").
HOURS_SEPARATOR = ";"


@dataclass
class ResultCard:
    """What the result list, the map and "open now" need of one listing, as plain values."""

    pk: int
    name: str
    url: str
    latitude: float | None
    longitude: float | None
    offers_in_person: bool
    address_is_public: bool
    public_address_lines: list
    open_24_7: bool
    time_zone: str
    hours_text: str
    head: SafeString
    body: SafeString
    distance: float | None = None  # this search's, set on each page: never kept

    def get_absolute_url(self):
        return self.url

    @property
    def page_opening_hours(self):
        """The listing's opening hours, unsaved, for ``open_status``."""
        return read_opening_hours(self.hours_text)


# The name cards are kept under, with the card's fields: a release that changes them starts
# afresh instead of reading cards kept by the one before, which would lack the new fields.
KEPT_AS = "result-card:" + ",".join(field.name for field in fields(ResultCard))


def read_opening_hours(text):
    """The unsaved OpeningHours of a listing's hours as one text (see HOURS_SEPARATOR)."""
    periods = []
    for period in (text or "").split(HOURS_SEPARATOR):
        if period:
            weekday, opens, closes = period.split(" ")
            periods.append(
                OpeningHours(
                    weekday=int(weekday),
                    opens=time.fromisoformat(opens),
                    closes=time.fromisoformat(closes),
                )
            )
    return periods


def _parts(pk):
    # The page's language gives the words and the links; the day, whether new clients'
    # confirmation is still fresh.
    return (pk, get_language(), timezone.localdate().isoformat())


def kept_cards(pks):
    """{pk: ResultCard} of the listings whose cards are kept, without their distance."""
    kept = public_cache.kept_many(KEPT_AS, [_parts(pk) for pk in pks])
    return {parts[0]: card for parts, card in kept.items()}


def make_cards(listings):
    """{pk: ResultCard} of ``listings`` (read with their kind, terms, texts and
    ``hours_text``), which are then kept."""
    cards = {listing.pk: _card_of(listing) for listing in listings}
    public_cache.keep_many(KEPT_AS, {_parts(pk): card for pk, card in cards.items()}, CARD_SECONDS)
    return cards


def _card_of(listing):
    context = {"listing": listing}
    return ResultCard(
        pk=listing.pk,
        name=listing.name,
        url=listing.get_absolute_url(),
        latitude=None if listing.latitude is None else float(listing.latitude),
        longitude=None if listing.longitude is None else float(listing.longitude),
        offers_in_person=listing.offers_in_person,
        address_is_public=listing.address_is_public,
        public_address_lines=listing.public_address_lines,
        open_24_7=listing.open_24_7,
        time_zone=listing.time_zone,
        hours_text=listing.hours_text or "",
        head=SafeString(render_to_string("resources/includes/result_card_head.html", context)),
        body=SafeString(render_to_string("resources/includes/result_card_body.html", context)),
    )
