"""The reviewed vocabularies every listing and meeting draws its tags from.

This is the one place where the words are kept. ``sync_vocabularies`` runs after
every ``migrate`` and brings the ``Term`` table in line with it: new terms are
added and labels updated, but no term is ever deleted, because listings may still
point at it (retire a term by setting ``is_active`` to false in the admin instead).

Labels in other languages are kept beside the code, one file per language:
``data/vocabulary_labels/<language>.json`` (``{vocabulary: {code: label}}``) for the words
below, and for meeting types the Meeting Guide type list's own labels. They are synced
into ``Term.translations``.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Vocabulary(models.TextChoices):
    LANGUAGE = "language", _("Language")
    POPULATION = "population", _("Population served")
    SUBSTANCE = "substance", _("Substance addressed")
    PAYMENT = "payment", _("Cost and payment")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    THERAPY_APPROACH = "therapy_approach", _("Therapy approach")
    LEVEL_OF_CARE = "level_of_care", _("Level of care")
    MEDICATION = "medication", _("Medication for addiction treatment")
    ACCREDITATION = "accreditation", _("Licensing and accreditation")
    MEETING_TYPE = "meeting_type", _("Meeting type")


# (code, label) pairs, in the order they are shown to people.
TERMS = {
    Vocabulary.LANGUAGE: [
        # ISO 639-1 codes, so feeds and HSDS exports can use them as they are.
        ("en", "English"),
        ("es", "Spanish"),
        ("zh", "Chinese"),
        ("vi", "Vietnamese"),
        ("ko", "Korean"),
        ("tl", "Tagalog"),
        ("ar", "Arabic"),
        ("ru", "Russian"),
        ("fr", "French"),
        ("ht", "Haitian Creole"),
        ("pl", "Polish"),
        ("pt", "Portuguese"),
        ("hi", "Hindi"),
        ("so", "Somali"),
        ("ase", "American Sign Language"),
    ],
    Vocabulary.POPULATION: [
        ("women", "Women"),
        ("men", "Men"),
        ("youth", "Youth (under 18)"),
        ("young-adults", "Young adults (18–25)"),
        ("seniors", "Older adults (65+)"),
        ("veterans", "Veterans and military families"),
        ("lgbtq", "LGBTQ+ people"),
        ("pregnant-postpartum", "Pregnant and postpartum people"),
        ("families", "Families and loved ones"),
        ("justice-involved", "People involved with the justice system"),
        ("co-occurring", "People with co-occurring mental health conditions"),
        ("unhoused", "People experiencing homelessness"),
        ("deaf-hard-of-hearing", "Deaf and hard of hearing people"),
        ("native-american", "American Indian and Alaska Native people"),
    ],
    Vocabulary.SUBSTANCE: [
        ("alcohol", "Alcohol"),
        ("opioids", "Opioids (heroin, fentanyl, pain pills)"),
        ("stimulants", "Stimulants (methamphetamine, cocaine)"),
        ("cannabis", "Cannabis"),
        ("benzodiazepines", "Benzodiazepines and sedatives"),
        ("tobacco-nicotine", "Tobacco and nicotine"),
        ("hallucinogens", "Hallucinogens"),
        ("inhalants", "Inhalants"),
        ("gambling", "Gambling"),
        ("any-substance", "Any substance"),
    ],
    Vocabulary.PAYMENT: [
        ("free", "Free"),
        ("sliding-scale", "Sliding scale fees"),
        ("medicaid", "Medicaid"),
        ("medicare", "Medicare"),
        ("private-insurance", "Private insurance"),
        ("tricare-military", "TRICARE and military insurance"),
        ("va", "VA benefits"),
        ("self-pay", "Self-pay (cash or card)"),
        ("state-funded", "State-funded"),
        ("ihs-tribal", "Indian Health Service or tribal funding"),
    ],
    Vocabulary.ACCESSIBILITY: [
        ("wheelchair", "Wheelchair accessible"),
        ("accessible-restroom", "Accessible restroom"),
        ("asl-interpretation", "ASL interpretation available"),
        ("hearing-loop", "Hearing loop"),
        ("large-print", "Large-print materials"),
        ("transit-nearby", "Near public transit"),
        ("accessible-parking", "Accessible parking"),
        ("service-animals", "Service animals welcome"),
        ("childcare", "Childcare on site"),
    ],
    Vocabulary.THERAPY_APPROACH: [
        ("cbt", "Cognitive behavioral therapy (CBT)"),
        ("dbt", "Dialectical behavior therapy (DBT)"),
        ("motivational-interviewing", "Motivational interviewing"),
        ("family-therapy", "Family therapy"),
        ("trauma-informed", "Trauma-informed care"),
        ("emdr", "EMDR"),
        ("contingency-management", "Contingency management"),
        ("group-therapy", "Group therapy"),
        ("twelve-step-facilitation", "Twelve-step facilitation"),
        ("mindfulness", "Mindfulness-based relapse prevention"),
        ("harm-reduction", "Harm reduction"),
        ("craft", "CRAFT (Community Reinforcement and Family Training)"),
    ],
    Vocabulary.LEVEL_OF_CARE: [
        ("detox", "Withdrawal management (detox)"),
        ("residential", "Inpatient or residential"),
        ("partial-hospitalization", "Partial hospitalization"),
        ("intensive-outpatient", "Intensive outpatient"),
        ("outpatient", "Outpatient"),
    ],
    Vocabulary.MEDICATION: [
        ("methadone", "Methadone"),
        ("buprenorphine", "Buprenorphine (Suboxone, Sublocade)"),
        ("naltrexone", "Naltrexone (Vivitrol)"),
        ("disulfiram", "Disulfiram (Antabuse)"),
        ("acamprosate", "Acamprosate"),
        ("naloxone", "Naloxone (Narcan) for overdose reversal"),
    ],
    Vocabulary.ACCREDITATION: [
        ("state-licensed", "State licensed"),
        ("carf", "CARF accredited"),
        ("joint-commission", "The Joint Commission accredited"),
        ("samhsa-otp", "SAMHSA-certified opioid treatment program"),
        ("coa", "COA accredited"),
        ("ncqa", "NCQA accredited"),
    ],
}

DATA = Path(__file__).parent / "data"
MEETING_GUIDE_TYPES_FILE = DATA / "meeting_guide_types.json"
VOCABULARY_LABELS = DATA / "vocabulary_labels"


@cache
def _meeting_guide_labels():
    with MEETING_GUIDE_TYPES_FILE.open(encoding="utf-8") as types_file:
        return json.load(types_file)


def meeting_guide_types():
    """The Meeting Guide type codes as (code, English label), sorted by label."""
    labels = _meeting_guide_labels()
    return sorted(((code, names["en"]) for code, names in labels.items()), key=lambda t: t[1])


def other_languages():
    """The site's languages besides its own (English): those labels are translated into."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@cache
