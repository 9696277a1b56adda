"""The translation catalogues: compiling them, and merging translations written elsewhere.

`make` compiles every ``locale/<language>/LC_MESSAGES/*.po`` into the ``.mo`` Django reads,
with polib (pure Python), so a fresh clone needs no system package; only updating the
``.po`` from the code needs GNU gettext (``make messages``, README "Languages").

    python -m recovery_site.catalogue compile [PO_FILE ...]
    python -m recovery_site.catalogue merge PO_FILE JSON_FILE [JSON_FILE ...]

``merge`` fills the ``.po`` from JSON files shaped ``{"msgid": "msgstr"}``, with
``{"singular msgid": ["form 0", "form 1"]}`` for plurals and ``"context\\u0004msgid"`` keys
for messages with a context; a merged entry is no longer fuzzy. It prints the keys that
match no entry (a msgid that changed, or one makemessages has not collected yet).
"""

import json
import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
CONTEXT_SEPARATOR = "\x04"


def compile_catalogue(po_path):
    """Write the .mo beside the .po. Fuzzy entries are left out, as msgfmt does."""
    po_path = Path(po_path)
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def plural_count(catalogue):
    plural_forms = catalogue.metadata.get("Plural-Forms", "nplurals=2;")
    return int(plural_forms.split("nplurals=")[1].split(";")[0])


def merge_translations(po_path, translations):
    """Put ``translations`` (the JSON shape above) into the .po; return the unmatched keys."""
    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    entries = {
        (f"{entry.msgctxt}{CONTEXT_SEPARATOR}" if entry.msgctxt else "") + entry.msgid: entry
        for entry in catalogue
        if not entry.obsolete
    }
    unmatched = []
    for key, translation in translations.items():
        entry = entries.get(key)
        if entry is None:
            unmatched.append(key)
            continue
        if entry.msgid_plural:
            forms = [translation] if isinstance(translation, str) else list(translation)
            # Spanish has a third form, for round millions ("1000000 de reuniones"): a JSON
            # with two forms gives its plural to every form past the ones it names.
            forms += forms[-1:] * (plural_count(catalogue) - len(forms))
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = translation if isinstance(translation, str) else translation[0]
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save(str(po_path))
    return unmatched


def main(arguments):
    command, *paths = arguments or ["compile"]
    if command == "compile":
        for po_path in paths or sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
            print(f"compiled {compile_catalogue(po_path)}")
        return 0
    if command == "merge" and len(paths) >= 2:
        po_path, *json_paths = paths
        for json_path in json_paths:
            translations = json.loads(Path(json_path).read_text(encoding="utf-8"))
            unmatched = merge_translations(po_path, translations)
            print(f"{json_path}: {len(translations) - len(unmatched)} merged")
            for key in unmatched:
                print(f"  no such msgid: {key!r}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
