"""Text search over listings: reading a visitor's query and running it ("Find help").

The text it searches is stored on each listing by ``resources.search_index``. This module
reads no model, so that ``ListingQuerySet.search()`` can call it.

Queries are read as PostgreSQL's websearch syntax: words must all match, "quoted
phrases" match as phrases, ``-word`` excludes, ``or`` separates alternatives. Words
and phrases from ``resources/synonyms.py`` are expanded into alternatives. Only the
first ``MAX_QUERY_LENGTH`` characters and ``MAX_ATOMS`` words or phrases are read,
so any input, however long or odd, makes one bounded query.

Some text has nothing to search by: only punctuation or emoji, or only words so common
that PostgreSQL's full-text search drops them ("what is this", "the", "it's"). Such a
search is done as if no words were typed (``TextSearch.searches`` is False), and the page
says so. "Near me" and its like name no place: they are taken out of the words
(``TextSearch.near_me``), and a page without a place asks for one.

Spanish: words of ``resources/synonyms_es.py`` find what their English words find, on
both databases. On PostgreSQL a search made in Spanish (the page's language) also reads
each word with the Spanish configuration (``SPANISH_CONFIG``: stemming, accents ignored by
``unaccent``), which the Spanish texts and labels of listings are stored with: "reuniones"
finds a Spanish text saying "reunión". A search in English is read in English only.

On PostgreSQL, when nothing matches exactly, trigram similarity forgives typos
("alchoholics anonymus", "sobr living"). The SQLite path, for local development,
matches whole words (and simple plurals) in ``search_document`` and has no typo
tolerance.
"""

import operator
import re
import unicodedata
from functools import cached_property, reduce
from typing import NamedTuple

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.utils.translation import get_language

from resources.synonyms import (
    IGNORED_WORDS,
    LONGEST_PHRASE,
    STOP_WORDS,
    WORD,
    expand,
    fold,
    words_of,
)

MAX_QUERY_LENGTH = 200
MAX_ATOMS = 16
# The text search configuration of the stored vector (resources.search_index) and of queries.
CONFIG = "english"
# The configuration of Spanish text (a migration makes it: Spanish stemming after unaccent).
SPANISH_CONFIG = "spanish_unaccent"
# The configurations of text in other languages than English, by language.
LANGUAGE_CONFIGS = {"es": SPANISH_CONFIG}
# ts_rank normalization: 1 divides by the log of the document length, so a long
# description mentioning a word many times does not beat a name; 32 maps to 0..1.
# Not ts_rank_cd: cover density rewards query words standing close together, which in
# a document of concatenated fields punishes "spanish therapist" (a role and a language).
RANK_NORMALIZATION = 1 | 32
# Trigram closeness of the typed words to the keywords: the rank of typo matches.
TRIGRAM_RANK_WEIGHT = 0.1
# Typed text shorter than this is never matched by trigrams: "na" is similar to any
# word starting with "na".
MIN_TYPO_LENGTH = 5


# Reading a query --------------------------------------------------------------------


class Atom(NamedTuple):
    """One thing the query asks for: any of ``phrases`` (or none, when negated)."""

    phrases: tuple[tuple[str, ...], ...]  # the first is what was typed
    negated: bool = False

    @property
    def typed(self):
        return " ".join(self.phrases[0])


class _Chunk(NamedTuple):
    words: tuple[str, ...]
    negated: bool
    quoted: bool

    @property
    def plain(self):
        return not (self.negated or self.quoted)


# Ways of saying "close to where I am", which name no place: taken out of the words.
NEAR_ME = (
    "near me",
    "near by",
    "nearby",
    "near here",
    "near my location",
    "near where i am",
    "close to me",
    "closest to me",
    "close by",
    "around me",
    "around here",
    "in my area",
    "cerca de mi",
    "cerca de aqui",
    "cerca de donde estoy",
)


def _letters(word):
    # Each letter may carry accents, as it does in text decomposed to NFD ("mí").
    return "".join(re.escape(letter) + "[\u0300-\u036f]*" for letter in word)