def vocabulary_labels(language):
    """``{vocabulary: {code: label}}`` in ``language``, from its file; {} when it has none."""
    path = VOCABULARY_LABELS / f"{language}.json"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as labels_file:
        return json.load(labels_file)


def translations_of(vocabulary, code):
    """``{language: label}`` of a term in each of the site's other languages that has one."""
    found = {}
    for language in other_languages():
        if vocabulary == Vocabulary.MEETING_TYPE:
            label = _meeting_guide_labels().get(code, {}).get(language)
        else:
            label = vocabulary_labels(language).get(vocabulary, {}).get(code)
        if label:
            found[language] = label
    return found


@cache
def label_in(language, vocabulary, code, english):
    """The label of a term in ``language`` (a code such as "es" or "es-mx"), else English."""
    language = (language or "").split("-")[0]
    return translations_of(vocabulary, code).get(language, english)


def _active_label(vocabulary, code, english):
    return label_in(get_language(), vocabulary, code, english)


_lazy_label = lazy(_active_label, str)


def term_choices(vocabulary):
    """(code, label) pairs of a vocabulary with labels in the language active when shown,
    for forms and filters built once at import."""
    terms = meeting_guide_types() if vocabulary == Vocabulary.MEETING_TYPE else TERMS[vocabulary]
    return [(code, _lazy_label(vocabulary, code, label)) for code, label in terms]


def all_terms():
    """Every (vocabulary, code, label, position) the site knows."""
    vocabularies = {**TERMS, Vocabulary.MEETING_TYPE: meeting_guide_types()}
    for vocabulary, terms in vocabularies.items():
        for position, (code, label) in enumerate(terms):
            yield vocabulary, code, label, position


def sync_vocabularies(term_model, using="default"):
    """Add missing terms and refresh labels, translations and order; never delete a term."""
    existing = {
        (term.vocabulary, term.code): term for term in term_model.objects.using(using).all()
    }
    to_create, to_update = [], []
    for vocabulary, code, label, position in all_terms():
        translations = translations_of(vocabulary, code)
        term = existing.get((vocabulary, code))
        if term is None:
            to_create.append(
                term_model(
                    vocabulary=vocabulary,
                    code=code,
                    label=label,
                    translations=translations,
                    position=position,
                )
            )
        elif (term.label, term.translations, term.position) != (label, translations, position):
            term.label, term.translations, term.position = label, translations, position
            to_update.append(term)
    term_model.objects.using(using).bulk_create(to_create)
    term_model.objects.using(using).bulk_update(to_update, ["label", "translations", "position"])
    return len(to_create), len(to_update)
