"""The translation catalogues are complete and safe to use (issue 17).

- no untranslated and no fuzzy message in any language's catalogue;
- every translation keeps its message's placeholders (``%(name)s``, ``%s``, ``{name}``)
  and markup, so that formatting never fails and links never break;
- nothing the code marks for translation is missing from the catalogue: ``makemessages``
  (GNU gettext, with the Makefile's flags) run on a copy of the project adds no message;
- the compiled catalogue is what Django reads.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from recovery_site.catalogue import compile_catalogue, merge_translations

PROJECT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(PROJECT.glob("locale/*/LC_MESSAGES/django.po"))
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
# HTML elements (not "category:<slug>", which is text).
TAG = re.compile(
    r"<(/?(?:a|abbr|b|br|code|em|i|kbd|li|p|span|strong|time|ul))\b"
    r"(?:[^>]*?\bhref=\"([^\"]*)\")?[^>]*>"
)


def entries(po_path):
    return [entry for entry in polib.pofile(str(po_path)) if not entry.obsolete]


def placeholders(text):
    return sorted(match.group() for match in PLACEHOLDER.finditer(text))


def tags(text):
    """The elements of a message and where its links go: a translation may move words and
    translate an aria-label, never drop an element or change a link. An element counts when
    it is closed too (or is <br>): "kind:<code>" in an API message is a word, not markup."""
    found = [match.groups("") for match in TAG.finditer(text)]
    closed = {name for name, _href in found if name.startswith("/")}
    return sorted(
        (name, href)
        for name, href in found
        if name in ("br", "/br") or name.lstrip("/") in {closing.lstrip("/") for closing in closed}
    )


def describe(entry):
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


def test_every_language_but_english_has_a_catalogue():
    assert LANGUAGES
    for code in LANGUAGES:
        assert PROJECT / f"locale/{code}/LC_MESSAGES/django.po" in CATALOGUES, code


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_no_message_is_untranslated_or_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [describe(entry) for entry in catalogue.untranslated_entries()]
    fuzzy = [describe(entry) for entry in catalogue.fuzzy_entries()]
    print(f"{len(untranslated)} untranslated:", *untranslated, sep="\n  ")
    print(f"{len(fuzzy)} fuzzy:", *fuzzy, sep="\n  ")
    assert not catalogue.metadata_is_fuzzy
    assert not untranslated, f"{len(untranslated)} untranslated, such as {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, such as {fuzzy[:5]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_translations_keep_placeholders_and_markup(po_path):
    wrong = []
    for entry in entries(po_path):
        if entry.msgid_plural:
            both = sorted(set(placeholders(entry.msgid) + placeholders(entry.msgid_plural)))
            for number, form in sorted(entry.msgstr_plural.items()):
                if not form:
                    continue
                # The singular may leave the number out ("There is a problem"); every
                # other form says what the English plural says.
                expected = placeholders(entry.msgid_plural) if number else None
                found = placeholders(form)
                if (expected is not None and sorted(set(found)) != sorted(set(expected))) or (
                    not set(found) <= set(both)
                ):
                    wrong.append(f"{describe(entry)} form {number}: {form!r}")
                if tags(form) != tags(entry.msgid_plural if number else entry.msgid):
                    wrong.append(f"{describe(entry)} form {number} markup: {form!r}")
        elif entry.msgstr:
            if placeholders(entry.msgstr) != placeholders(entry.msgid):
                wrong.append(f"{describe(entry)}: {entry.msgstr!r}")
            if tags(entry.msgstr) != tags(entry.msgid):
                wrong.append(f"{describe(entry)} markup: {entry.msgstr!r}")
    print(*wrong, sep="\n")
    assert not wrong, wrong[:10]


def makemessages_flags():
    """The flags `make messages` uses (Makefile), so that this test and the file agree."""
    makefile = (PROJECT / "Makefile").read_text()
    block = re.search(r"^MAKEMESSAGES_FLAGS := ((?:.*\\\n)*.*)$", makefile, re.MULTILINE)
    return shlex.split(block[1].replace("\\\n", " "))


def copy_of_the_project(destination):
    """The project without its environment, history and generated files, elsewhere."""
    left_out = shutil.ignore_patterns(
        ".git",
        ".venv",
        "node_modules",
        "staticfiles",
        "var",
        "__pycache__",
        "*.sqlite3*",
        ".pytest_cache",
        ".ruff_cache",
        "*.mo",
    )
    shutil.copytree(PROJECT, destination, ignore=left_out)
    return destination


def test_the_catalogues_hold_every_message_of_the_code(tmp_path):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is needed (apt-get install gettext): .ci/run installs it.")
        pytest.skip("GNU gettext is not installed (sudo apt-get install gettext).")
    project = copy_of_the_project(tmp_path / "project")
    before = {path.parts[-3]: entries(path) for path in CATALOGUES}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *(f"--locale={code}" for code in before),
            *makemessages_flags(),
        ],
        cwd=project,
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for code, old in before.items():
        known = {(entry.msgctxt, entry.msgid) for entry in old}
        now = entries(project / f"locale/{code}/LC_MESSAGES/django.po")
        missing = [describe(entry) for entry in now if (entry.msgctxt, entry.msgid) not in known]
        gone = known - {(entry.msgctxt, entry.msgid) for entry in now}
        print(f"{code}: missing", *missing, sep="\n  ")
        print(f"{code}: no longer in the code", *sorted(map(str, gone)), sep="\n  ")
        assert not missing, f"run `make messages`, then translate: {missing[:10]}"
        assert not gone, f"run `make messages` to drop them: {sorted(map(str, gone))[:10]}"


def test_the_compiled_catalogue_is_what_django_reads():
    for code in LANGUAGES:
        with translation.override(code):
            assert translation.gettext("Find help") != "Find help", code


def test_merge_fills_plurals_and_clears_fuzzy(tmp_path):
    po_path = tmp_path / "django.po"
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    }
    catalogue.append(
        polib.POEntry(msgid="%(n)s mile", msgid_plural="%(n)s miles", msgstr_plural={0: "", 1: ""})
    )
    catalogue.append(polib.POEntry(msgid="Open", msgctxt="status", msgstr="x", flags=["fuzzy"]))
    catalogue.save(str(po_path))
    unmatched = merge_translations(
        po_path,
        {
            "%(n)s mile": ["%(n)s milla", "%(n)s millas"],
            "status\u0004Open": "Abierto",
            "Nowhere": "En ninguna parte",
        },
    )
    assert unmatched == ["Nowhere"]
    merged = {entry.msgid: entry for entry in polib.pofile(str(po_path))}
    assert merged["%(n)s mile"].msgstr_plural == {
        0: "%(n)s milla",
        1: "%(n)s millas",
        2: "%(n)s millas",
    }
    assert merged["Open"].msgstr == "Abierto"
    assert not merged["Open"].fuzzy
    mo_path = compile_catalogue(po_path)
    assert {entry.msgid for entry in polib.mofile(str(mo_path))} >= {"%(n)s mile", "Open"}
