"""What people type in the one search box, understood before anything is searched.

People type whole requests, not keywords: "detox in chicago", "rehab 60614", "aa meeting
tonight", "na meetings near me", "what is suboxone". ``understand()`` reads such text into
an ``Understanding``, offline and without a query, so that:

* a place at the end ("in chicago", "near Springfield, IL", "60614", "Chicago, IL") is taken
  out of the words and searched as the place, but only when no place was typed in "Where?"
  (a place typed there wins). The place must be one ``resources.geo.places`` knows, or a
  town name in several states or a state alone, which the page then asks about; words that
  name a service, a language or a group of people ("english", "home") are never a place;
* "near me" and its like name no place: they are taken out and the page asks where;
* a request for meetings ("aa meeting tonight", "online smart meeting", "reunión de aa hoy")
  goes to the meeting finder with those choices, when every word of it was understood;
  text with other words in it stays a search, with a link to the finder;
* a question a guide answers ("what is suboxone", "how do i help my son") links to that
  guide; its words are still searched.

Nothing here is kept or logged, and nothing asks the database: the text is read and
dropped with the request. ``read_the_box`` and what follows it are the search pages' side:
the query string, the finder's address, the chips and the notes.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from directory.filtering import MAX_TEXT_LENGTH, Chip, Note
from directory.meeting_filters import TODAY
from groups.fellowships import FELLOWSHIPS
from groups.models import Attendance
from resources.geo import places
from resources.search import MAX_QUERY_LENGTH, strip_near_me
from resources.synonyms import IGNORED_WORDS, expand, words_of
from resources.vocabularies import TERMS, Vocabulary

# Words that say where, before a place: "detox in chicago", "aa cerca de 10001".
PLACE_WORDS = (("in",), ("near",), ("around",), ("at",), ("en",), ("cerca", "de"))
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
# Words that are town names somewhere but mean something else in a search.
NEVER_PLACES = frozenset(
    ["home", "work", "person", "center", "night", "church", "school", "hope", "english"]
)
# Languages and groups of people are what someone needs, not where.
_TERM_WORDS = frozenset(
    words_of(str(label))
    for vocabulary in (Vocabulary.LANGUAGE, Vocabulary.POPULATION, Vocabulary.SUBSTANCE)
    for _code, label in TERMS[vocabulary]
)

# Fellowships by what people call them; short names only where they are unambiguous.
_FELLOWSHIP_NAMES = {
    words_of(fellowship["name"]): fellowship["slug"] for fellowship in FELLOWSHIPS
} | {
    words_of(name): slug
    for slug, names in {
        "alcoholics-anonymous": ["aa", "alcoholicos anonimos"],
        "narcotics-anonymous": ["na", "narcoticos anonimos"],
        "cocaine-anonymous": ["ca"],
        "crystal-meth-anonymous": ["cma"],
        "smart-recovery": ["smart"],
        "al-anon": ["al anon", "alanon"],
        "alateen": ["alateen"],
        "nar-anon": ["nar anon", "naranon"],
        "lifering": ["lifering"],
    }.items()
    for name in names
}
SHORT_NAMES = {fellowship["slug"]: fellowship["short_name"] for fellowship in FELLOWSHIPS}

MEETING_WORDS = frozenset(
    [("meeting",), ("meetings",), ("reunion",), ("reuniones",), ("junta",), ("juntas",)]
)
# Sunday is 0, as in the finder's ``day``.
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("sunday", "domingo"),
            ("monday", "lunes"),
            ("tuesday", "martes"),
            ("wednesday", "miercoles"),
            ("thursday", "jueves"),
            ("friday", "viernes"),
            ("saturday", "sabado"),
        ]
    )
    for name in names
}
TONIGHT = frozenset([("tonight",), ("esta", "noche"), ("this", "evening")])
TODAY_WORDS = frozenset([("today",), ("hoy",)])
TOMORROW_WORDS = frozenset([("tomorrow",), ("manana",)])
NOW_WORDS = frozenset([("now",), ("right", "now"), ("ahora",)])
TIME_WORDS = {
    ("morning",): "morning",
    ("this", "morning"): "morning",
    ("afternoon",): "midday",
    ("midday",): "midday",
    ("noon",): "midday",
    ("lunchtime",): "midday",
    ("evening",): "evening",
    ("night",): "night",
    ("late", "night"): "night",
}
ATTENDANCE_WORDS = {
    ("online",): Attendance.ONLINE,
    ("virtual",): Attendance.ONLINE,
    ("zoom",): Attendance.ONLINE,
    ("en", "linea"): Attendance.ONLINE,
    ("in", "person"): Attendance.IN_PERSON,
    ("face", "to", "face"): Attendance.IN_PERSON,
    ("presencial",): Attendance.IN_PERSON,
}
# Hybrid meetings can be joined either way.
ATTENDANCE_CHOICES = {
    Attendance.ONLINE: [Attendance.ONLINE, Attendance.HYBRID],
    Attendance.IN_PERSON: [Attendance.IN_PERSON, Attendance.HYBRID],
}
# Words that carry nothing for the finder: "a", "de", "for", "find", "any".
FILLER = IGNORED_WORDS | frozenset(["de", "la", "el", "las", "los", "una", "un", "para", "por"])
LONGEST = 3

# The guides that answer common questions, by what the question is about. Offered only
# when the guides app gives the page an address (see ``guide_link``).
GUIDE_TOPICS = {
    "medication-for-opioid-use-disorder": [
        "suboxone", "buprenorphine", "subutex", "sublocade", "methadone", "naltrexone",
        "vivitrol", "mat", "moud", "medication assisted treatment", "antabuse",
        "disulfiram", "campral", "acamprosate",
    ],
    "naloxone": ["naloxone", "narcan"],
    "levels-of-care": [
        "detox", "rehab", "iop", "php", "inpatient", "outpatient", "residential",
        "intensive outpatient", "partial hospitalization", "withdrawal management",
    ],
    "sober-living": ["sober living", "halfway house", "recovery residence", "sober house"],
    "peer-support-groups": [
        "aa", "na", "alcoholics anonymous", "narcotics anonymous", "smart recovery",
        "12 step", "twelve step", "sponsor", "12 step program",
    ],
    "open-and-closed-meetings": ["closed meeting", "open meeting"],
    "helping-a-loved-one": ["al anon", "nar anon", "craft", "intervention"],
    "paying-for-treatment": ["medicaid", "insurance"],
}  # fmt: skip
_QUESTION = re.compile(r"^(?:what s|what is|what are|whats|que es|que son)\s+(.+)$")
_LOVED_ONE = re.compile(
    r"\b(?:help|helping|support|talk to)\s+(?:my|a|an)\s+(?:\w+\s+)?"
    r"(?:son|daughter|child|kid|husband|wife|partner|boyfriend|girlfriend|mom|mother|dad|"
    r"father|brother|sister|friend|loved one|family member|spouse|teen|teenager)\b"
    r"|\b(?:mi hijo|mi hija|mi esposo|mi esposa)\b"
)
_PAYING = re.compile(r"\b(?:pay for|afford|cost of|how much (?:does|is))\b")


@dataclass(frozen=True)
class MeetingSearch:
    """The meeting finder's choices read from the text (its ``fellowship``, ``day``…)."""

    fellowship: str = ""
    days: tuple = ()
    times: tuple = ()
    attendance: tuple = ()
    now: bool = False

    def parameters(self):
        """(name, value) pairs of the finder's query string."""
        pairs = [("fellowship", self.fellowship)] if self.fellowship else []
        pairs += [("day", day) for day in self.days]
        pairs += [("time", time) for time in self.times]
        pairs += [("attendance", attendance) for attendance in self.attendance]
        return pairs + ([("now", "1")] if self.now else [])

    @property
    def name(self):
        """ "AA meetings", "meetings": what the link to the finder offers."""
        short = SHORT_NAMES.get(self.fellowship)
        return f"{short} meetings" if short else "meetings"


