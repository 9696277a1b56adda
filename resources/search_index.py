"""The stored search text of listings, kept up to date.

Every listing stores its searchable text, computed here in Python because it gathers
related rows (vocabulary terms, the fellowship, the organization) that a database
trigger could not see:

- ``search_document``: all of it as plain folded words, " like this ", in seven
  sections separated by "|", which the SQLite search looks words up in;
- ``search_keywords``: the short, structured part (name, what it is, town, terms), which
  PostgreSQL compares with trigrams to forgive typos (GIN ``gin_trgm_ops`` index);
- ``search_vector``: on PostgreSQL only, the weighted ``tsvector`` (GIN index) that
  PostgreSQL computes from those sections: A the name, B what it is and the summary,
  C facts such as the town and vocabulary terms, D the description and notes, all read
  with the English configuration; then the same in Spanish, read with the Spanish one
  (``SPANISH_CONFIG``): B what it is and a curator's Spanish summary, C the Spanish labels
  of its terms, D a curator's Spanish description (``resources.models.texts``).

The English words are always those of the English site, whatever language is active when
a listing is saved (a suggestion sent from a Spanish page).

Each kind of listing says its own words (``search_words()`` on the typed model), so this
module knows no kind by name. Signals, connected in the apps' ``ready()``, keep the three
fresh when a listing, its terms, or a related row whose name is copied into it change
(``copy_text_from`` registers those: the organization and terms here, the fellowship from
the groups app). Anything that bypasses signals (``bulk_create``, ``loaddata``, an
importer) calls ``refresh_search_index()`` afterwards.

Reading and running a visitor's query is ``resources.search``.
"""

import operator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, reduce
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models import F, Func, TextField, Value
from django.db.models.signals import post_save
from django.utils.translation import get_language, override

from resources.models import Listing
from resources.public_cache import forget_public_pages
from resources.search import CONFIG, SPANISH_CONFIG
from resources.synonyms import WORD, fold
from resources.vocabularies import Vocabulary


class Document(NamedTuple):
    """A listing's searchable text, by weight; each part is folded words and spaces."""

    name: str  # A
    labels: str  # B: what it is: kind, role, fellowship, type
    summary: str  # B
    facts: str  # C: town, vocabulary terms, organization, delivery
    text: str  # D: description and notes
    spanish_labels: str = ""  # B, in Spanish: what it is
    spanish_summary: str = ""  # B
    spanish_facts: str = ""  # C: the Spanish labels of its terms
    spanish_text: str = ""  # D: the Spanish description

    @property
    def keywords(self):
        return f" {_join(self.name, self.labels, self.facts)} "

    @property
    def sections(self):
        """The sections of SECTIONS in one text, separated by "|" (never in a word)."""
        sections = (
            self.name,
            _join(self.labels, self.summary),
            self.facts,
            self.text,
            _join(self.spanish_labels, self.spanish_summary),
            self.spanish_facts,
            self.spanish_text,
        )
        return f" {' | '.join(sections)} "


# The (weight, text search configuration) of each section of search_document, in order.
SECTIONS = (
    ("A", CONFIG),
    ("B", CONFIG),
    ("C", CONFIG),
    ("D", CONFIG),
    ("B", SPANISH_CONFIG),
    ("C", SPANISH_CONFIG),
    ("D", SPANISH_CONFIG),
)

# search_vector, computed by PostgreSQL from the weighted sections of search_document.
VECTOR = reduce(
    operator.add,
    (
        SearchVector(
            Func(
                F("search_document"),
                Value("|"),
                Value(number),
                function="split_part",
                output_field=TextField(),
            ),
            weight=weight,
            config=config,
        )
        for number, (weight, config) in enumerate(SECTIONS, start=1)
    ),
)


# The same vector in SQL, from the new text of a bulk UPDATE (see _write).
VECTOR_SQL = " || ".join(
    f"setweight(to_tsvector('{config}'::regconfig, "
    f"COALESCE(split_part(new.document, '|', {number}), '')), '{weight}')"
    for number, (weight, config) in enumerate(SECTIONS, start=1)
)


def _join(*texts):
    return " ".join(text for text in texts if text)


def _words(*texts):
    return " ".join(word for text in texts if text for word in WORD.findall(fold(str(text))))


def document(listing):
    """The ``Document`` of ``listing``: a base Listing loaded with its kind, terms and texts."""
    with override(settings.LANGUAGE_CODE):
        english = _english_document(listing)
    with override("es"):
        spanish_labels = _words(listing.get_kind_display(), *listing.specific.search_words()[0])
    spanish = next((text for text in listing.texts.all() if text.language == "es"), None)
    return english._replace(
        spanish_labels=spanish_labels,
        spanish_summary=_words(spanish.summary) if spanish else "",
        spanish_facts=_words(*(term.translations.get("es", "") for term in listing.terms.all())),
        spanish_text=_words(spanish.description) if spanish else "",
    )


def _english_document(listing):
    labels = [listing.get_kind_display()]
    facts = [listing.organization.name if listing.organization else ""]
    facts += [listing.city, listing.region, listing.postal_code, *listing.delivery_modes]
    if listing.open_24_7:
        facts.append("open 24/7")
    terms = list(listing.terms.all())
    facts += [term.label for term in terms]
    labels_of = _vocabulary_labels(get_language())
    facts += sorted({labels_of[term.vocabulary] for term in terms})
    kind_labels, kind_facts = listing.specific.search_words()
    return Document(
        name=_words(listing.name),
        labels=_words(*labels, *kind_labels),
        summary=_words(listing.summary),
        facts=_words(*facts, *kind_facts),
        text=_words(listing.description, listing.cost_notes, listing.hours_notes),
    )