_NEAR_ME = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(
        r"[\W_]+".join(map(_letters, words_of(phrase)))
        for phrase in sorted(NEAR_ME, key=len, reverse=True)
    )
    + r")(?![^\W_])",
    re.IGNORECASE,
)


def strip_near_me(text):
    """(``text`` without "near me" and its like, True if it had any), for the finder."""
    decomposed = unicodedata.normalize("NFD", text)
    rest = _NEAR_ME.sub(" ", decomposed)
    if rest == decomposed:
        return text, False
    return unicodedata.normalize("NFC", rest), True


_SPACE_AND_QUOTES = re.compile(r"[\s\"]+")


class Reading(NamedTuple):
    """What ``read_query`` makes of a visitor's text."""

    query: tuple  # alternatives of atoms, as parse_query returns them
    near_me: bool  # the text said "near me" (or the like), now taken out of it
    other_text: bool  # something besides "near me" was typed
    has_words: bool  # ... and it had letters or digits, not only punctuation or emoji


def parse_query(text):
    """``text`` as alternatives (read: any of) of atoms (read: all of).

    "suboxone -online or \"al anon\"" gives two alternatives: (suboxone or its
    synonyms, and not online or its synonyms), or the phrase "al anon".
    """
    return read_query(text).query


def read_query(text):
    """``text`` read as a ``Reading``: its query, and whether it asked for "near me"."""
    folded = fold(text[:MAX_QUERY_LENGTH])
    rest = _NEAR_ME.sub(" ", folded)
    near_me = rest != folded
    return Reading(
        query=_parse(rest),
        near_me=near_me,
        # The quotes left of "\"near me\"" are not something else typed.
        other_text=bool(_SPACE_AND_QUOTES.sub("", rest) if near_me else rest.strip()),
        has_words=bool(WORD.search(rest)),
    )


def _parse(folded):
    branches = [[]]
    for negated, quoted, chunk in _TOKEN.findall(folded):
        if chunk == "or" and not negated:
            branches.append([])
            continue
        words = tuple(WORD.findall(quoted or chunk))
        if words:
            branches[-1].append(_Chunk(words, bool(negated), bool(quoted)))
    query, budget = [], MAX_ATOMS
    for chunks in branches:
        atoms = _atoms(chunks)[:budget]
        budget -= len(atoms)
        if atoms:
            query.append(tuple(atoms))
    return tuple(query)


def _atoms(chunks):
    atoms, start = [], 0
    while start < len(chunks):
        chunk = chunks[start]
        if not chunk.plain:
            # Quotes mean these exact words: no synonyms.
            phrases = (chunk.words,) if chunk.quoted else expand(chunk.words) or (chunk.words,)
            atoms.append(Atom(phrases, chunk.negated))
            start += 1
            continue
        # The longest run of plain chunks that the synonym table knows: "methadone clinic".
        end, phrases = start + 1, None
        for stop in range(min(len(chunks), start + LONGEST_PHRASE), start, -1):
            run = chunks[start:stop]
            if all(c.plain for c in run):
                phrases = expand(tuple(word for c in run for word in c.words))
                if phrases:
                    end = stop
                    break
        if phrases:
            atoms.append(Atom(phrases))
        elif chunk.words not in {(word,) for word in IGNORED_WORDS}:
            atoms.append(Atom((chunk.words,)))
        start = end
    # PostgreSQL drops its stop words even from quoted phrases ("the", "it's"): what is
    # left of such an atom is nothing, on both databases.
    return [atom for atom in atoms if not all(set(p) <= STOP_WORDS for p in atom.phrases)]


# -"a phrase", "a phrase, -word, word. An unclosed quote runs to the end.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


# Searching ----------------------------------------------------------------------------


def search_listings(queryset, text):
    """``queryset`` filtered to listings matching ``text``, annotated with ``rank``.

    Higher rank is better; callers order by ``-rank``. Empty text (or text of only
    punctuation and ignored words) leaves the queryset unfiltered, ranked 0. Only the
    first ``MAX_QUERY_LENGTH`` characters are read. To filter several querysets by the
    same text (a page's results and its option counts), use one ``TextSearch``.
    """
    return TextSearch(text, queryset).apply(queryset)