@dataclass(frozen=True)
class Understanding:
    text: str  # the words left to search
    place: str = ""  # the place taken out of the words, as typed
    near_me: bool = False  # "near me" (or the like) was said
    meeting: MeetingSearch | None = None  # a request for meetings, if the text is one
    to_finder: bool = False  # ... and nothing else: the finder answers it
    guide: str = ""  # the slug of the guide that answers the question


def understand(text, *, near="", today=None):
    """``text`` (the box's words) read as an ``Understanding``.

    ``near``: the place typed in "Where?", which wins over one in the words. ``today``:
    the date that "tomorrow" follows.
    """
    text = (text or "")[:MAX_QUERY_LENGTH]
    rest, near_me = strip_near_me(text)
    tokens = rest.split()
    place = ""
    if not (near or "").strip():
        tokens, place = _take_place(tokens)
    meeting, all_read = _read_meeting(tokens, today or date.today())
    words = " ".join(tokens)
    return Understanding(
        text=" ".join(words.split()) if (place or near_me) else text,
        place=place,
        near_me=near_me,
        meeting=meeting,
        to_finder=meeting is not None and all_read,
        guide=_guide(text),
    )


# A place at the end ---------------------------------------------------------------------


def _take_place(tokens):
    """(tokens without the place at their end, the place) or (tokens, "").

    Words that say when come after the place as often as before it ("aa meetings in
    chicago tonight"): they are set aside while the place is looked for.
    """
    when = len(tokens)
    while when and _read_words(words_of(tokens[when - 1])) is not None:
        when -= 1
    before, place = _place_at_end(tokens[:when])
    return before + tokens[when:], place