@cache
def _vocabulary_labels(language):
    # get_vocabulary_display() hashes the lazy choices on every call: a third of the time
    # of indexing 200,000 listings.
    return {vocabulary.value: str(vocabulary.label) for vocabulary in Vocabulary}


def refresh_search_index(queryset=None, *, batch_size=500):
    """Recompute the stored search text of the listings in ``queryset`` (default: all).

    ``queryset`` may be of Listing or of a typed kind. Works in batches: one query
    reads the listings with their kinds; per batch, one reads their terms, one UPDATE
    writes the text and, on PostgreSQL, one more computes the vectors from it.
    Returns the number of listings refreshed.
    """
    listings = Listing.objects.all()
    if queryset is not None:
        listings = listings.using(queryset.db).filter(pk__in=queryset.values("pk"))
    listings = listings.order_by("pk").with_kind_details().prefetch_related("terms", "texts")
    count, batch = 0, []
    for listing in listings.iterator(chunk_size=batch_size):
        doc = document(listing)
        listing.search_document, listing.search_keywords = doc.sections, doc.keywords
        batch.append(listing)
        if len(batch) == batch_size:
            count += _write(listings.db, batch)
            batch = []
    count += _write(listings.db, batch)
    # Every bulk write (imports, demo data) ends here: pages kept with the old rows go.
    forget_public_pages()
    return count


def _write(db, listings):
    if not listings:
        return 0
    rows = Listing.objects.using(db)
    if connections[db].vendor != "postgresql":
        return rows.bulk_update(listings, ["search_document", "search_keywords"])
    # bulk_update writes one CASE WHEN per row, which PostgreSQL evaluates for every row of
    # the batch; joining the new texts as arrays is linear. The vector is computed from the
    # new text in the same statement, so each row is written once.
    table = connections[db].ops.quote_name(Listing._meta.db_table)
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS listing "
            "SET search_document = new.document, search_keywords = new.keywords, "
            f"search_vector = {VECTOR_SQL} "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS new(id, document, keywords) "
            "WHERE listing.id = new.id",
            [
                [listing.pk for listing in listings],
                [listing.search_document for listing in listings],
                [listing.search_keywords for listing in listings],
            ],
        )
        return cursor.rowcount


# Signal receivers, connected in the apps' ready() -----------------------------------

# Set while a bulk load runs: each save would otherwise re-index its listing (and each
# change of its terms again), which doubles the time of a first demo load.
_deferred = ContextVar("search_index_deferred", default=False)


@contextmanager
def per_save_refreshes_skipped():
    """Skip per-save refreshes inside the block: the caller refreshes what it wrote."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


@contextmanager
def deferred_search_index():
    """Skip per-save refreshes inside the block, then refresh the whole index once."""
    with per_save_refreshes_skipped():
        yield
    refresh_search_index()


def refresh_saved_listing(sender, instance, raw=False, using="default", **kwargs):
    # Fixtures are loaded raw, before their related rows: refresh after loading them.
    if not raw and not _deferred.get():
        refresh_search_index(Listing.objects.using(using).filter(pk=instance.pk))


def refresh_listings_with_changed_terms(sender, instance, action, reverse, pk_set, using, **kwargs):
    if reverse and action == "pre_clear":
        # A term is losing all its listings: remember which, they are gone by post_clear.
        instance._search_listing_pks = list(
            instance.listings.using(using).values_list("pk", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear") or _deferred.get():
        return
    if not reverse:
        pks = [instance.pk]
    elif action == "post_clear":
        pks = getattr(instance, "_search_listing_pks", [])
    else:
        pks = pk_set
    if pks:
        refresh_search_index(Listing.objects.using(using).filter(pk__in=pks))


# Rows whose names are copied into the search text of listings, and the lookup from a
# listing to them: filled by copy_text_from().
RELATED_TEXT = {}


def copy_text_from(model, lookup):
    """Declare that the search text of listings copies words from ``model``'s rows, reached
    from a listing by ``lookup`` ("organization", "supportgroup__fellowship"): saving such
    a row refreshes its listings. Called from an app's ``ready()``."""
    RELATED_TEXT[model] = lookup
    post_save.connect(
        refresh_listings_of_related, sender=model, dispatch_uid=f"search-text-{model._meta.label}"
    )


def refresh_listings_of_related(sender, instance, raw=False, using="default", **kwargs):
    if not raw and not _deferred.get():
        lookup = RELATED_TEXT[sender]
        refresh_search_index(Listing.objects.using(using).filter(**{lookup: instance}))


def refresh_listing_of_text(sender, instance, raw=False, using="default", **kwargs):
    """A curator's text of a listing in another language was saved or deleted."""
    if not raw and not _deferred.get():
        refresh_search_index(Listing.objects.using(using).filter(pk=instance.listing_id))


def index_unindexed_listings(sender, using="default", **kwargs):
    """After migrate, index listings that have never been (rows older than the index)."""
    connection = connections[using]
    table = Listing._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return
        columns = {
            col.name for col in connection.introspection.get_table_description(cursor, table)
        }
    # Skip when migrating backwards to before the search columns existed.
    if "search_document" in columns:
        refresh_search_index(Listing.objects.using(using).filter(search_document=""))
