"""The words people search with and the words listings are written in: one reviewed table.

People type "suboxone", "rehab" or "halfway house"; listings say "buprenorphine",
"residential" and "sober living". Each entry of ``SYNONYMS`` is a group of words or
phrases that mean the same thing to someone looking for help: a search for any of
them also finds every other one (``suboxone`` finds ``buprenorphine`` and
``buprenorphine`` finds ``suboxone``). ``also_finds`` adds narrower words that the
group finds but that do not find the group back: "12 step" finds Alcoholics
Anonymous, but "AA" must not find Narcotics Anonymous.

How words are compared: case, accents and punctuation are ignored, so "Al-Anon",
"al anon" and "AL ANON" are the same phrase, and short ones such as "NA" match whole
words only, never the inside of "naloxone". A word may sit in several groups; a
search gets the union of its groups, one step deep (``sublocade`` finds
``buprenorphine`` but not ``suboxone``).

When you add a group, add a line to the search tests if the group matters to people.
Spanish words are kept apart, in ``resources/synonyms_es.py``, and read into the same index.
"""

import re
import unicodedata
from typing import NamedTuple

from resources.synonyms_es import SPANISH_IGNORED_WORDS, SPANISH_SYNONYMS

# Letters and digits; everything else separates words. Shared by resources.search_index and
# resources.search so that listings and queries are cut into words the same way.
WORD = re.compile(r"[^\W_]+")


class Synonyms(NamedTuple):
    words: tuple[str, ...]
    also_finds: tuple[str, ...] = ()


def synonyms(*words, also_finds=()):
    return Synonyms(words, tuple(also_finds))


SYNONYMS = [
    # Medications for addiction treatment: brand names, street names, generic names.
    synonyms("suboxone", "buprenorphine", "subutex", "zubsolv", "bupe"),
    synonyms("sublocade", "brixadi", "buprenorphine"),
    synonyms("vivitrol", "naltrexone"),
    synonyms("antabuse", "disulfiram"),
    synonyms("campral", "acamprosate"),
    synonyms("narcan", "naloxone", "kloxxado", "overdose reversal"),
    synonyms("methadone clinic", "methadone program", "opioid treatment program", "otp"),
    synonyms(
        "mat",
        "moud",
        "medication for addiction treatment",
        "medication assisted treatment",
        "medications for opioid use disorder",
    ),
    # Levels of care.
    # Not "treatment program": most program names say it, and people who say "rehab"
    # mean a residential stay.
    synonyms("rehab", "rehabilitation", "residential", "inpatient"),
    synonyms("detox", "detoxification", "withdrawal management"),
    synonyms("iop", "intensive outpatient"),
    synonyms("php", "partial hospitalization", "day treatment"),
    synonyms(
        "halfway house",
        "sober living",
        "sober home",
        "sober house",
        "recovery residence",
        "recovery home",
        "transitional living",
    ),
    # Peer support.
    synonyms("12 step", "twelve step", also_finds=["alcoholics anonymous", "narcotics anonymous"]),
    synonyms("aa", "alcoholics anonymous"),
    synonyms("na", "narcotics anonymous"),
    synonyms("ca", "cocaine anonymous"),
    synonyms("cma", "crystal meth anonymous"),
    synonyms("al anon", "alanon"),
    synonyms("nar anon", "naranon"),
    synonyms("smart", "smart recovery"),
    synonyms("peer support", "support group", "mutual aid", "mutual help"),
    synonyms("meeting", "meetings", "support group"),
    # Substances, as people say them.
    synonyms("meth", "crystal meth", "methamphetamine", "stimulants", "speed"),
    synonyms("coke", "crack", "cocaine"),
    synonyms("pills", "pain pills", "painkillers", "opioids", "opiates"),
    synonyms("heroin", "fentanyl", "opioids"),
    synonyms("drinking", "alcohol", "alcoholism", "booze"),
    synonyms("weed", "marijuana", "cannabis", "pot"),
    synonyms("benzos", "xanax", "benzodiazepines"),
    synonyms("vaping", "smoking", "nicotine", "tobacco"),
    # Professionals.
    synonyms("counselor", "counsellor", "therapist", "counseling", "counselling"),
    synonyms("shrink", "psychiatrist"),
    synonyms("doctor", "physician", "md"),
    synonyms("case manager", "social worker"),
    synonyms("peer recovery specialist", "peer specialist", "recovery coach"),
    # Ways to get help and people served.
    synonyms("hotline", "helpline", "crisis line", "phone line"),
    synonyms("telehealth", "telemedicine", "online", "virtual"),
    synonyms("free", "no cost"),
    synonyms("lgbt", "lgbtq", "gay", "lesbian", "queer", "transgender"),
    synonyms("veteran", "veterans", "military"),
    synonyms("teen", "teens", "teenager", "adolescent", "youth"),
    synonyms("spanish", "espanol", "spanish speaking", "en espanol"),
    synonyms("deaf", "asl", "american sign language"),
]

# PostgreSQL's English stop words (its english.stop): its full-text search drops them,
# even inside quotes, so a search skips them on both databases.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Words a search also skips unless they are inside quotes: the filler of "find a therapist
# near me".
IGNORED_WORDS = (
    STOP_WORDS
    | frozenset(
        ["near", "nearby", "around", "area", "local", "find", "finding", "looking", "need", "want"]
    )
    | SPANISH_IGNORED_WORDS
)


def fold(text):
    """Lower-case ``text`` and drop accents, so "Español" and "espanol" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words_of(text):
    """The words of ``text`` as searched: folded, punctuation dropped."""
    return tuple(WORD.findall(fold(text)))


def _build_index(groups):
    index = {}
    for group in groups:
        members = [words_of(phrase) for phrase in group.words]
        narrower = [words_of(phrase) for phrase in group.also_finds]
        for member in members:
            found = index.setdefault(member, [])
            found.extend(phrase for phrase in members + narrower if phrase not in found)
    return index


def _build_spanish_index(entries, english):
    """Each Spanish word finds its entry's Spanish words and all that its English words
    find. A Spanish word the English table knows ("alcohol", "virtual") keeps its English
    meaning, so that English searches stay as they are."""
    index = {}
    for entry in entries:
        members = [words_of(phrase) for phrase in entry.words]
        found = list(dict.fromkeys(members))
        for phrase in (*entry.means, *entry.also_finds):
            meant = words_of(phrase)
            found.extend(p for p in english.get(meant, [meant]) if p not in found)
        for member in members:
            if member not in english:
                known = index.setdefault(member, [])
                known.extend(phrase for phrase in found if phrase not in known)
    return index


_INDEX = _build_index(SYNONYMS)
_INDEX.update(_build_spanish_index(SPANISH_SYNONYMS, _INDEX))
LONGEST_PHRASE = max(len(phrase) for phrase in _INDEX)


def expand(words):
    """Every phrase ``words`` (a tuple of searched words) stands for, itself first.

    Returns None when the table does not know the phrase. A plural such as
    "counselors" is looked up as "counselor" when only the singular is listed.
    """
    found = _INDEX.get(words)
    if found is None and words and _is_plural(words[-1]):
        found = _INDEX.get((*words[:-1], words[-1][:-1]))
    if found is None:
        return None
    return (words, *(phrase for phrase in found if phrase != words))


def _is_plural(word):
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")