class TextSearch:
    """A visitor's search text, read once, to filter any number of querysets alike.

    On PostgreSQL typos are forgiven only when nothing in ``scope`` (the listings the
    page searches, before its other filters) matches the text exactly: "na meeting" must
    not find every listing with a word like "meetings". That is decided once, by one
    small query, the first time it is needed. Deciding it inside each query instead costs
    more than it saves: PostgreSQL estimates a trigram condition by comparing the typed
    text with a sample of the keywords, about 5 ms of planning per query, even when the
    condition is never run.
    """

    def __init__(self, text, scope, language=None):
        self.text = text or ""
        self.reading = read_query(self.text)
        self.query = self.reading.query
        self.scope = scope
        self.postgresql = connections[scope.db].vendor == "postgresql"
        # The words are read in English, and also in the page's language when it has a
        # configuration of its own.
        language = (language or get_language() or "").split("-")[0]
        self.configs = tuple(dict.fromkeys([CONFIG, LANGUAGE_CONFIGS.get(language, CONFIG)]))

    @property
    def near_me(self):
        """True when the text said "near me" (or the like), which is not searched."""
        return self.reading.near_me

    @cached_property
    def searches(self):
        """True when the text has words to search by; else it is searched as if empty.

        Words PostgreSQL drops are known here (``STOP_WORDS``), except in text of letters
        outside ASCII, where only PostgreSQL can tell: one small query asks it then.
        """
        if not self.query:
            return False
        if self.postgresql and not _surely_has_lexemes(self.query):
            return not self._empty_on_postgresql()
        return True

    @property
    def ignored(self):
        """True when words were typed (besides "near me") but none could be searched by."""
        return self.reading.other_text and not self.searches

    @property
    def ignored_reason(self):
        """Why: "common" (only very common words) or "no_words" (punctuation, emoji, or
        signs that PostgreSQL does not count as letters)."""
        if not self.ignored:
            return None
        return "common" if self.reading.has_words and not self.query else "no_words"

    def apply(self, queryset, near_a_place=False):
        """``queryset`` filtered by the text and annotated with ``rank`` (higher is better).

        Without anything to search by, ``rank`` is the constant 0: order by it only when
        ``searches`` (PostgreSQL refuses to order by a constant). ``near_a_place``: the
        queryset is also kept to a box on the map, and the words' test is priced so that
        PostgreSQL combines the text index with the box's (migration resources/0014).
        """
        if not self.searches:
            return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
        if not self.postgresql:
            return _search_sqlite(queryset, self.query)
        if self.forgives_typos:
            return queryset.filter(_any_of(self.typo_matches)).annotate(rank=self.typo_rank)
        matches = queryset.filter(self.exact_match)
        if near_a_place:
            matches = matches.filter(
                Func(
                    F("search_vector"),
                    self.tsquery,
                    function="listing_words_match",
                    output_field=BooleanField(),
                )
            )
        return matches.annotate(rank=self.exact_rank)

    def _empty_on_postgresql(self):
        query = Query(self.scope.model)
        compiler = query.get_compiler(using=self.scope.db)
        sql, params = compiler.compile(self.tsquery.resolve_expression(query))
        with connections[self.scope.db].cursor() as cursor:
            cursor.execute(f"SELECT numnode({sql})", params)
            return cursor.fetchone()[0] == 0

    @cached_property
    def tsquery(self):
        return _any_of(
            _all_of(_atom_tsquery(atom, self.configs) for atom in branch) for branch in self.query
        )

    @property
    def exact_match(self):
        return Q(search_vector=self.tsquery)

    @property
    def exact_rank(self):
        rank = SearchRank(F("search_vector"), self.tsquery, normalization=RANK_NORMALIZATION)
        return Coalesce(rank, 0.0)

    @cached_property
    def typo_matches(self):
        matches = (_typo_match(branch, self.configs) for branch in self.query)
        return [match for match in matches if match is not None]

    @property
    def typo_rank(self):
        """How close the typed words are to the keywords (what it is, town, terms)."""
        typed = " ".join(atom.typed for branch in self.query for atom in branch if not atom.negated)
        closeness = TrigramWordSimilarity(typed, "search_keywords") * TRIGRAM_RANK_WEIGHT
        return self.exact_rank + closeness

    @cached_property
    def forgives_typos(self):
        """True when the text could be a typo and nothing in the scope matches it exactly."""
        return bool(self.typo_matches) and not self.scope.filter(self.exact_match).exists()


