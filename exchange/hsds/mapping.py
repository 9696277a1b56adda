"""Which HSDS taxonomy terms become which kind of listing or vocabulary term here.

Three sources, the first that knows a term wins:
1. the terms this site's own HSDS export writes (their ids are stable, ``ids.py``), so an
   export imported again keeps its kinds and terms with no mapping at all;
2. the curators' mappings in the admin (``HsdsTermMapping``);
3. the reviewed defaults in ``exchange/data/hsds_mapping.json``.
A term is matched by its code or its name, any case, in its taxonomy or in any taxonomy.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from exchange.hsds import builders
from exchange.models import LISTING_KIND_TARGET, HsdsTermMapping
from resources.models import Term
from resources.vocabularies import Vocabulary

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "hsds_mapping.json"


def default_mappings():
    return json.loads(DEFAULTS.read_text(encoding="utf-8"))["terms"]


@dataclass
class TermMatcher:
    own_ids: dict  # {our export's taxonomy term id: (vocabulary, code)}
    by_term: dict  # {(taxonomy casefolded or "", term casefolded): (target, code)}
    languages: dict  # {code or label casefolded: our language code}
    payments: dict  # {code or label casefolded: our payment code}

    def match(self, term_id, code, name, taxonomy):
        """(target, code) of an HSDS taxonomy term; None when nothing here says."""
        if term_id in self.own_ids:
            return self.own_ids[term_id]
        taxonomy = (taxonomy or "").casefold()
        for scope in (taxonomy, ""):
            for word in (code, name):
                if word and (scope, word.casefold()) in self.by_term:
                    return self.by_term[(scope, word.casefold())]
        return None


def _words(vocabulary):
    words = {}
    for code, label in Term.objects.filter(vocabulary=vocabulary).values_list("code", "label"):
        words[code.casefold()] = code
        words[label.casefold()] = code
    return words


def load_matcher():
    by_term = {}
    rows = default_mappings() + list(
        HsdsTermMapping.objects.values("taxonomy", "term", "target", "code")
    )
    for row in rows:  # the admin's rows come last: they override the defaults
        by_term[(row["taxonomy"].casefold(), row["term"].casefold())] = (row["target"], row["code"])
    own_ids = {
        term_id: (
            (LISTING_KIND_TARGET if vocabulary == builders.LISTING_KINDS else vocabulary),
            code,
        )
        for term_id, (vocabulary, code) in builders.term_ids().items()
    }
    return TermMatcher(
        own_ids=own_ids,
        by_term=by_term,
        languages=_words(Vocabulary.LANGUAGE),
        payments=_words(Vocabulary.PAYMENT),
    )
