"""The guides the site ships with: one Markdown file each in ``guides/content/`` (English)
and ``guides/content/<language>/`` (its translations, same file name, so the same slug).

Each file starts with a few header lines, then ``---``, then the body::

    title: Levels of care
    summary: …
    reviewed_on: 2026-12-06
    position: 20
    explains: category:treatment-programs level_of_care:detox
    sources:
      NIDA: Principles of Drug Addiction Treatment | https://nida.nih.gov/…
    searches:
      Find treatment programs | /browse/treatment-programs/
    ---
    ## The body, in Markdown

``create_missing_guides`` runs after every ``migrate`` (``guides.apps``): it adds the guides
whose slug and language the database does not have yet, published, with a history row. It
never changes a guide that exists, so what curators edit in the admin (or archive) stays as
they left it, in every language.
"""

from datetime import date
from pathlib import Path

from django.conf import settings

CONTENT_DIR = Path(__file__).parent / "content"
LIST_FIELDS = ("sources", "searches")
SHIPPED_REASON = "Shipped with the site"


def read_guide(path, language=settings.LANGUAGE_CODE):
    """The fields of one guide file, as {field: value}, with its slug from the file name."""
    header, separator, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not separator:
        raise ValueError(f"{path.name}: no '---' line between the header and the body")
    fields = {"slug": path.stem, "language": language, "body": body.strip() + "\n"}
    for field in LIST_FIELDS:
        fields[field] = []
    current_list = None
    for line in header.splitlines():
        if not line.strip():
            continue
        if line.startswith("  ") and current_list is not None:
            fields[current_list].append(line.strip())
            continue
        name, _, value = line.partition(":")
        name, value = name.strip(), value.strip()
        current_list = name if name in LIST_FIELDS else None
        if current_list is None:
            fields[name] = value
    for field in LIST_FIELDS:
        fields[field] = "\n".join(fields[field])
    fields["reviewed_on"] = date.fromisoformat(fields["reviewed_on"])
    fields["position"] = int(fields.get("position", 0))
    return fields


def content_dir(language):
    if language == settings.LANGUAGE_CODE:
        return CONTENT_DIR
    return CONTENT_DIR / language


def shipped_guides(language=settings.LANGUAGE_CODE):
    """The guides shipped in one language (English unless asked)."""
    return [read_guide(path, language) for path in sorted(content_dir(language).glob("*.md"))]


def every_shipped_guide():
    for language, _name in settings.LANGUAGES:
        yield from shipped_guides(language)


def create_missing_guides(guide_model, using="default"):
    """Add the shipped guides the database lacks (by slug and language); return how many
    were added."""
    existing = set(guide_model.objects.using(using).values_list("slug", "language"))
    added = 0
    for fields in every_shipped_guide():
        if (fields["slug"], fields["language"]) in existing:
            continue
        guide = guide_model(status="published", **fields)
        guide._change_reason = SHIPPED_REASON
        guide.save(using=using)
        added += 1
    return added