def _surely_has_lexemes(query):
    """True when some word of the query is one PostgreSQL keeps for sure.

    A word of ASCII letters and digits that is not a stop word always leaves a lexeme; of
    other letters (accents are folded away, but not other scripts) PostgreSQL's parser may
    make nothing: "৴" is a letter to Python but not to PostgreSQL.
    """
    return any(
        word.isascii() and word not in STOP_WORDS
        for branch in query
        for atom in branch
        for phrase in atom.phrases
        for word in phrase
    )


def _any_of(items):
    return reduce(operator.or_, items)


def _all_of(items):
    return reduce(operator.and_, items)


def _tsquery(phrase, config=CONFIG):
    search_type = "phrase" if len(phrase) > 1 else "plain"
    return SearchQuery(" ".join(phrase), search_type=search_type, config=config)


def _atom_tsquery(atom, configs=(CONFIG,)):
    queries = [_tsquery(phrase, config) for phrase in atom.phrases for config in configs]
    if atom.negated:
        return _all_of(~query for query in queries)
    return _any_of(queries)


def _similar(typed):
    # keywords %> typed: uses the trigram index; pg_trgm.word_similarity_threshold (0.6).
    return Q(TrigramWordSimilar(F("search_keywords"), Value(typed)))


def _typo_match(branch, configs):
    """Trigram matching of one alternative, for when no listing matches exactly."""
    positive = [atom for atom in branch if not atom.negated]
    negative = [atom for atom in branch if atom.negated]
    typed = " ".join(atom.typed for atom in positive)
    if len(typed.replace(" ", "")) < MIN_TYPO_LENGTH:
        return None
    # The whole text as one ("sobr living"), or each word on its own ("spansh therapist").
    match = _similar(typed)
    if len(positive) > 1:
        match |= _all_of(_exact_or_similar(atom, configs) for atom in positive)
    if negative:
        match &= Q(search_vector=_all_of(_atom_tsquery(atom, configs) for atom in negative))
    return match


def _exact_or_similar(atom, configs):
    exact = Q(search_vector=_atom_tsquery(atom, configs))
    return (exact | _similar(atom.typed)) if len(atom.typed) >= MIN_TYPO_LENGTH else exact


def _contains(phrase, field="search_document"):
    """Whole words, in a stored text of words between single spaces; plurals forgiven."""
    *head, last = phrase
    lasts = {last, f"{last}s"}
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        lasts.add(last[:-1])
    return _any_of(
        Q(**{f"{field}__contains": " ".join(["", *head, word, ""])}) for word in sorted(lasts)
    )


def _search_sqlite(queryset, query):
    """Every word or phrase (or a synonym) must appear in the stored document.

    No typo tolerance here. Rank: 1, plus 1 for each part of the query found in the
    name, or 0.5 when found in the keywords (what it is, town, terms).
    """

    def atom_matches(atom):
        found = _any_of(_contains(phrase) for phrase in atom.phrases)
        return ~found if atom.negated else found

    matches = _any_of(_all_of(map(atom_matches, branch)) for branch in query)
    rank = Value(1.0)
    for atom in (atom for branch in query for atom in branch if not atom.negated):
        rank += Case(
            When(_any_of(Q(name__icontains=" ".join(p)) for p in atom.phrases), then=1.0),
            When(_any_of(_contains(p, "search_keywords") for p in atom.phrases), then=0.5),
            default=0.0,
        )
    return queryset.filter(matches).annotate(rank=rank)