def _place_at_end(tokens):
    if not tokens:
        return tokens, ""
    if _ZIP.fullmatch(tokens[-1]) and _is_place(tokens[-1]):
        return _without_place_word(tokens[:-1]), tokens[-1]
    # After the last "in", "near", "cerca de"…: the longest tail that is a place.
    keys = [words_of(token) for token in tokens]
    for start in range(len(tokens) - 1, 0, -1):
        if any(_starts_with(keys, start - len(w), w) for w in PLACE_WORDS):
            candidate = " ".join(tokens[start:])
            if _is_place(candidate):
                return _without_place_word(tokens[:start]), candidate
            break
    # "Chicago, IL" at the end, with its comma: the town is one to three words.
    for comma in range(len(tokens) - 2, max(len(tokens) - 4, -1), -1):
        if tokens[comma].endswith(","):
            for start in range(max(comma - 2, 0), comma + 1):
                candidate = " ".join(tokens[start:])
                if _is_place(candidate):
                    return _without_place_word(tokens[:start]), candidate
            break
    return tokens, ""


def _starts_with(keys, index, words):
    if index < 0:
        return False
    found = tuple(word for key in keys[index : index + len(words)] for word in key)
    return found == words


def _without_place_word(tokens):
    keys = [words_of(token) for token in tokens]
    for words in PLACE_WORDS:
        if len(tokens) >= len(words) and _starts_with(keys, len(tokens) - len(words), words):
            return tokens[: -len(words)]
    return tokens


def _is_place(candidate):
    """True when ``candidate`` is a place ``resolve_near`` finds, or one it asks about (a
    town in several states, a state alone)."""
    words = words_of(candidate)
    if not words or len(candidate) > places.MAX_QUERY_LENGTH:
        return False
    if (
        set(words) <= FILLER | NEVER_PLACES
        or words in _TERM_WORDS
        or expand(words)
        or _read_words(words) is not None
    ):
        return False
    if _ZIP.fullmatch(candidate) or places.parse_coordinates(candidate):
        try:
            return places.resolve_near(candidate) is not None
        except places.PlaceNotFound:
            return False
    return places.names_a_place(candidate)


# A request for meetings -----------------------------------------------------------------


def _read_meeting(tokens, today):
    """(MeetingSearch or None, True if every word was understood)."""
    words = [word for token in tokens for word in words_of(token)]
    fellowship, days, times, attendance = "", [], [], []
    now = asked_for_meetings = False
    all_read, index = True, 0
    while index < len(words):
        for size in range(min(LONGEST, len(words) - index), 0, -1):
            phrase = tuple(words[index : index + size])
            if phrase in _FELLOWSHIP_NAMES:
                fellowship = fellowship or _FELLOWSHIP_NAMES[phrase]
            elif phrase in MEETING_WORDS:
                asked_for_meetings = True
            else:
                read = _read_words(phrase, today)
                if read is None:
                    continue
                days += read.get("day", [])
                times += read.get("time", [])
                attendance += read.get("attendance", [])
                now = now or "now" in read
            index += size
            break
        else:
            all_read = all_read and words[index] in FILLER
            index += 1
    when = bool(days or times or now or attendance)
    if not (asked_for_meetings or (fellowship and when)):
        return None, False
    meeting = MeetingSearch(
        fellowship=fellowship,
        days=tuple(dict.fromkeys(days)),
        times=tuple(dict.fromkeys(times)),
        attendance=tuple(dict.fromkeys(attendance)),
        now=now,
    )
    return meeting, all_read


def _read_words(phrase, today=None):
    """{"day" | "time" | "attendance" | "now": [values]} of words that say when or how."""
    if phrase in TONIGHT:
        return {"day": [TODAY], "time": ["evening"]}
    if phrase in TODAY_WORDS:
        return {"day": [TODAY]}
    if phrase in TOMORROW_WORDS:
        tomorrow = (today or date.today()) + timedelta(days=1)
        return {"day": [str(tomorrow.isoweekday() % 7)]}
    if len(phrase) == 1 and phrase[0] in _WEEKDAYS:
        return {"day": [str(_WEEKDAYS[phrase[0]])]}
    if phrase in NOW_WORDS:
        return {"now": []}
    if phrase in TIME_WORDS:
        return {"time": [TIME_WORDS[phrase]]}
    if phrase in ATTENDANCE_WORDS:
        return {"attendance": ATTENDANCE_CHOICES[ATTENDANCE_WORDS[phrase]]}
    return None


# A question a guide answers -------------------------------------------------------------

_GUIDE_PHRASES = {
    words_of(phrase): slug for slug, phrases in GUIDE_TOPICS.items() for phrase in phrases
}


def _guide(text):
    """The slug of the guide that answers ``text``, or ""."""
    folded = " ".join(words_of(text))
    question = _QUESTION.match(folded)
    if question:
        subject = tuple(question.group(1).split())
        if len(subject) > 1 and subject[0] in ("a", "an", "the"):
            subject = subject[1:]
        slug = _GUIDE_PHRASES.get(subject) or _GUIDE_PHRASES.get(subject[-1:])
        if slug:
            return slug
    if _LOVED_ONE.search(folded):
        return "helping-a-loved-one"
    if _PAYING.search(folded):
        return "paying-for-treatment"
    return ""


# What a search page does with it --------------------------------------------------------


def read_the_box(data, *, today=None):
    """(Understanding or None, the query string to search with).

    The place found in the words becomes ``near`` and leaves ``q``. Text the form will
    refuse (too long, unreadable) is left as it is, for the form to say so.
    """
    text = data.get("q") or ""
    if len(text) > MAX_TEXT_LENGTH or "\x00" in text or "\ufffd" in text:
        return None, data
    understood = understand(text, near=data.get("near") or "", today=today)
    if not understood.place:
        return understood, data
    data = data.copy()
    data["q"], data["near"] = understood.text, understood.place
    return understood, data


def finder_address(understood, data):
    """The meeting finder's address for a request for meetings, with its place."""
    pairs = understood.meeting.parameters()
    near = understood.place or (data.get("near") or "").strip()
    if near:
        pairs.append(("near", near))
        pairs += [("radius", radius) for radius in data.getlist("radius")[-1:] if radius]
    elif understood.near_me:
        # The finder takes "near me" out of its words and asks where, as the search does.
        pairs.append(("q", "near me"))
    return reverse("directory:meeting_finder") + ("?" + urlencode(pairs) if pairs else "")


def understood_chips(understood, location):
    """The parts taken out of the words, each a chip whose link puts the search back
    without it: the place."""
    if not (understood and understood.place):
        return []
    label = location.label if location else understood.place
    return [
        Chip(
            _("Place: %(place)s") % {"place": label},
            {"q": understood.text or None, "near": None, "page": None},
        )
    ]


def understood_notes(understood, data):
    """Links the words asked for: the meeting finder, a guide."""
    if not understood:
        return []
    notes = []
    if understood.meeting and not understood.to_finder:
        notes.append(
            Note(
                _("Looking for a meeting? The meeting finder lists them by day and time."),
                _("See %(meetings)s in the meeting finder") % {"meetings": understood.meeting.name},
                finder_address(understood, data),
            )
        )
    address = guide_address(understood.guide)
    if address:
        notes.append(Note(_("We have a guide about this."), _("Read the guide"), address))
    return notes


def guide_address(slug):
    """The guide's address, when the site has guides; else ""."""
    if not slug:
        return ""
    try:
        return reverse("guides:detail", kwargs={"slug": slug})
    except NoReverseMatch:
        return ""
